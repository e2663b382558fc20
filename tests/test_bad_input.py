"""Bad input never breaks a page: each parameter of each list, detail slugs, search."""

import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from tests.site_walk import body

pytestmark = pytest.mark.django_db

LISTS = {
    "agreement": ["q", "country", "ministry", "kind", "status", "date_from", "date_to", "sort"],
    "ministry": ["q", "country", "sort"],
    "council": ["q", "country", "ministry", "mission", "kind", "status", "date_from", "sort"],
    "meeting": ["q", "country", "ministry", "council", "format", "kind", "status", "date_to"],
    "support-case": ["q", "country", "sector", "organization", "council", "status", "sort"],
    "organization": ["q", "country", "ministry", "kind", "sort"],
    "person": ["q", "country", "ministry", "sort"],
    "program": ["q", "country", "ministry", "kind", "date_from", "date_to", "sort"],
    "source": ["q", "language", "date_from", "date_to", "sort"],
    "country": ["q"],
}
BAD_VALUES = [
    "",
    "zz",
    "2024-13-45",
    "0000",
    "99999-01",
    "' OR 1=1 --",
    '"; DROP TABLE initiatives_agreement; --',
    "<script>alert(1)</script>",
    "x" * 5000,
    "nul\x00byte",
    "%",
    "../../etc/passwd",
    "서울",
    "-1",
]


@pytest.fixture
def world():
    return f.portal_world(size=1)


@pytest.mark.parametrize(
    ("route", "param"), [(route, param) for route, params in LISTS.items() for param in params]
)
def test_bad_value_of_each_list_parameter_never_gives_a_server_error(client, world, route, param):
    url = reverse(f"initiatives:{route}-list")
    for value in BAD_VALUES:
        response = client.get(url, {param: value})
        assert response.status_code == 200, (param, value)
    repeated = client.get(url, {param: ["be", "<b>", "x" * 300] * 30})
    assert repeated.status_code == 200


@pytest.mark.parametrize("route", LISTS)
@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999", "1e3", "", "9" * 40])
def test_any_page_number_gives_a_page(client, world, route, page):
    response = client.get(reverse(f"initiatives:{route}-list"), {"page": page})
    assert response.status_code == 200
    shown = response.context["page_obj"]
    assert 1 <= shown.number <= shown.paginator.num_pages
    assert len(shown.object_list) > 0


def test_page_past_the_end_shows_the_last_page_and_says_so(client, world):
    response = client.get(reverse("initiatives:agreement-list"), {"page": "99999"})
    assert response.context["page_obj"].number == 1
    assert b"There is no page 99999" in response.content


def test_malformed_date_says_what_was_wrong(client, world):
    response = client.get(reverse("initiatives:meeting-list"), {"date_from": "17/12/2024"})
    assert response.status_code == 200
    assert b"Enter a date as YYYY, YYYY-MM or YYYY-MM-DD" in response.content


def test_unknown_country_says_what_was_wrong(client, world):
    response = client.get(reverse("initiatives:council-list"), {"country": "XX"})
    assert b"Unknown country code: &#x27;xx&#x27;" in response.content


def test_unknown_sort_key_says_what_was_wrong(client, world):
    response = client.get(reverse("initiatives:person-list"), {"sort": "id; DROP"})
    assert b"Unknown sort order" in response.content


def test_injection_like_text_is_shown_escaped(client, world):
    response = client.get(reverse("initiatives:agreement-list"), {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


@pytest.mark.parametrize(
    "collection",
    [
        "agreements",
        "ministries",
        "councils",
        "meetings",
        "support-cases",
        "organizations",
        "people",
        "programs",
        "sources",
    ],
)
def test_unknown_slug_is_a_404_page(client, world, collection):
    response = client.get(f"/en/{collection}/no-such-record/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.parametrize("code", ["zz", "x", "belgium", "b%00", "../kr"])
def test_unknown_country_page_is_a_404(client, world, code):
    assert client.get(f"/en/countries/{code}/").status_code == 404


@pytest.mark.parametrize("q", BAD_VALUES + ['"unterminated', "a & | ! b", "-", ":*", "(("])
def test_search_never_gives_a_server_error(client, world, q):
    response = client.get(reverse("initiatives:search"), {"q": q})
    assert response.status_code == 200


def test_too_long_search_says_so(client, world):
    response = client.get(reverse("initiatives:search"), {"q": "x" * 201})
    assert b"Search for at most 200 characters" in response.content


# Dates at the ends of the calendar, and searches PostgreSQL could not read -----------

DATED = {
    "/en/agreements/": "date_to",
    "/en/councils/": "date_to",
    "/en/meetings/": "date_to",
    "/en/programs/": "date_to",
    "/en/sources/": "date_to",
}
FAR_DATES = ["9999-12", "9999", "9999-12-31", "0001-01", "1899-12-31", "2101", "2101-01-01"]
YEAR_RANGE = "Enter a year between 1900 and 2100."


def dated_endpoints():
    """Every list, its CSV, its API and its feeds that take date_from and date_to."""
    for path in DATED:
        segment = path.strip("/").removeprefix("en/")
        yield path, 200
        yield f"{path}?format=csv", 400
        yield f"/api/{segment}/", 400
    yield "/en/feeds/agreements/", 400
    yield "/en/feeds/meetings/", 400
    yield "/en/feeds/meetings.ics", 400


@pytest.mark.parametrize("param", ["date_to", "date_from"])
@pytest.mark.parametrize("value", FAR_DATES)
def test_a_date_outside_1900_to_2100_is_reported_on_every_list_csv_api_and_feed(
    client, world, param, value
):
    for url, status in dated_endpoints():
        joiner = "&" if "?" in url else "?"
        response = client.get(f"{url}{joiner}{param}={value}")
        text = response.content.decode()
        assert response.status_code == status, (url, value, response.status_code)
        assert YEAR_RANGE in text, (url, value)


def test_the_last_month_a_filter_accepts_ends_on_its_last_day(client, world):
    response = client.get(reverse("initiatives:agreement-list"), {"date_to": "2100-12"})
    assert response.status_code == 200
    assert response.context["problems"] == []
    assert len(response.context["object_list"]) == 2  # the framework and the one partner's


PUNCTUATION_RUNS = [
    "-" * 40,
    "- " * 40,
    "\u2014" * 40,
    "-\u2013" * 20,
    '"-' * 20,
    "!-" * 20,
    "-(" * 20,
    "&|" * 20,
    "-x " * 60,
    "or " * 60,
]


@pytest.mark.parametrize("q", PUNCTUATION_RUNS, ids=range(len(PUNCTUATION_RUNS)))
def test_a_search_of_punctuation_runs_is_a_page_on_search_and_every_list(client, world, q):
    response = client.get(reverse("initiatives:search"), {"q": q[:200]})
    assert response.status_code == 200
    for route in LISTS:
        assert client.get(reverse(f"initiatives:{route}-list"), {"q": q}).status_code == 200


def test_a_run_of_dashes_before_a_word_still_finds_the_word_on_postgresql(client, world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("other databases match the text as typed, dashes and all")
    response = client.get(reverse("initiatives:search"), {"q": "-" * 40 + " Ministry"})
    assert response.status_code == 200
    assert "Ministry of SMEs and Startups" in response.content.decode()


def test_a_search_the_database_refuses_says_so_instead_of_failing(client, world, monkeypatch):
    from django.db import connection

    import initiatives.search

    # A query the database cannot read, as search() never writes one: the database
    # refuses it (PostgreSQL's to_tsquery, SQLite's FTS5 MATCH).
    if connection.vendor == "postgresql":
        monkeypatch.setattr(initiatives.search, "tsquery", lambda found, any_term=False: "& & (")
    else:
        monkeypatch.setattr(initiatives.search, "fts_query", lambda found, any_term=False: 'AND "(')
    response = client.get(reverse("initiatives:search"), {"q": "policy " + "-" * 40})
    assert response.status_code == 200
    assert "This search could not be run" in response.content.decode()
    # The request's transaction is still usable after the refused query.
    assert client.get(reverse("initiatives:search"), {"q": "Ministry"}).status_code == 200


def test_records_dated_at_the_end_of_the_calendar_still_show_everywhere(client, world):
    """A date that reached the database without the forms' check (a raw update, an old
    dump) is shown, never a server error."""
    from initiatives.models import Agreement, Meeting

    agreement, meeting = world["framework"], world["annual"]
    Agreement.objects.filter(pk=agreement.pk).update(
        signed_on=datetime.date(9999, 12, 1), signed_on_precision="month"
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        held_on=datetime.date(9999, 12, 31), held_on_precision="day"
    )
    urls = [
        "/en/",
        agreement.get_absolute_url(),
        meeting.get_absolute_url(),
        "/en/agreements/?sort=-signed_on",
        "/en/agreements/?date_from=2100",
        "/en/agreements/?format=csv",
        "/en/meetings/?sort=-held_on&format=csv",
        f"/api/agreements/{agreement.slug}/",
        "/api/meetings/",
        "/en/feeds/agreements/",
        "/en/feeds/meetings/",
        "/en/feeds/meetings.ics",
        "/en/countries/kr/",
    ]
    for url in urls:
        response = client.get(url)
        body(response)
        assert response.status_code == 200, url
