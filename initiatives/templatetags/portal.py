"""Small template helpers for the public pages: dates, links, published records."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from initiatives.dates import PartialDate
from initiatives.templatetags.i18n_names import display_name, lang_attr

register = template.Library()


@register.filter
def published(records):
    """Only the published records of a relation (drafts stay off public pages)."""
    return [record for record in records if getattr(record, "is_published", True)]


@register.filter
def is_public(record) -> bool:
    return record is not None and getattr(record, "is_published", True)


@register.simple_tag
def record_link(record, text=None):
    """A link to a published record; nothing for a missing or unpublished one."""
    if not is_public(record):
        return ""
    if text:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)
    return format_html(
        '<a href="{}"{}>{}</a>', record.get_absolute_url(), lang_attr(record), display_name(record)
    )


@register.filter
def partial_date(value: PartialDate | None):
    """A date at its true precision, in a <time> element; an inferred one says so."""
    if value is None:
        return ""
    inferred = (
        format_html(' <span class="inferred">({})</span>', _("inferred")) if value.inferred else ""
    )
    return format_html('<time datetime="{}">{}</time>{}', value.iso, str(value), inferred)


@register.filter
def day_of(moment: datetime.date | None) -> PartialDate | None:
    """A date, or the local day of a moment, to show at day precision in the page's
    language (``{{ record.updated_at|day_of|partial_date }}``)."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localdate(moment)
    return PartialDate(moment) if moment else None


@register.filter
def published_citations(citations):
    """Citations whose source document is public."""
    return [c for c in citations if is_public(c.source)]


@register.filter
def public_targets(citations):
    """Citations whose record is public (a figure counts when the record it describes is)."""
    kept = []
    for citation in citations:
        target = citation.target
        if is_public(target) and (citation.target_field != "metric" or is_public(target.subject)):
            kept.append(citation)
    return kept


@register.filter
def verbose_plural(model):
    return model._meta.verbose_name_plural
