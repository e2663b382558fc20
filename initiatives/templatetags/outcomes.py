"""What came of an agreement, for a row of a list (``outcomes.outcome_of``)."""

from django import template

from ..outcomes import outcome_of

register = template.Library()


@register.filter
def outcome(agreement):
    """The agreement's outcome, or None where its rows were read without what it needs
    (``AgreementQuerySet.with_outcome()``): no row fetches its relations one by one."""
    if not hasattr(agreement, "outcome_councils"):
        return None
    return outcome_of(agreement)
