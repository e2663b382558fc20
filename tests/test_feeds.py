"""Atom feeds of agreements and meetings, the iCalendar of meetings, and how every format
of one filtered question agrees with the page."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
import vobject
from django.test import Client
from django.utils.http import http_date
from icalendar import Calendar

from initiatives import feeds
from initiatives.models import Agreement, Meeting, Ministry
from tests import factories


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, url, params=None) -> ET.Element:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed


def entry_slugs(feed) -> list[str]:
    return [
        entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[-1]
        for entry in feed.findall(f"{ATOM}entry")
    ]


def ical(client, params=None) -> Calendar:
    response = client.get("/en/feeds/meetings.ics", params or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def slug_of(event) -> str:
    """The meeting an event's UID was made from."""
    uids = {feeds.meeting_uid(meeting): meeting.slug for meeting in Meeting.objects.all()}
    return uids[str(event["UID"])]


def vobject_calendar(client, params=None):
    """The calendar as vobject (a second reader) reads it."""
    response = client.get("/en/feeds/meetings.ics", params or {})
    assert response.status_code == 200
    return vobject.readOne(response.content.decode())


def page_slugs(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return [r.slug for r in response.context["paginator"].object_list]


def test_agreement_feed_is_atom_newest_first(client, portal_data):
    feed = atom(client, "/en/feeds/agreements/")
    assert feed.find(f"{ATOM}title").text.startswith("Agreements")
    slugs = entry_slugs(feed)
    assert slugs == page_slugs(client, "/en/agreements/")
    signed = [Agreement.objects.get(slug=s).signed_on for s in slugs]
    dated = [d for d in signed if d]
    assert dated == sorted(dated, reverse=True)
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/en/agreements/")


def test_entry_updated_times_come_from_the_records(client, portal_data):
    mou = Agreement.objects.get(slug="korea-belgium-sme-startup-mou-2026")
    mou.summary += " Updated."
    mou.save()
    mou.refresh_from_db()
    feed = atom(client, "/en/feeds/agreements/")
    updated = {
        slug: datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        for slug, entry in zip(entry_slugs(feed), feed.findall(f"{ATOM}entry"), strict=True)
    }
    for slug, when in updated.items():
        assert when == Agreement.objects.get(slug=slug).updated_at
    feed_updated = datetime.datetime.fromisoformat(feed.find(f"{ATOM}updated").text)
    assert feed_updated == mou.updated_at == max(updated.values())


def test_meeting_feed_is_atom_and_takes_the_list_filters(client, portal_data):
    feed = atom(client, "/en/feeds/meetings/", {"country": "kr"})
    assert entry_slugs(feed) == page_slugs(client, "/en/meetings/", {"country": "kr"})
    assert entry_slugs(feed)
    assert len(entry_slugs(atom(client, "/en/feeds/meetings/"))) == Meeting.objects.count()


def test_feeds_answer_a_bad_filter_with_a_400(client, portal_data):
    for url in ["/en/feeds/agreements/", "/en/feeds/meetings/", "/en/feeds/meetings.ics"]:
        response = client.get(url, {"country": "zz", "date_from": "soon"})
        assert response.status_code == 400
        assert "zz" in response.content.decode()


def test_calendar_has_all_day_events_for_meetings_with_a_day(client, portal_data):
    calendar = ical(client)
    events = {slug_of(e): e for e in calendar.walk("VEVENT")}
    on_a_day = Meeting.objects.filter(held_on_precision="day")
    assert set(events) == {m.slug for m in on_a_day}
    assert len(events) == 3
    for meeting in on_a_day:
        event = events[meeting.slug]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is datetime.date and start == meeting.held_on
        assert end == meeting.held_on + datetime.timedelta(days=1)
        assert str(event["SUMMARY"]) == meeting.name
        assert str(event["URL"]) == f"http://testserver{meeting.get_absolute_url()}"
        # iCalendar times are to the second.
        assert event.decoded("LAST-MODIFIED") == meeting.updated_at.replace(microsecond=0)


def test_calendar_says_it_leaves_out_meetings_known_only_to_month_or_year(client, portal_data):
    calendar = ical(client)
    description = str(calendar["DESCRIPTION"])
    assert "known only to the month or the year" in description
    assert "left out: 7" in description
    assert vobject_calendar(client).contents["x-wr-caldesc"][0].value == description


def test_calendar_takes_the_list_filters(client, portal_data):
    calendar = ical(client, {"country": "kr"})
    assert {slug_of(e) for e in calendar.walk("VEVENT")} == {
        "policy-council-first-meeting-2024-12-17"
    }
    assert "left out: 2" in str(calendar["DESCRIPTION"])


def test_drafts_never_reach_the_feeds(client, portal_data):
    mss = Ministry.objects.get(slug="mss")
    factories.AgreementFactory(slug="draft-agreement", parties=(mss,), is_published=False)
    factories.MeetingFactory(slug="draft-meeting", held="2024-11-30", is_published=False)
    factories.MeetingFactory(slug="public-meeting", held="2024-11-30")
    for url in ["/en/feeds/agreements/", "/en/feeds/meetings/", "/en/feeds/meetings.ics"]:
        text = client.get(url).content.decode()
        assert "draft-agreement" not in text and "draft-meeting" not in text
    assert "public-meeting" in client.get("/en/feeds/meetings.ics").content.decode()


def test_pages_link_to_the_feeds_from_their_head(client, portal_data):
    html = client.get("/en/").content.decode()
    head = html.split("</head>")[0]
    assert 'rel="alternate" type="application/atom+xml"' in head
    assert 'href="/en/feeds/agreements/"' in head and 'href="/en/feeds/meetings/"' in head
    assert 'type="text/calendar"' in head and 'href="/en/feeds/meetings.ics"' in head


def test_meeting_list_links_to_its_filtered_feeds(client, portal_data):
    html = client.get("/en/meetings/", {"country": "kr"}).content.decode()
    assert 'href="/en/feeds/meetings/?country=kr"' in html
    assert 'href="/en/feeds/meetings.ics?country=kr"' in html


@pytest.mark.parametrize("params", [{"country": "be"}, {"ministry": "mss"}, {}])
def test_every_format_of_one_question_agrees_with_the_page(client, portal_data, params):
    shown = page_slugs(client, "/en/agreements/", params)
    api = client.get("/api/agreements/", params).json()
    assert [r["slug"] for r in api["results"]] == shown
    raw = b"".join(client.get("/en/agreements/", {**params, "format": "csv"}).streaming_content)
    rows = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert [row["slug"] for row in rows] == shown
    assert entry_slugs(atom(client, "/en/feeds/agreements/", params)) == shown
    meetings = page_slugs(client, "/en/meetings/", params)
    on_a_day = {s for s in meetings if Meeting.objects.get(slug=s).held_on_precision == "day"}
    assert {slug_of(e) for e in ical(client, params).walk("VEVENT")} == on_a_day


def test_feed_summaries_are_html_that_shows_markup_as_text(client, db):
    factories.MeetingFactory(slug="marked-up", summary='<img src=x onerror="alert(1)">')
    feed = atom(client, "/en/feeds/meetings/")
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<img" not in summary.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in summary.text


def test_feeds_speak_their_addresss_language_and_say_when_a_date_was_inferred(db):
    korea = factories.CountryFactory(code="kr")
    korea.name_ko = "대한민국"
    korea.save()
    ministry = factories.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups")
    factories.AgreementFactory(slug="mou", parties=(ministry,), signed="2026-01-05", inferred=True)
    meeting = factories.MeetingFactory(
        slug="inaugural", held="2024-04-17", country_code="kr", city="Seoul"
    )
    Meeting.objects.filter(pk=meeting.pk).update(held_on_inferred=True)
    # Feed readers and calendar apps send no language: the address says it.
    korean, english = Client(), Client(headers={"accept-language": "ko"})

    feed = atom(korean, "/ko/feeds/agreements/")
    assert feed.find(f"{ATOM}title").text == "협정 · 중소기업 글로벌화 이니셔티브 포털"
    summary = feed.find(f"{ATOM}entry/{ATOM}summary").text
    assert "(대한민국)" in summary and "2026년 1월 5일 (추정)" in summary
    english_summary = atom(english, "/en/feeds/agreements/").find(f"{ATOM}entry/{ATOM}summary")
    assert "5 January 2026 (inferred)" in english_summary.text

    meetings = atom(korean, "/ko/feeds/meetings/").find(f"{ATOM}entry/{ATOM}summary").text
    assert "Seoul, 대한민국" in meetings and "2024년 4월 17일 (추정)" in meetings

    calendar = Calendar.from_ical(korean.get("/ko/feeds/meetings.ics").content)
    assert str(calendar["X-WR-CALNAME"]) == "회의 · 중소기업 글로벌화 이니셔티브 포털"
    event = calendar.walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Seoul, 대한민국"
    assert "(추정)" in str(event["DESCRIPTION"])


# To spec: author, a stable empty feed, conditional GET, UIDs, escaping, subscribing ----


@pytest.mark.parametrize("url", ["/en/feeds/agreements/", "/en/feeds/meetings/"])
def test_atom_feeds_name_their_author(client, portal_data, url):
    author = atom(client, url).find(f"{ATOM}author")
    assert author is not None, "RFC 4287 4.1.1: a feed without authored entries has one"
    assert author.find(f"{ATOM}name").text == "SME Globalization Initiatives Portal"
    assert author.find(f"{ATOM}uri").text == "http://testserver/en/"


@pytest.mark.parametrize("name", ["agreements", "meetings"])
def test_each_language_has_its_own_feed_with_its_own_ids_title_and_links(
    client, portal_data, name
):
    english = atom(client, f"/en/feeds/{name}/", {"country": "be"})
    korean = atom(client, f"/ko/feeds/{name}/", {"country": "be"})
    assert english.find(f"{ATOM}id").text != korean.find(f"{ATOM}id").text
    assert korean.find(f"{ATOM}id").text.startswith("http://testserver/ko/")
    assert english.find(f"{ATOM}title").text != korean.find(f"{ATOM}title").text
    links = {link.get("rel"): link.get("href") for link in korean.findall(f"{ATOM}link")}
    assert links["self"] == f"http://testserver/ko/feeds/{name}/?country=be"
    assert links["alternate"] == f"http://testserver/ko/{name}/?country=be"
    english_entries = english.findall(f"{ATOM}entry")
    korean_entries = korean.findall(f"{ATOM}entry")
    assert english_entries and len(english_entries) == len(korean_entries)
    for entry in korean_entries:
        assert entry.find(f"{ATOM}id").text.startswith(f"http://testserver/ko/{name}/")
        assert entry.find(f"{ATOM}link").get("href").startswith(f"http://testserver/ko/{name}/")
    english_ids = {entry.find(f"{ATOM}id").text for entry in english_entries}
    assert english_ids.isdisjoint(entry.find(f"{ATOM}id").text for entry in korean_entries)


def test_each_language_has_its_own_calendar_and_the_same_events(client, portal_data):
    english = Calendar.from_ical(client.get("/en/feeds/meetings.ics").content)
    korean = Calendar.from_ical(client.get("/ko/feeds/meetings.ics").content)
    assert str(english["X-WR-CALNAME"]) != str(korean["X-WR-CALNAME"])
    assert str(korean["URL"]) == "http://testserver/ko/meetings/"
    events = korean.walk("VEVENT")
    assert events
    assert all(str(event["URL"]).startswith("http://testserver/ko/meetings/") for event in events)
    # A UID names the meeting, not an address (RFC 5545): a reader subscribed in both
    # languages sees one event, not two.
    assert [str(e["UID"]) for e in events] == [str(e["UID"]) for e in english.walk("VEVENT")]


def test_an_empty_feed_is_updated_when_its_collection_last_changed_not_now(client, portal_data):
    empty = atom(client, "/en/feeds/agreements/", {"q": "no agreement says this"})
    assert empty.findall(f"{ATOM}entry") == []
    latest = max(Agreement.objects.published().values_list("updated_at", flat=True))
    updated = datetime.datetime.fromisoformat(empty.find(f"{ATOM}updated").text)
    assert updated == latest
    response = client.get("/en/feeds/agreements/", {"q": "no agreement says this"})
    assert response["Last-Modified"] == http_date(latest.timestamp())


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/en/feeds/agreements/", {"country": "be"}),
        ("/en/feeds/meetings/", {}),
        ("/en/feeds/meetings.ics", {"country": "kr"}),
        ("/en/feeds/agreements/", {"q": "no agreement says this"}),
    ],
)
def test_a_repeated_poll_gets_a_304(client, portal_data, url, params):
    first = client.get(url, params)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    by_etag = client.get(url, params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    by_date = client.get(url, params, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    changed = client.get(url, params, HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200


def test_calendar_uids_come_from_the_meeting_alone(portal_data):
    """The same calendar fetched by another name of the site, or by an IPv6 address,
    has the same events: a reader that merges them keeps one of each."""
    bodies = []
    for host in ("localhost", "127.0.0.1:8000", "[::1]", "[::1]:8000"):
        response = Client(HTTP_HOST=host).get("/en/feeds/meetings.ics")
        assert response.status_code == 200, host
        calendar = Calendar.from_ical(response.content)
        bodies.append(sorted(str(event["UID"]) for event in calendar.walk("VEVENT")))
    assert bodies[0] and all(uids == bodies[0] for uids in bodies)
    assert all("@" not in uid and ":" not in uid for uid in bodies[0])


def test_calendar_text_reads_back_whole_in_icalendar_and_vobject(client, db):
    factories.MeetingFactory(
        slug="escapes",
        name="Trade, industry; and \\ SMEs",
        held="2024-03-05",
        summary="First, second; third",
    )
    calendar = vobject_calendar(client, {"q": "Trade"})
    description = calendar.contents["x-wr-caldesc"][0].value
    assert description == str(ical(client, {"q": "Trade"})["DESCRIPTION"])
    assert "Meetings whose day is known, as all-day events." in description
    assert description.endswith("left out: 0 for these filters.")
    event = calendar.vevent
    assert event.summary.value == "Trade, industry; and \\ SMEs"
    assert "First, second; third" in event.description.value
    assert str(ical(client, {"q": "Trade"}).walk("VEVENT")[0]["SUMMARY"]) == event.summary.value


def test_meeting_list_offers_to_subscribe_to_its_calendar(client, portal_data):
    from django.urls import reverse

    response = client.get(reverse("initiatives:meeting-list"), {"country": "kr"})
    calendar = next(link for link in response.context["exports"] if link["type"] == "text/calendar")
    assert calendar["subscribe"] == "webcal://testserver/en/feeds/meetings.ics?country=kr"
    html = response.content.decode()
    assert 'href="webcal://testserver/en/feeds/meetings.ics?country=kr"' in html
    assert "Subscribe adds the calendar to your calendar app" in html
