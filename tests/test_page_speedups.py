"""What the faster country, source, home and calendar pages must keep: the same records,
the same iCalendar text as the icalendar package writes, and a number of queries that
does not grow with the data."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar, Event, vText

from initiatives import feeds
from initiatives.models import Meeting, Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


# The calendar ----------------------------------------------------------------------


def package_calendar(request, meetings, left_out: int) -> bytes:
    """The calendar as the icalendar package wrote it before the portal wrote it itself."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{feeds.PORTAL}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", vText(f"Meetings · {feeds.PORTAL}"))
    description = (
        "Meetings whose day is known, as all-day events. Meetings known only to the month "
        f"or the year, or not dated at all, are left out: {left_out} for these filters."
    )
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", vText(description))
    calendar.add("url", request.build_absolute_uri(reverse("initiatives:meeting-list")))
    for meeting in meetings:
        event = Event()
        event.add("uid", feeds.meeting_uid(meeting))
        event.add("summary", meeting.name)
        event.add("dtstart", meeting.held_on)
        event.add("dtend", meeting.held_on + datetime.timedelta(days=1))
        event.add("dtstamp", meeting.updated_at)
        event.add("last-modified", meeting.updated_at)
        event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
        event.add("description", feeds.meeting_text(meeting))
        event.add("categories", [meeting.get_kind_display()])
        planned = meeting.status == Meeting.Status.PLANNED
        event.add("status", "TENTATIVE" if planned else "CONFIRMED")
        place = ", ".join(str(p) for p in (meeting.venue, meeting.city, meeting.country) if p)
        if place:
            event.add("location", place)
        calendar.add_component(event)
    return calendar.to_ical()


def test_the_calendar_is_the_text_the_icalendar_package_writes(client, rf):
    body = f.CouncilFactory(slug="trade-council", name="Trade; Council, \\ 무역")
    f.MeetingFactory(
        slug="long-one",
        name="A meeting, with; every \\ escape and a name long enough to be folded twice over",
        council=body,
        held="2024-03-05",
        country_code="kr",
        city="Seoul",
        venue="Hall ^A",
        format=Meeting.Format.HYBRID,
        summary="Line one.\nLine two, in Korean: 한국어 요약이 길게 이어져 접힌다. " * 3,
    )
    f.MeetingFactory(slug="planned", held="2024-03-01", status=Meeting.Status.PLANNED)
    f.MeetingFactory(slug="month-only", held="2024-02")
    f.MeetingFactory(slug="draft", held="2024-03-02", is_published=False)

    response = client.get("/en/feeds/meetings.ics")

    shown = Meeting.objects.filter(slug__in=["long-one", "planned"]).order_by("-held_on")
    expected = package_calendar(rf.get("/en/feeds/meetings.ics"), shown, left_out=1)
    assert response.content == expected
    assert Calendar.from_ical(response.content).walk("VEVENT")


def test_lines_are_folded_and_escaped_as_the_icalendar_package_does_it():
    rng = random.Random(5)
    alphabet = "ab ,;:\\^\"'\n\r\tN가é😀" + "x" * 12
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 240)))
        event = Event()
        event.add("summary", text)
        package_lines = event.to_ical().decode().split("\r\n")[1:-2]
        assert feeds.fold("SUMMARY:" + feeds.ical_text(text)) == "\r\n".join(package_lines)


def test_the_calendar_reads_the_same_queries_for_any_number_of_meetings(client):
    body = f.CouncilFactory(slug="c")
    for i in range(2):
        f.MeetingFactory(slug=f"a-{i}", council=body, held=f"2024-01-1{i}", country_code="kr")
    few = queries(client, "/en/feeds/meetings.ics")
    for i in range(12):
        f.MeetingFactory(
            slug=f"b-{i}", held=f"2024-02-1{i % 10}", country_code="be", city="Brussels"
        )
    f.MeetingFactory(slug="undated", held="2024")
    # The meetings, their public councils, and the count of those left out.
    assert queries(client, "/en/feeds/meetings.ics") == few == 3


# The source page -------------------------------------------------------------------


def test_a_source_page_shows_each_kind_of_record_that_cites_it(client):
    ministry = f.MinistryFactory(slug="mss", name="Ministry of SMEs")
    deal = f.AgreementFactory(slug="deal", name="The Deal", parties=(ministry,))
    f.MetricFactory(slug="deal-figure", about=deal, value="3", unit="companies")
    f.MeetingFactory(slug="met", name="The Meeting")
    f.SupportCaseFactory(slug="case", name="The Case")
    f.AgreementFactory(slug="hidden", name="Hidden Deal", is_published=False)

    response = client.get(reverse("initiatives:source-detail", args=["mss-press-release"]))

    text = response.text
    for name in ["Ministry of SMEs", "The Deal", "The Meeting", "The Case"]:
        assert name in text
    assert "figure about" in text
    assert "Hidden Deal" not in text


def test_a_source_page_reads_the_same_queries_for_more_citations_of_the_same_kinds(client):
    url = reverse("initiatives:source-detail", args=["mss-press-release"])
    deal = f.AgreementFactory(slug="deal-0")
    f.MetricFactory(slug="figure-0", about=deal)
    few = queries(client, url)
    for i in range(1, 8):
        deal = f.AgreementFactory(slug=f"deal-{i}")
        f.MetricFactory(slug=f"figure-{i}", about=deal)
    assert queries(client, url) == few


# The country page ------------------------------------------------------------------


def test_a_country_page_lists_an_agreement_with_two_parties_there_once(client):
    first = f.MinistryFactory(slug="mss", country_code="kr")
    second = f.MinistryFactory(slug="motie", country_code="kr")
    f.AgreementFactory(slug="two-korean-parties", parties=(first, second))
    f.AgreementFactory(slug="signed-in-seoul", country=f.CountryFactory(code="kr"))
    f.AgreementFactory(
        slug="elsewhere", parties=(f.MinistryFactory(slug="be-min", country_code="be"),)
    )

    response = client.get(reverse("initiatives:country-detail", args=["kr"]))

    slugs = [a.slug for a in response.context["agreements"]]
    assert sorted(slugs) == ["signed-in-seoul", "two-korean-parties"]


def test_a_country_page_lists_only_that_countrys_published_records(client):
    f.SupportCaseFactory(slug="kr-case", country_code="kr")
    f.SupportCaseFactory(slug="be-case", country_code="be")
    f.SupportCaseFactory(slug="kr-draft", country_code="kr", is_published=False)
    f.OrganizationFactory(slug="embassy", kind=Organization.Kind.MISSION, country_code="kr")
    f.OrganizationFactory(slug="kotra", country_code="kr")

    response = client.get(reverse("initiatives:country-detail", args=["kr"]))

    assert [c.slug for c in response.context["cases"]] == ["kr-case"]
    assert [o.slug for o in response.context["missions"]] == ["embassy"]
    assert "embassy" not in [o.slug for o in response.context["organizations"]]
    assert "kotra" in [o.slug for o in response.context["organizations"]]


def test_a_country_page_reads_the_same_queries_for_more_records(client):
    url = reverse("initiatives:country-detail", args=["kr"])
    f.portal_world(size=2, prefix="a")
    few = queries(client, url)
    f.portal_world(size=9, prefix="b")
    assert queries(client, url) == few


# The home page ---------------------------------------------------------------------


def test_the_home_page_shows_the_six_latest_figures_with_what_they_describe(client):
    deal = f.AgreementFactory(slug="deal", name="The Deal")
    body = f.CouncilFactory(slug="body", name="The Council")
    for day in range(1, 8):
        about = deal if day % 2 else body
        f.MetricFactory(
            slug=f"figure-{day}", about=about, value=str(day), measured=f"2024-05-0{day}"
        )

    response = client.get(reverse("initiatives:dashboard"))

    figures = response.context["key_figures"]
    assert [m.slug for m in figures] == [f"figure-{day}" for day in range(7, 1, -1)]
    assert [m.subject.slug for m in figures[:2]] == ["deal", "body"]
    assert "The Deal" in response.text and "The Council" in response.text


def test_the_home_page_reads_the_same_queries_for_more_figures(client):
    url = reverse("initiatives:dashboard")
    f.MetricFactory(slug="one", about=f.AgreementFactory(slug="deal"))
    queries(client, url)  # the map's per-country figures are counted once and kept
    f.MetricFactory(slug="two", about=f.CouncilFactory(slug="body-x"), measured="2025-01-01")
    few = queries(client, url)  # both counts: the first request after an edit
    for i in range(10):
        f.MetricFactory(
            slug=f"more-{i}", about=f.CouncilFactory(slug=f"body-{i}"), measured="2025-01-01"
        )
    assert queries(client, url) == few
