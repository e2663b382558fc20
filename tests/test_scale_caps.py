"""The caps that keep pages fast on large data: facets, counts, country sections, a
source's citations, search totals and the calendar. Each cap is a module constant,
made small here."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from initiatives import facets, feeds, search
from initiatives.models import Source, evidence
from initiatives.views import countries, lists, records
from tests.factories import MeetingFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(db):
    """Seven dated meetings, one in each of seven countries."""
    codes = ["be", "de", "fr", "kr", "jp", "us", "cn"]
    return [
        MeetingFactory(slug=f"m-{i}", held=f"2024-0{i + 1}-15", country_code=code)
        for i, code in enumerate(codes)
    ]


def test_a_facet_lists_at_most_the_limit_plus_the_selected(client, meetings, monkeypatch):
    monkeypatch.setattr(facets, "FACET_LIMIT", 3)
    response = client.get(reverse("initiatives:meeting-list") + "?country=cn&country=be")
    choices = {f.param: f.choices for f in response.context["facets"]}["country"]
    values = {c.value for c in choices}
    assert {"cn", "be"} <= values
    assert len(choices) == 3 + 2
    assert all(c.selected == (c.value in ("cn", "be")) for c in choices)
    assert choices.more
    assert "Only the 3 choices with the most records are listed" in response.text


def test_a_short_facet_is_listed_whole(client, meetings):
    response = client.get(reverse("initiatives:meeting-list"))
    choices = {f.param: f.choices for f in response.context["facets"]}["country"]
    assert len(choices) == 7
    assert not choices.more
    assert "choices with the most records" not in response.text


def test_a_count_past_the_cap_says_more_than(client, meetings, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 4)
    url = reverse("initiatives:meeting-list")
    response = client.get(url + "?page_size=2")
    assert response.context["paginator"].capped
    assert "More than 4 results" in response.text
    # Pages go no deeper than the cap: past it, the last capped page, and why.
    monkeypatch.setattr(lists.ListPageMixin, "paginate_by", 2)
    response = client.get(url + "?page=2")
    assert response.context["page_obj"].number == 2
    response = client.get(url + "?page=4")
    assert response.context["page_obj"].number == 2
    assert "Pages go no deeper than the first 4 results" in response.text


def test_a_count_under_the_cap_is_exact(client, meetings):
    response = client.get(reverse("initiatives:meeting-list"))
    assert not response.context["paginator"].capped
    assert "7 results" in response.text


def test_the_api_count_is_capped(client, meetings, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 4)
    body = client.get("/api/meetings/?page_size=2").json()
    assert body["count"] == 4 and body["count_capped"] is True
    assert len(client.get("/api/meetings/?page=2&page_size=2").json()["results"]) == 2
    deep = client.get("/api/meetings/?page=4&page_size=2")
    assert deep.status_code == 404
    assert "no deeper than the first 4 records" in deep.json()["detail"]
    monkeypatch.setattr(lists, "COUNT_CAP", 100)
    body = client.get("/api/meetings/").json()
    assert body["count"] == 7 and body["count_capped"] is False


def test_country_sections_are_capped_with_a_link(client, monkeypatch):
    for i in range(4):
        MeetingFactory(slug=f"kr-{i}", held=f"2024-0{i + 1}-15", country_code="kr")
    monkeypatch.setattr(countries, "SECTION_LIMIT", 2)
    response = client.get(reverse("initiatives:country-detail", args=["kr"]))
    section = response.context["meetings"]
    assert [m.slug for m in section] == ["kr-3", "kr-2"]
    assert section.more
    assert f'href="{reverse("initiatives:meeting-list")}?country=kr"' in response.text
    assert "Only the first 2 are shown here" in response.text


def test_a_source_page_lists_its_first_citations(client, meetings, monkeypatch):
    monkeypatch.setattr(evidence, "CITATION_LIMIT", 3)
    monkeypatch.setattr(records, "CITATION_LIMIT", 3)
    response = client.get(
        reverse("initiatives:source-detail", args=[SourceFactory(slug="mss-press-release").slug])
    )
    assert len(response.context["citations"]) == 3
    assert "Only the first 3 citations of this source are listed" in response.text


def test_reading_a_sources_citations_leaves_the_planner_as_it_was(meetings):
    """The citations are planned with the joins in written order (PostgreSQL), and
    the setting is put back within the transaction the page runs in."""
    source = SourceFactory(slug="mss-press-release")
    with transaction.atomic(), connection.cursor() as cursor:
        assert len(Source.objects.citations_of(source)) == 7
        if connection.vendor == "postgresql":
            cursor.execute("SHOW join_collapse_limit")
            assert cursor.fetchone() == ("8",)


def test_the_source_list_counts_citations(client, meetings):
    response = client.get(reverse("initiatives:source-list"))
    assert [s.citation_count for s in response.context["object_list"]] == [7]


def test_source_citation_counts_are_kept_leave_out_drafts_and_follow_an_edit(client, meetings):
    url = reverse("initiatives:source-list")
    client.get(url)
    meetings[0].is_published = False  # a cited record becomes a draft
    meetings[0].save()
    outdated = client.get(url)  # served as kept, refreshed after the response
    assert [s.citation_count for s in outdated.context["object_list"]] == [7]
    assert outdated["X-Kept-Figures"] == "stale"
    response = client.get(url)
    assert [s.citation_count for s in response.context["object_list"]] == [6]
    assert not response.has_header("X-Kept-Figures")


def test_search_totals_are_capped(client, meetings, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 2)
    response = client.get(reverse("initiatives:search") + "?q=meeting")
    results = response.context["results"]
    assert results.capped and results.total == 2
    assert "More than 2 records match" in response.text
    assert "(2+)" in response.text


def test_the_calendar_is_capped_and_says_so(client, meetings, monkeypatch):
    monkeypatch.setattr(feeds, "ICS_LIMIT", 2)
    body = client.get(reverse("feeds:meetings-ics")).content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert "Only the 2 latest" in body.replace("\r\n ", "")
