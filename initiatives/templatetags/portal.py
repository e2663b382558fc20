"""Small template helpers for the public pages: dates and links.

What the public may see is decided by the queries (models.base.visibility); nothing
here filters drafts."""

import dataclasses
import datetime
import json

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, get_text_list
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from initiatives.dates import PartialDate
from initiatives.statuses import status_report
from initiatives.structured_data import describe, shorten
from initiatives.templatetags.i18n_names import display_name, lang_attr

register = template.Library()
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


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
def status_of(record, short=False):
    """A status with the date it was reported; one whose expected date has passed reads
    as "Last reported …, expected by …". ``short`` leaves out the label's explanation in
    brackets, for lists ("signed" for "signed (in-force status not stated)")."""
    report = status_report(record)
    if report is None:
        return ""
    if short:
        report = dataclasses.replace(report, label=short_label(report.label))
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


def short_label(label) -> str:
    """A choice's label without its explanation in brackets, for lists: "signed (in-force
    status not stated)" reads "signed"; the detail page shows it whole."""
    return str(label).split(" (", 1)[0]


@register.simple_tag
def related_agreements(agreement) -> list[tuple]:
    """Each agreement related to this one once, with every way it is: (other, what this
    one does to it, what it does to this one), the kinds joined ("renews and supersedes")."""
    rows: dict[int, tuple] = {}
    for relation in agreement.relations_from.all():
        other = relation.to_agreement
        rows.setdefault(other.pk, (other, [], []))[1].append(str(relation.get_kind_display()))
    for relation in agreement.relations_to.all():
        other = relation.from_agreement
        rows.setdefault(other.pk, (other, [], []))[2].append(str(relation.get_kind_display()))
    return [
        (other, get_text_list(out, _("and")), get_text_list(back, _("and")))
        for other, out, back in rows.values()
    ]


@register.filter
def not_presided(participations, presided) -> list:
    """A person's meetings attended, without those they presided (listed already), each
    meeting once."""
    skip = {meeting.pk for meeting in presided}
    seen: dict[int, object] = {}
    for participation in participations:
        if participation.meeting_id not in skip:
            seen.setdefault(participation.meeting_id, participation)
    return list(seen.values())


@register.simple_tag(takes_context=True)
def structured_data(context, record):
    """The record's schema.org JSON-LD in a script element; nothing for other kinds."""
    request = context["request"]
    data = describe(record, lambda r: request.build_absolute_uri(r.get_absolute_url()))
    if data is None:
        return ""
    # As json_script escapes: no "</script>" or "<!--" can end the element early.
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def record_description(record) -> str:
    """A record's meta description: its summary, or what kind of record it is and that
    its sources are shown."""
    summary = shorten(getattr(record, "summary", ""))
    if summary:
        return summary
    kind = capfirst(record._meta.verbose_name)
    return _("%(kind)s: %(name)s, with the sources and quotes for every fact.") % {
        "kind": kind,
        "name": display_name(record),
    }


@dataclasses.dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language ("한국어")
    path: str  # the same page in this language, with the same query string
    url: str  # the same, absolute (for hreflang)
    same_page: bool  # False: the page has no address per language, ``path`` is the home page
    # For the default language's version (settings.LANGUAGE_CODE): the address without a
    # prefix, which redirects to the reader's language: hreflang="x-default", as the
    # sitemap gives it (Django's sitemaps with x_default); "" for the others.
    x_default: str


def path_in_language(request, language: str) -> str | None:
    """The address of the request's page in ``language``, its query string kept; None
    when the address is no public page (a 404)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not get_language_from_path(request.path_info):
        return None
    with translation.override(language):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[LanguageVersion]:
    """The page in each of the portal's languages, for the switcher and the hreflang
    alternates; on a page with no address per language (a 404), each language's home page."""
    request = context.get("request")
    if request is None:
        return []
    versions = []
    for code, _name in settings.LANGUAGES:
        path = path_in_language(request, code)
        same_page = path is not None
        if not same_page:
            with translation.override(code):
                path = reverse("initiatives:dashboard")
        name = translation.get_language_info(code)["name_local"]
        url = request.build_absolute_uri(path)
        x_default = url.replace(f"/{code}/", "/", 1) if code == settings.LANGUAGE_CODE else ""
        versions.append(LanguageVersion(code, name, path, url, same_page, x_default))
    return versions
