"""Every kind of public page, opened at its /ko/ address, is in Korean: ``lang="ko"``, its
hreflang alternates, and no interface string left in English.

The check compares the rendered text with the catalogue: a msgid of
locale/ko/LC_MESSAGES/django.po whose Korean msgstr differs from it must not be
shown on a Korean page. What a reader sees is the text between tags and the labels
in attributes (aria-label, title, alt, placeholder); record data is left out (names
and text in another language, which the pages mark with ``lang``, and quotes,
which are word for word from the documents).

Record data are also the values of the records' own text fields (names, summaries,
notes, what a citation supports): a piece of text that is one of them, part of one (a
search excerpt) or holds one (a page title, "name · portal") is checked without it.

A msgid is found when it is a whole piece of text (``Filters``), or, for a phrase
of two words or more, anywhere in a piece; one with placeholders (``%(n)s results``)
when a whole piece reads as it with any values.
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import CharField, TextField
from django.urls import Resolver404, reverse
from django.utils import translation

from initiatives.models import Country, Region
from initiatives.registry import COLLECTIONS
from tests.site_walk import route_key, walk

PO_FILE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# Elements whose text is record data word for word, or code, never interface text.
DATA_ELEMENTS = {"blockquote", "q", "code", "pre", "script", "style"}
VOID_ELEMENTS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
LABELS = ("aria-label", "title", "alt", "placeholder")


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


class VisibleText(HTMLParser):
    """The interface text of a page: text between tags and labels in attributes, except
    inside script, style, quotes and code, and inside an element in another language."""

    def __init__(self, language: str = "ko"):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.texts: list[str] = []
        self.stack: list[bool] = []  # for each open element: is its text record data?

    def inside_data(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        own_language = attributes.get("lang")
        data = (
            self.inside_data()
            or tag in DATA_ELEMENTS
            or (own_language is not None and not own_language.startswith(self.language))
        )
        if not data:
            for name in LABELS:
                if attributes.get(name):
                    self.texts.append(" ".join(attributes[name].split()))
        if tag not in VOID_ELEMENTS:
            self.stack.append(data)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.inside_data():
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


@cache
def translated_msgids() -> tuple[frozenset[str], frozenset[str], tuple[re.Pattern, ...]]:
    """(whole words and phrases, phrases of two words or more, patterns with
    placeholders): every msgid that Korean translates into something else."""
    wholes, phrases, patterns = set(), set(), []
    for entry in polib.pofile(str(PO_FILE)).translated_entries():
        korean = [entry.msgstr, *entry.msgstr_plural.values()]
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if msgid in korean or not re.search("[A-Za-z]{2}", msgid):
                continue  # the same in both languages ("API", "CSV"), or no words
            msgid = " ".join(msgid.split())
            if PLACEHOLDER.search(msgid):
                parts = PLACEHOLDER.split(msgid)
                if sum(len(p.strip()) for p in parts) >= 4:
                    body = r"\S.*?".join(re.escape(p) for p in parts)
                    patterns.append(re.compile(body))
            else:
                wholes.add(msgid)
                if " " in msgid:
                    phrases.add(msgid)
    return frozenset(wholes), frozenset(phrases), tuple(patterns)


def msgids_in(text: str) -> set[str]:
    wholes, phrases, patterns = translated_msgids()
    found = {text} if text in wholes else set()
    found |= {phrase for phrase in phrases if phrase in text}
    found |= {pattern.pattern for pattern in patterns if pattern.fullmatch(text)}
    return found


def record_texts() -> list[str]:
    """Every value of every text field of the portal's records, longest first."""
    values = set()
    for model in apps.get_app_config("initiatives").get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, CharField | TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            values |= {" ".join(v.split()) for v in row if v and len(v.strip()) > 2}
    return sorted(values, key=len, reverse=True)


def without_record_data(text: str, data: list[str]) -> str:
    """``text`` with the record data in it taken out; "" when it is part of one."""
    excerpt = text.strip("… ")
    if any(excerpt in value for value in data):
        return ""
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return text


def untranslated(html: str, data: list[str] = ()) -> set[str]:
    """The catalogue's English strings that ``html`` shows as interface text, the
    record data ``data`` left out."""
    found = set()
    for text in visible_texts(html):
        if msgids_in(text):  # most texts have none: only those are looked at closely
            found |= msgids_in(" ".join(without_record_data(text, data).split()))
    return found


def every_page_kind(language: str = "ko") -> dict[str, str]:
    """One page of every kind, at its address in ``language``, from the fixture data."""
    with translation.override(language):
        pages = {
            "dashboard": reverse("initiatives:dashboard"),
            "search": reverse("initiatives:search") + "?q=MOU",
            "search-empty": reverse("initiatives:search"),
            "search-nothing": reverse("initiatives:search") + "?q=zzzzqqq",
            "feeds": reverse("initiatives:feeds"),
            "data": reverse("initiatives:data"),
            "country-list": reverse("initiatives:country-list"),
            "country": Country.objects.get(code="be").get_absolute_url(),
            "region-list": reverse("initiatives:region-list"),
            "region": reverse("initiatives:region-detail", args=[Region.objects.first().slug]),
            "not-found": reverse("initiatives:agreement-list") + "no-such-agreement/",
            "list-with-problems": reverse("initiatives:agreement-list")
            + "?country=zz&date_from=2024-13&sort=bogus",
        }
        for collection in COLLECTIONS:
            name = collection.route_name
            pages[f"{name}-list"] = reverse(collection.list_route)
            for record in collection.model.objects.published().order_by("slug")[:3]:
                pages[f"{name}:{record.slug}"] = record.get_absolute_url()
    return pages


def korean_pages() -> dict[str, str]:
    return every_page_kind("ko")


def names_its_languages(html: str, url: str) -> bool:
    """The page's head names its address in both languages and the x-default one."""
    head = html.split("</head>")[0].replace("&amp;", "&")
    english, korean = (re.sub(r"^/(en|ko)/", f"/{code}/", url) for code in ("en", "ko"))
    return (
        f'hreflang="en" href="http://testserver{english}"' in head
        and f'hreflang="ko" href="http://testserver{korean}"' in head
        and 'hreflang="x-default"' in head
    )


@cache
def korean_msgstrs() -> tuple[frozenset[str], frozenset[str]]:
    """(whole translations, translations of two words or more) in Hangul: what a Korean
    page shows for the catalogue's strings, which an English page must not."""
    wholes = set()
    for entry in polib.pofile(str(PO_FILE)).translated_entries():
        for korean in (entry.msgstr, *entry.msgstr_plural.values()):
            korean = " ".join(korean.split())
            if re.search("[\uac00-\ud7a3]", korean) and not PLACEHOLDER.search(korean):
                wholes.add(korean)
    return frozenset(wholes), frozenset(k for k in wholes if " " in k)


def korean_interface_text(html: str, data: list[str]) -> set[str]:
    """The catalogue's Korean strings that an English page shows as its own text, record
    data left out (Korean names of record are data, and marked ``lang="ko"``)."""
    wholes, phrases = korean_msgstrs()
    parser = VisibleText(language="en")
    parser.feed(html)
    found = set()
    for text in parser.texts:
        text = " ".join(without_record_data(text, data).split())
        found |= {text} & wholes | {phrase for phrase in phrases if phrase in text}
    return found


def page_addresses_met_on_a_walk(client, language: str) -> dict[str, str]:
    """{route name: an address} of every kind of page a visitor reaches by following
    links from the dashboard in ``language`` (pages only: exports, feeds and the API
    are answered whatever the language and checked elsewhere)."""

    def page_route(url):
        if not url.startswith(f"/{language}/") or "format=" in url:
            raise Resolver404(url)
        return route_key(url)[0]

    with translation.override(language):
        start = reverse("initiatives:dashboard")
    responses = walk(client, [start], key=page_route, limit=200)
    return {
        route_key(url)[0]: url
        for url, response in responses.items()
        if response.status_code == 200
        and response.headers.get("Content-Type", "").startswith("text/html")
    }


# The checker itself -----------------------------------------------------------------------


def test_the_check_finds_an_english_interface_string_and_spares_record_data():
    html = (
        '<html lang="ko"><body><a href="#main">Skip to content</a>'
        '<p>결과 <span title="Download the data">1</span></p>'
        '<h1 lang="en">Skip to content</h1><blockquote>Download the data</blockquote>'
        "<p>협정 · Follow the portal: feeds and calendar</p></body></html>"
    )
    assert untranslated(html) == {
        "Skip to content",
        "Download the data",
        "Follow the portal: feeds and calendar",
        "Follow the portal",  # a msgid of its own, inside the longer one
    }
    korean = '<html lang="ko"><body><a href="#main">본문 바로가기</a></body></html>'
    assert untranslated(korean) == set()


def test_the_check_leaves_out_record_data_but_not_the_interface_around_it():
    data = ["Meetings held by the Support Council", "Download the data centre of Seoul"]
    html = (
        '<html lang="ko"><body><p>— Meetings held by the Support Council</p>'
        "<p>… the data centre of Seoul</p>"
        "<title>Download the data centre of Seoul · Skip to content</title></body></html>"
    )
    assert untranslated(html) >= {"Meetings held", "Skip to content"}
    assert untranslated(html, data) == {"Skip to content"}


def test_the_check_finds_strings_with_placeholders_whatever_their_values():
    _wholes, _phrases, patterns = translated_msgids()
    assert len(patterns) > 10
    for entry in polib.pofile(str(PO_FILE)).translated_entries():
        if (
            entry.msgstr != entry.msgid
            and PLACEHOLDER.search(entry.msgid)
            and "<" not in entry.msgid
        ):
            shown = PLACEHOLDER.sub("7", " ".join(entry.msgid.split()))
            if sum(len(p.strip()) for p in PLACEHOLDER.split(entry.msgid)) >= 4:
                html = f'<html lang="ko"><p>{shown}</p></html>'
                assert untranslated(html), entry.msgid


# Whole pages ---------------------------------------------------------------------------------


def test_every_kind_of_page_is_korean_at_its_korean_address(client, portal_data):
    problems = {}
    data = record_texts()
    for name, url in korean_pages().items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, url, response.status_code)
        html = response.content.decode()
        assert '<html lang="ko">' in html, name
        head = html.split("</head>")[0]
        if response.status_code == 200:
            english = re.sub(r"^/ko/", "/en/", url)
            assert f'hreflang="en" href="http://testserver{english}"' in head.replace(
                "&amp;", "&"
            ), name
            assert f'hreflang="ko" href="http://testserver{url}"' in head.replace("&amp;", "&")
            assert 'hreflang="x-default"' in head, name
        left = untranslated(html, data)
        if left:
            problems[name] = sorted(left)
    assert problems == {}


def test_every_kind_of_page_is_english_at_its_english_address(client, portal_data):
    problems = {}
    data = record_texts()
    for name, url in every_page_kind("en").items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, url, response.status_code)
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        if response.status_code == 200:
            assert names_its_languages(html, url), name
        left = korean_interface_text(html, data)
        if left:
            problems[name] = sorted(left)
    assert problems == {}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_pages_checked_are_every_kind_a_visitor_reaches(client, portal_data, language):
    """Following links from the dashboard meets no kind of page that the checks above
    leave out; each page met is in its address's language and names its alternates."""
    checked = {route_key(url)[0] for url in every_page_kind(language).values()}
    met = page_addresses_met_on_a_walk(client, language)
    assert {f"initiatives:{c.route_name}-detail" for c in COLLECTIONS} <= set(met)
    assert set(met) - checked == set()
    for route, url in met.items():
        html = client.get(url).content.decode()
        assert f'<html lang="{language}">' in html, route
        assert names_its_languages(html, url), route
