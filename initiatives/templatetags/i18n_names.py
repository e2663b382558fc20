"""Record names in the interface's language: Korean where a source gives one, else English.

A record's ``name`` is its English name and ``name_ko`` its Korean one (optional, never
made up: a source's words, or a public body's statutory name with the statute named in
``name_ko_reference``). Korean pages show ``name_ko`` where it exists; every other name is shown as
it is and marked ``lang="en"`` so that screen readers read it as English.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from ..places import city_name

register = template.Library()


def korean_interface() -> bool:
    return (get_language() or "").startswith("ko")


def display_name(record) -> str:
    """The name to show, as text (anything without names: as text), for Python callers:
    structured data, meta descriptions, links that mark their own ``lang``."""
    return getattr(record, "display_name", "" if record is None else str(record))


@register.filter(name="display_name")
def marked_name(record) -> str:
    """``{{ record|display_name }}``: the name to show; on a Korean page, a name shown in
    English is marked as English for screen readers and hyphenation. Templates show a
    name with this filter, or inside an element that carries ``lang_attr`` itself."""
    name = display_name(record)
    if shown_in_english(record):
        return format_html('<span lang="en">{}</span>', name)
    return name


def shown_in_english(record) -> bool:
    """On a Korean page, this record's name is shown in English (it has no Korean name,
    and the name it has is not written in Hangul)."""
    return (
        korean_interface()
        and hasattr(record, "name_ko")
        and not record.name_ko
        and not has_hangul(getattr(record, "display_name", ""))
    )


def in_english(text) -> bool:
    """On a Korean page, ``text`` (a record's free text: a summary, a note) is English:
    the records are written in English unless an editor wrote Hangul."""
    return bool(text) and korean_interface() and not has_hangul(str(text))


@register.simple_tag
def text_lang(text) -> str:
    """`` lang="en"`` for the element holding ``text`` when it is English on a Korean
    page: ``<p{% text_lang object.summary %}>``."""
    return format_html(' lang="{}"', "en") if in_english(text) else ""


@register.filter
def as_written(text) -> str:
    """``{{ value|as_written }}``: a short free-text value (a venue, a sector, an action)
    as the record holds it, marked as English on a Korean page when it is."""
    if in_english(text):
        return format_html('<span lang="en">{}</span>', text)
    return "" if text is None else text


@register.simple_tag
def lang_attr(record) -> str:
    """`` lang="en"`` on a Korean page when the record's name falls back to English."""
    return format_html(' lang="{}"', "en") if shown_in_english(record) else ""


@register.simple_tag(takes_context=True)
def page_subject(context):
    """The record, country or region the page is about (``{% page_subject as crumb %}``:
    ``firstof ... as`` would keep its text, not the record)."""
    return context.get("object") or context.get("country") or context.get("region")


@register.simple_tag
def other_name(record) -> str:
    """The record's name in the other language, in its own paragraph; nothing if unknown."""
    if not getattr(record, "name_ko", ""):
        return ""
    if korean_interface():
        shown = format_html('<p class="other-name" lang="en">{}</p>', record.name)
    else:
        shown = format_html('<p class="other-name" lang="ko">{}</p>', record.name_ko)
    return format_html("{}{}", shown, name_reference(record))


def name_reference(record) -> str:
    """Where a Korean name of public record comes from ("Korean name per 정부조직법"),
    for a record whose Korean name is reference data rather than a source's words."""
    reference = getattr(record, "name_ko_reference", "")
    if not reference:
        return ""
    return format_html(
        '<p class="meta name-reference">{} {}</p>',
        _("Korean name per"),
        reference,
    )


def has_hangul(text: str) -> bool:
    return any("\uac00" <= char <= "\ud7a3" or "\u3131" <= char <= "\u318e" for char in text)


@register.filter
def city_of(record) -> str:
    """``{{ record|city_of }}``: the record's city as the page's language shows it; on a
    Korean page, a city with no Korean name of record is marked as English."""
    city = getattr(record, "city", "")
    if not city:
        return ""
    shown = city_name(city, getattr(record, "country_id", None))
    if korean_interface() and not has_hangul(shown):
        return format_html('<span lang="en">{}</span>', shown)
    return shown


@register.filter
def language_name(code: str) -> str:
    """A language code's name in the interface's language ("en" reads "English" or
    "영어"); the code itself where Django does not know it."""
    try:
        return _(get_language_info(code)["name"])
    except KeyError:
        return code
