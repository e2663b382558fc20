"""Small template helpers for the public pages: dates and links.

What the public may see is decided by the queries (models.base.visibility); nothing
here filters drafts."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from initiatives.dates import PartialDate
from initiatives.statuses import status_report
from initiatives.templatetags.i18n_names import display_name, lang_attr

register = template.Library()


@register.simple_tag
def record_link(record, text=None):
    """A link to a record; nothing where there is none (a link to a draft reads as none)."""
    if record is None:
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


@register.simple_tag
def status_of(record):
    """A status with the date it was reported; one whose expected date has passed reads
    as "Last reported …, expected by …"."""
    report = status_report(record)
    if report is None:
        return ""
    as_of = partial_date(report.as_of)
    expected = partial_date(report.expected_by)
    if report.overdue:
        return format_html(
            '<span class="overdue">{}</span>',
            format_html(
                _("Last reported {status} as of {as_of}, expected by {expected}"),
                status=report.label,
                as_of=as_of,
                expected=expected,
            ),
        )
    text = format_html("{}", report.label.capitalize())
    if report.as_of:
        text = format_html(_("{status}, as of {as_of}"), status=text, as_of=as_of)
    if report.expected_by:
        text = format_html(_("{status}, expected by {expected}"), status=text, expected=expected)
    return text


@register.filter
def day_of(moment: datetime.date | None) -> PartialDate | None:
    """A date, or the local day of a moment, to show at day precision in the page's
    language (``{{ record.updated_at|day_of|partial_date }}``)."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localdate(moment)
    return PartialDate(moment) if moment else None


@register.filter
def verbose_plural(model):
    return model._meta.verbose_name_plural


@register.filter
def verbose_name(model):
    return model._meta.verbose_name


@register.filter
def model_name(model):
    return model._meta.model_name
