"""The interface in Korean and English: pages, dates, record names, the switcher, the .po."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from initiatives.dates import PartialDate, Precision
from tests import factories as f
from tests.test_html_valid import every_kind_of_page

PO_FILE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


class InterfaceText(HTMLParser):
    """What a reader meets: text between tags, and the labels given in attributes."""

    LABELS = ("aria-label", "title", "alt", "placeholder")

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        for name, value in attrs:
            if name in self.LABELS and value:
                self.texts.add(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skipping:
            self.texts.add(text)


def texts(response) -> set[str]:
    parser = InterfaceText()
    parser.feed(response.content.decode())
    return parser.texts


def catalog() -> polib.POFile:
    return polib.pofile(str(PO_FILE))


def interface_phrases() -> set[str]:
    """Every English phrase of the interface of two or more words, as the .po holds them."""
    return {
        entry.msgid
        for entry in catalog()
        if " " in entry.msgid and "%" not in entry.msgid and not entry.msgctxt
    }


def korean_client() -> Client:
    return Client(headers={"accept-language": "ko"})


def english_client() -> Client:
    return Client(headers={"accept-language": "en"})


def ko(url: str) -> str:
    """The page at ``url`` in Korean: its address under /ko/ (the prefix decides)."""
    return re.sub(r"^/(en|ko)/", "/ko/", url)


def en(url: str) -> str:
    """The page at ``url`` in English, under /en/."""
    return re.sub(r"^/(en|ko)/", "/en/", url)


# The catalogue ------------------------------------------------------------------------


def test_every_message_is_translated_and_none_is_fuzzy():
    po = catalog()
    assert po.untranslated_entries() == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=1;")


def test_the_compiled_catalogue_matches_the_po_file():
    """``compilemessages`` has run since the .po file last changed."""
    assert MO_FILE.exists(), "run `manage.py compilemessages`"
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(MO_FILE)}
    for entry in catalog().translated_entries():
        expected = entry.msgstr or entry.msgstr_plural
        assert compiled.get((entry.msgctxt, entry.msgid)) == expected, entry.msgid


def test_placeholders_survive_translation():
    # Korean has one plural form, used for every number: it follows the English plural.
    for entry in catalog().translated_entries():
        wanted = sorted(re.findall(r"%\(\w+\)s|%d|%s", entry.msgid_plural or entry.msgid))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                assert sorted(re.findall(r"%\(\w+\)s|%d|%s", text)) == wanted, entry.msgid


# Partial dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "precision", "english", "korean"),
    [
        (datetime.date(2026, 1, 1), Precision.YEAR, "2026", "2026년"),
        (datetime.date(2024, 4, 1), Precision.MONTH, "April 2024", "2024년 4월"),
        (datetime.date(2024, 12, 17), Precision.DAY, "17 December 2024", "2024년 12월 17일"),
    ],
)
def test_partial_dates_are_written_the_korean_way_in_korean(value, precision, english, korean):
    date = PartialDate(value, precision)
    with translation.override("en"):
        assert str(date) == english
    with translation.override("ko"):
        assert str(date) == korean


@pytest.mark.django_db
def test_a_korean_page_shows_dates_in_korean():
    agreement = f.AgreementFactory(slug="mou", signed="2024-04")
    response = korean_client().get(ko(agreement.get_absolute_url()))
    assert '<time datetime="2024-04">2024년 4월</time>' in response.content.decode()


@pytest.mark.django_db
def test_last_changed_and_retrieved_dates_are_written_in_the_page_language():
    agreement = f.AgreementFactory(slug="mou")
    changed = timezone.localdate(agreement.updated_at)
    korean = korean_client().get(ko(agreement.get_absolute_url())).content.decode()
    english = english_client().get(en(agreement.get_absolute_url())).content.decode()
    iso = changed.isoformat()
    assert (
        f'<time datetime="{iso}">{changed.year}년 {changed.month}월 {changed.day}일</time>'
        in korean
    )
    assert f'<time datetime="{iso}">{changed.day} {changed:%B} {changed.year}</time>' in english


# Whole pages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_kind_of_page_is_in_korean_at_its_korean_address():
    urls = every_kind_of_page(f.portal_world(size=3))
    phrases = interface_phrases()
    for name, url in urls.items():
        english = english_client().get(en(url))
        korean = korean_client().get(ko(url))
        assert korean.status_code == english.status_code, url
        assert '<html lang="ko">' in korean.content.decode(), name
        assert '<html lang="en">' in english.content.decode(), name
        shown_in_english = texts(english) & phrases
        assert shown_in_english, f"{name}: no interface text found"
        assert texts(korean) & shown_in_english == set(), name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ko", ["협정", "부처", "협의회", "회의", "지원 사례", "본문 바로가기", "전체 검색"]),
        ("en", ["Agreements", "Ministries", "Councils", "Meetings", "Support cases"]),
    ],
)
def test_navigation_is_in_the_requested_language(language, expected):
    with translation.override(language):
        url = reverse("initiatives:agreement-list")
    response = Client().get(url)
    found = texts(response)
    assert f'<html lang="{language}">' in response.content.decode()
    for label in expected:
        assert label in found


@pytest.mark.django_db
def test_the_list_heading_and_filters_are_in_korean():
    f.AgreementFactory(slug="mou")
    found = texts(korean_client().get(ko(reverse("initiatives:agreement-list"))))
    assert {"협정", "필터", "필터 적용", "결과 1건"} <= found


@pytest.mark.django_db
def test_an_unknown_language_gets_english():
    response = Client(headers={"accept-language": "fr"}).get("/", follow=True)
    assert response.redirect_chain == [("/en/", 302)]
    assert '<html lang="en">' in response.content.decode()


# The switcher --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_switcher_links_to_the_same_page_and_query_in_the_other_language():
    f.AgreementFactory(slug="mou")
    query = "?country=kr&amp;sort=name&amp;q=MOU"
    page = Client().get("/en/agreements/?country=kr&sort=name&q=MOU").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group()
    # A plain link (no form, no script), named in its own language.
    assert "<form" not in switcher and "<button" not in switcher
    assert f'<a href="/ko/agreements/{query}" hreflang="ko" lang="ko">한국어</a>' in switcher
    assert "English" not in switcher

    korean = Client().get("/ko/agreements/?country=kr&sort=name&q=MOU").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', korean, re.S).group()
    assert f'<a href="/en/agreements/{query}" hreflang="en" lang="en">English</a>' in switcher
    assert '<html lang="ko">' in korean


@pytest.mark.django_db
def test_the_switcher_on_a_detail_page_links_to_the_same_record():
    agreement = f.AgreementFactory(slug="mou")
    with translation.override("ko"):
        korean_url = agreement.get_absolute_url()
    assert korean_url == "/ko/agreements/mou/"
    page = Client().get("/en/agreements/mou/").content.decode()
    assert '<a href="/ko/agreements/mou/" hreflang="ko" lang="ko">한국어</a>' in page


@pytest.mark.django_db
def test_a_missing_page_has_no_alternates_and_the_switcher_still_works():
    for url, other in [
        ("/ko/agreements/no-such-agreement/", "/en/agreements/no-such-agreement/"),
        ("/ko/no-such-section/", "/en/"),
    ]:
        page = Client().get(url)
        assert page.status_code == 404
        html = page.content.decode()
        assert f'<a href="{other}" hreflang="en" lang="en">English</a>' in html
        head = html.split("</head>")[0]
        assert "hreflang" not in head and 'rel="canonical"' not in head


# Addresses per language ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"accept-language": "ko"}, "/ko/"),
        ({"accept-language": "ko-KR,ko;q=0.9,en;q=0.8"}, "/ko/"),
        ({"accept-language": "en-GB,en;q=0.9"}, "/en/"),
        ({"accept-language": "fr"}, "/en/"),
        ({}, "/en/"),
    ],
)
def test_the_root_redirects_to_the_language_the_browser_asks_for(headers, expected):
    response = Client(headers=headers).get("/")
    assert response.status_code == 302
    assert response["Location"] == expected
    # Caches must keep one answer per language asked.
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.django_db
def test_the_language_cookie_beats_accept_language_at_an_address_without_a_prefix():
    client = Client(headers={"accept-language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.get("/agreements/?country=kr&sort=name")
    assert response.status_code == 302
    assert response["Location"] == "/ko/agreements/?country=kr&sort=name"


@pytest.mark.django_db
def test_an_address_without_a_prefix_or_its_slash_redirects_to_the_language_page():
    f.AgreementFactory(slug="mou")
    response = Client(headers={"accept-language": "ko"}).get("/agreements/mou", follow=True)
    assert response.redirect_chain[-1][0] == "/ko/agreements/mou/"
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_prefix_decides_the_language_whatever_the_browser_asks():
    client = Client(headers={"accept-language": "ko"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.get("/en/agreements/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response["Vary"]
    korean = Client(headers={"accept-language": "en"}).get("/ko/agreements/")
    assert '<html lang="ko">' in korean.content.decode()


@pytest.mark.django_db
def test_addresses_outside_the_pages_keep_no_prefix():
    assert reverse("healthz") == "/healthz"
    assert reverse("sitemap") == "/sitemap.xml"
    assert reverse("robots") == "/robots.txt"
    assert reverse("api:agreement-list").startswith("/api/")
    assert reverse("admin:index") == "/admin/"
    for language in ("en", "ko"):
        with translation.override(language):
            assert reverse("initiatives:dashboard") == f"/{language}/"
            assert reverse("feeds:agreements") == f"/{language}/feeds/agreements/"
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/ko/healthz").status_code == 404
    assert Client().get("/ko/api/agreements/").status_code == 404


@pytest.mark.django_db
def test_the_api_gives_labels_in_the_language_asked_by_header_or_parameter():
    f.AgreementFactory(slug="mou", kind="mou")
    english = Client().get("/api/agreements/").json()
    by_header = Client(headers={"accept-language": "ko"}).get("/api/agreements/").json()
    by_parameter = Client(headers={"accept-language": "en"}).get("/api/agreements/?lang=ko")
    assert by_parameter["Content-Language"] == "ko"
    english_row, korean_row = english["results"][0], by_header["results"][0]
    assert english_row["kind"] == korean_row["kind"] == "mou"
    assert by_parameter.json()["results"][0] == korean_row
    assert korean_row != english_row


@pytest.mark.django_db
def test_every_page_names_itself_and_its_other_language_in_its_head():
    f.AgreementFactory(slug="mou")
    for language in ("en", "ko"):
        page = Client().get(f"/{language}/agreements/mou/")
        head = page.content.decode().split("</head>")[0]
        base = "http://testserver"
        assert f'<link rel="canonical" href="{base}/{language}/agreements/mou/">' in head
        assert f'<link rel="alternate" hreflang="en" href="{base}/en/agreements/mou/">' in head
        assert f'<link rel="alternate" hreflang="ko" href="{base}/ko/agreements/mou/">' in head
        assert f'<link rel="alternate" hreflang="x-default" href="{base}/agreements/mou/">' in head


# Record names ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_korean_name_is_shown_on_korean_pages_and_the_english_one_otherwise():
    korea = f.CountryFactory(code="kr")
    korea.name_ko = "대한민국"
    korea.save()
    ministry = f.MinistryFactory(
        slug="mss", name="Ministry of SMEs and Startups", name_ko="중소벤처기업부", acronym="MSS"
    )
    named = f.AgreementFactory(slug="named", name="MOU on startups", parties=(ministry,))
    named.name_ko = "스타트업 협력 양해각서"
    named.save()
    unnamed = f.AgreementFactory(slug="unnamed", name="Joint declaration", parties=(ministry,))

    korean = korean_client().get(ko(named.get_absolute_url())).content.decode()
    assert "<h1>스타트업 협력 양해각서</h1>" in korean
    assert '<p class="other-name" lang="en">MOU on startups</p>' in korean
    assert ">중소벤처기업부</a>" in korean
    assert ">대한민국</a>" in korean

    english = english_client().get(en(named.get_absolute_url())).content.decode()
    assert "<h1>MOU on startups</h1>" in english
    assert '<p class="other-name" lang="ko">스타트업 협력 양해각서</p>' in english
    assert ">Ministry of SMEs and Startups</a>" in english
    assert ">Korea, Republic of</a>" in english

    # No Korean name: the English one, marked as English, never an invented Korean one.
    fallback = korean_client().get(ko(unnamed.get_absolute_url())).content.decode()
    assert '<h1 lang="en">Joint declaration</h1>' in fallback
    assert "other-name" not in fallback

    listed = korean_client().get(ko(reverse("initiatives:agreement-list"))).content.decode()
    assert ">스타트업 협력 양해각서</a>" in listed
    assert 'lang="en">Joint declaration</a>' in listed


@pytest.mark.django_db
def test_countries_are_listed_by_their_korean_names_in_korean(portal_data):
    korean = korean_client().get(ko(reverse("initiatives:country-list"))).content.decode()
    assert ">벨기에</a>" in korean
    english = english_client().get(en(reverse("initiatives:country-list"))).content.decode()
    assert ">Belgium</a>" in english


@pytest.mark.django_db
def test_display_name_follows_the_active_language():
    ministry = f.MinistryFactory(
        slug="mss", name="Ministry of SMEs and Startups", name_ko="중소벤처기업부"
    )
    plain = f.MinistryFactory(slug="mofa", name="Ministry of Foreign Affairs")
    with translation.override("ko"):
        assert (ministry.display_name, plain.display_name) == (
            "중소벤처기업부",
            "Ministry of Foreign Affairs",
        )
    with translation.override("en"):
        assert ministry.display_name == "Ministry of SMEs and Startups"


@pytest.mark.django_db
def test_sort_orders_and_filter_choices_are_in_korean():
    korea = f.CountryFactory(code="kr")
    korea.name_ko = "대한민국"
    korea.save()
    ministry = f.MinistryFactory(
        slug="mss", name="Ministry of SMEs and Startups", name_ko="중소벤처기업부"
    )
    f.AgreementFactory(slug="mou", parties=(ministry,))
    korean = korean_client().get(ko(reverse("initiatives:agreement-list")))
    assert {"서명일, 최신순", "서명일, 오래된 순", "이름 오름차순 (A–Z)"} <= texts(korean)
    for choice in ["대한민국", "중소벤처기업부", "양해각서"]:
        assert f'>{choice} <span class="count">(1)</span>' in korean.content.decode()
    english = texts(english_client().get(en(reverse("initiatives:agreement-list"))))
    assert {"signing date, newest first", "Korea, Republic of"} <= english


@pytest.mark.django_db
def test_related_agreements_read_as_korean_sentences():
    old = f.AgreementFactory(slug="old", name="Earlier MOU", signed="2020")
    new = f.AgreementFactory(slug="new", name="New MOU")
    f.AgreementRelationFactory(from_agreement=new, to_agreement=old)
    newer = korean_client().get(ko(new.get_absolute_url())).content.decode()
    link = f'<a href="{ko(old.get_absolute_url())}" lang="en">Earlier MOU</a>'
    assert f"이 협정은 {link}을(를) 대체합니다" in newer
    older = korean_client().get(ko(old.get_absolute_url())).content.decode()
    assert (
        f'<a href="{ko(new.get_absolute_url())}" lang="en">New MOU</a>이(가) 이 협정을 대체합니다'
        in (older)
    )
    english = english_client().get(en(new.get_absolute_url())).content.decode()
    assert (
        f'This agreement supersedes <a href="{en(old.get_absolute_url())}">Earlier MOU</a>'
        in english
    )


@pytest.mark.django_db
def test_the_admin_and_its_own_pages_are_in_korean(admin_user):
    client = f.log_in_verified(korean_client(), admin_user)
    index = client.get(reverse("admin:index"))
    assert '<html lang="ko"' in index.content.decode()
    assert {"편집 점검", "데이터 품질"} <= texts(index)
    quality = client.get(reverse("admin-data-quality")).content.decode()
    assert "<h2" in quality
    assert "인용이 없는 기록 (" in quality
    assert "당사자가 없는 협정 (" in quality


@pytest.mark.django_db
def test_a_sources_language_is_named_not_coded(client):
    source = f.SourceFactory(slug="press-release")
    english_page = english_client().get(en(source.get_absolute_url())).content.decode()
    assert "<dd>English</dd>" in english_page
    assert "<dd>영어</dd>" in korean_client().get(ko(source.get_absolute_url())).content.decode()
    facet = english_client().get("/en/sources/").context["facets"][0].choices
    assert [(c.value, c.label) for c in facet] == [("en", "English")]
