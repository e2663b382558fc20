"""Small template helpers for the public pages: dates and links.

What the public may see is decided by the queries (models.base.visibility); nothing
here filters drafts."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from initiatives.dates import PartialDate
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
