"""Keyset (cursor) pages of the API: following ``next`` from the first page reaches every
published record once, in the list's order (NULL dates, ties on date and name, either
direction, filters kept), past the depth page numbers stop at; a cursor the API did
not give is a 404 that says so; a cursor page runs the queries page 1 runs."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from initiatives.models import Meeting
from initiatives.views import lists
from tests import factories

DATES = ["2024-03-01", "2025-07-15", "", "2023-12-31", "2025-07-15", ""]


@pytest.fixture(scope="module")
def meetings_for_module(django_db_setup, django_db_blocker):
    """40 published meetings, many sharing a date (six undated) or a name, and drafts;
    made once for the module and rolled back at its end, as conftest's data are."""
    with django_db_blocker.unblock():
        made = transaction.atomic()
        made.__enter__()
        for i in range(40):
            factories.MeetingFactory(
                slug=f"cursor-meeting-{i:02d}",
                # Names repeat every 15, dates every 6: ties on both, broken by the pk.
                name=f"Meeting {i % 15:02d}",
                held=DATES[i % 6],
                format=Meeting.Format.HYBRID if i % 3 else Meeting.Format.ONLINE,
                cited=False,
            )
        for i in range(3):
            factories.MeetingFactory(slug=f"cursor-draft-{i}", name="Meeting 00", draft=True)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        made.__exit__(None, None, None)


@pytest.fixture
def meetings(meetings_for_module, db):
    """What a test writes is undone after it; the module's meetings stay."""


def expected(sort: str = "-held_on", **filters) -> list[str]:
    """The slugs in the list's order, worked out here rather than by the database:
    by the sort key with undated meetings last, then name, then primary key."""
    rows = Meeting.objects.published().filter(**filters)
    descending = sort.startswith("-")
    field = sort.removeprefix("-")

    def order(meeting):
        value = getattr(meeting, field)
        if isinstance(value, datetime.date):
            value = value.toordinal()
        if field == "held_on":
            # Undated last in both directions; then name and pk ascending.
            rank = (value is None, -(value or 0) if descending else (value or 0))
            return (*rank, meeting.name, meeting.pk)
        return (meeting.name, meeting.pk)

    slugs = [m.slug for m in sorted(rows, key=order)]
    if field == "name" and descending:
        # ``-name`` reverses the name, then name (the tie-break) and pk ascend.
        by_name = sorted(rows, key=lambda m: m.pk)
        by_name.sort(key=lambda m: m.name, reverse=True)
        slugs = [m.slug for m in by_name]
    return slugs


def walk(client, url: str, link: str = "next") -> tuple[list[str], list[dict]]:
    """(slugs, pages) following ``link`` from ``url`` until it is null."""
    slugs, pages = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        pages.append(page)
        slugs += [r["slug"] for r in page["results"]]
        url = page[link]
    return slugs, pages


@pytest.mark.parametrize(
    ("query", "sort", "filters"),
    [
        ("", "-held_on", {}),  # the default: newest first, undated last
        ("sort=-held_on", "-held_on", {}),
        ("sort=held_on", "held_on", {}),
        ("sort=-name", "-name", {}),
        ("format=hybrid&sort=name", "name", {"format": "hybrid"}),
        ("format=online", "-held_on", {"format": "online"}),
    ],
)
def test_following_next_reaches_every_record_once_in_order(client, meetings, query, sort, filters):
    slugs, pages = walk(client, f"/api/meetings/?page_size=4&{query}")
    assert slugs == expected(sort, **filters)
    assert len(slugs) == len(set(slugs)) and len(pages) > 2
    # Every page after the first starts from a cursor that carries the filters.
    for page in pages[:-1]:
        params = parse_qs(urlsplit(page["next"]).query)
        assert "cursor" in params and "page" not in params
        assert {k: v for k, v in params.items() if k != "cursor"} == {
            "page_size": ["4"],
            **parse_qs(query),
        }
        assert page["count"] == len(slugs)


def test_following_previous_from_the_last_page_goes_back_in_order(client, meetings):
    slugs, pages = walk(client, "/api/meetings/?page_size=4")
    back, _pages = walk(client, pages[-1]["previous"], link="previous")
    # Pages read backwards, each in the list's order: the records before the last page.
    assert back == [s for page in reversed(pages[:-1]) for s in page_slugs(page)]
    assert sorted(back) == sorted(slugs[: -len(pages[-1]["results"])])


def page_slugs(page) -> list[str]:
    return [r["slug"] for r in page["results"]]


def test_cursor_pages_go_past_the_deepest_page_number(client, meetings, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 10)
    assert client.get("/api/meetings/?page_size=4&page=4").status_code == 404
    slugs, pages = walk(client, "/api/meetings/?page_size=4")
    assert slugs == expected()
    assert {(p["count"], p["count_capped"]) for p in pages} == {(10, True)}


def test_drafts_are_not_walked(client, meetings):
    slugs, _pages = walk(client, "/api/meetings/?page_size=100")
    assert not [s for s in slugs if s.startswith("cursor-draft")]
    assert len(slugs) == 40


def a_cursor(client, query="page_size=4") -> str:
    return parse_qs(urlsplit(client.get(f"/api/meetings/?{query}").json()["next"]).query)["cursor"][
        0
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c[:-3] + ("aaa" if not c.endswith("aaa") else "bbb"),  # signature
        lambda c: "x" + c[1:],  # payload
        lambda c: "e30:1vVvVv:Zm9vYmFy",  # made up
    ],
)
def test_a_tampered_cursor_is_a_404_naming_it(client, meetings, change):
    # Well formed, as the document allows (so not a 400), but it names no place in the
    # list: as a filter key naming no record, a 404 whose body says what is wrong.
    response = client.get("/api/meetings/", {"page_size": 4, "cursor": change(a_cursor(client))})
    assert response.status_code == 404
    assert "Not a cursor this API gave" in response.json()["cursor"][0]


def test_a_cursor_of_another_sort_is_a_404_and_a_malformed_one_a_400(client, meetings):
    other_sort = client.get("/api/meetings/", {"cursor": a_cursor(client), "sort": "name"})
    assert other_sort.status_code == 404
    assert "another sort order" in other_sort.json()["cursor"][0]
    malformed = client.get("/api/meetings/", {"cursor": "not a cursor!"})
    assert malformed.status_code == 400 and "cursor" in malformed.json()


def test_a_cursor_outweighs_a_page_number(client, meetings):
    cursor = a_cursor(client)
    alone = client.get("/api/meetings/", {"cursor": cursor, "page_size": 4}).json()
    with_page = client.get("/api/meetings/", {"cursor": cursor, "page_size": 4, "page": 3})
    assert with_page.status_code == 200
    assert page_slugs(with_page.json()) == page_slugs(alone) == expected()[4:8]


def test_a_cursor_keeps_to_the_filters_it_is_given_with(client, meetings):
    # The cursor names a row, not a list: given with a filter, the page is filtered.
    cursor = a_cursor(client)
    page = client.get("/api/meetings/", {"cursor": cursor, "format": "online"}).json()
    online = set(expected(format="online"))
    assert page["results"] and {r["slug"] for r in page["results"]} <= online


def queries_of(client, url: str) -> int:
    cache.clear()  # every query the page needs, none answered by the page cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


@pytest.mark.parametrize("query", ["", "format=hybrid&sort=held_on"])
def test_a_cursor_page_runs_as_many_queries_as_page_1(client, meetings, query):
    first = client.get(f"/api/meetings/?page_size=4&{query}").json()
    deep = walk(client, f"/api/meetings/?page_size=4&{query}")[1][-2]["next"]
    assert queries_of(client, f"/api/meetings/?page_size=4&{query}") == queries_of(
        client, first["next"]
    )
    assert queries_of(client, first["next"]) == queries_of(client, deep)
