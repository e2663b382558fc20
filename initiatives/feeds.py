"""Feeds that follow the lists: Atom for agreements and meetings, iCalendar for meetings.

Each takes its list's filters (``/feeds/agreements/?country=be``) through the list's own
FilterSet; a bad value gets a 400 naming the problem, as the API does.

Feed readers and calendar apps poll: every answer has an ETag and a Last-Modified, and
a repeated request that sends them back gets a 304 with no body. An Atom feed names its
author (the portal, RFC 4287 4.1.1) and, when no entry matches, its ``updated`` is when
the collection last changed, not the moment of the request. A calendar event's UID is
made from the meeting alone (RFC 7986's UUID form), so it is the same whatever address
the calendar was fetched from.
"""

import datetime
import functools
import hashlib
import uuid

from django.contrib.syndication.views import Feed
from django.db.models import Max
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path, reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .dates import Precision
from .models import Agreement, Meeting
from .places import city_name
from .registry import collection_of

# The calendar's PRODID names its maker, in English whatever the reader's language.
PORTAL = "SME Globalization Initiatives Portal"
FEED_LIMIT = 100
# The calendar holds at most this many meetings, the latest first.
ICS_LIMIT = 500


# When a collection has never had a published record, an empty feed is "updated" then.
NEVER_UPDATED = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
# The namespace of the calendar's UIDs: a meeting's UID is uuid5(namespace, its slug).
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:sme-globalization-initiatives-portal:meeting")


def conditional(request, response, last_modified: datetime.datetime | None = None):
    """``response`` with its ETag (from its body) and Last-Modified, or a 304 when the
    request already holds it (If-None-Match, else If-Modified-Since)."""
    if response.status_code != 200:
        return response
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(request, etag=etag, last_modified=modified, response=response)


def last_changed(model) -> datetime.datetime:
    """When the collection's published records last changed (for an empty feed)."""
    latest = model.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    return latest or NEVER_UPDATED


class StableAtom1Feed(Atom1Feed):
    """Atom whose ``updated``, with no entries, is the collection's last change (passed
    as ``empty_updated``), not now: a poller sees the same feed until something changes."""

    def latest_post_date(self):
        if self.items:
            return super().latest_post_date()
        return self.feed["empty_updated"]


class BadFilter(Exception):
    def __init__(self, filterset):
        super().__init__()
        self.filterset = filterset


def filter_problems(filterset) -> str:
    return "\n".join(
        f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
    )


def filtered(model, request):
    """The published records the list would show for the request's filters."""
    filterset_class = collection_of(model).filterset
    filterset = filterset_class(request.GET, queryset=model.objects.published(), request=request)
    if not filterset.is_valid():
        raise BadFilter(filterset)
    return filterset


def bad_request(filterset) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(filter_problems(filterset), content_type="text/plain")


def list_url(request, model) -> str:
    """The list page these filters come from."""
    url = reverse(collection_of(model).list_route)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def join(*parts) -> str:
    return " · ".join(str(part) for part in parts if part)


def portal_name() -> str:
    return _("SME Globalization Initiatives Portal")


def date_text(date) -> str:
    """A partial date as its pages write it, saying so when it was inferred."""
    if date is None:
        return ""
    return _("%(date)s (inferred)") % {"date": date} if date.inferred else str(date)


def name_of(record) -> str:
    """A linked record's name in the reader's language, as the pages show it."""
    return record.display_name if record is not None else ""


class FilteredFeed(Feed):
    """An Atom feed of a list's published records, the list's own order, newest first."""

    feed_type = StableAtom1Feed
    model = None

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except BadFilter as problem:
            return bad_request(problem.filterset)
        return conditional(request, response)

    def feed_extra_kwargs(self, obj):
        return {"empty_updated": last_changed(self.model)}

    def author_name(self):
        return portal_name()

    def author_link(self, obj):
        _filterset, request = obj
        return request.build_absolute_uri(reverse("initiatives:dashboard"))

    def get_object(self, request, *args, **kwargs):
        # Feed instances are shared between requests: what a request needs travels in obj.
        return filtered(self.model, request), request

    def link(self, obj):
        _filterset, request = obj
        return list_url(request, self.model)

    def feed_url(self, obj):
        _filterset, request = obj
        return request.get_full_path()

    def items(self, obj):
        filterset, _request = obj
        return filterset.qs.for_list()[:FEED_LIMIT]

    def item_title(self, record):
        return record.display_name

    def item_link(self, record):
        return record.get_absolute_url()

    def item_pubdate(self, record):
        return record.published_at or record.created_at

    def item_updateddate(self, record):
        return record.updated_at

    def item_categories(self, record):
        return [record.get_kind_display()]

    def item_description(self, record):
        # Atom publishes a summary as type="html": an editor's "<b>" must reach readers as text.
        return escape(self.summary(record))


class AgreementFeed(FilteredFeed):
    model = Agreement

    def title(self, obj):
        return _("Agreements · %(portal)s") % {"portal": portal_name()}

    def subtitle(self, obj):
        return _("MOUs, agreements and declarations, newest signing first.")

    def summary(self, agreement):
        parties = "; ".join(
            f"{name_of(party.ministry)} ({name_of(party.ministry.country)})"
            if party.ministry.country
            else name_of(party.ministry)
            for party in agreement.parties.all()
        )
        signed = (
            _("signed %(date)s") % {"date": date_text(agreement.signed)} if agreement.signed else ""
        )
        return join(
            agreement.get_kind_display().capitalize(),
            agreement.get_status_display(),
            signed,
            parties,
            agreement.summary,
        )


class MeetingFeed(FilteredFeed):
    model = Meeting

    def title(self, obj):
        return _("Meetings · %(portal)s") % {"portal": portal_name()}

    def subtitle(self, obj):
        return _("Council meetings, bilateral meetings and roundtables, newest first.")

    def summary(self, meeting):
        return meeting_text(meeting)


@functools.cache
def translated_choices(model, field: str, language: str | None) -> dict[str, str]:
    """A field's choices as {value: label}, the labels in ``language`` (the active one)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def display(record, field: str) -> str:
    """What ``record.get_<field>_display()`` gives. That builds a dict of every choice on
    each call, translating every label to hash it: a fifth of a 500-meeting calendar."""
    value = getattr(record, field)
    return translated_choices(type(record), field, get_language()).get(value, value)


def meeting_text(meeting) -> str:
    council = meeting.council
    return join(
        display(meeting, "kind").capitalize(),
        date_text(meeting.held),
        display(meeting, "status") if meeting.status != Meeting.Status.HELD else "",
        ", ".join(
            p for p in (city_name(meeting.city, meeting.country_id), name_of(meeting.country)) if p
        ),
        display(meeting, "format"),
        _("Council: %(council)s") % {"council": name_of(council)} if council else "",
        meeting.summary,
    )


def meetings_ics(request):
    """Meetings with a known day as all-day events; those known only to the month or year
    cannot be put on a calendar, so they are left out and the calendar says how many."""
    try:
        filterset = filtered(Meeting, request)
    except BadFilter as problem:
        return bad_request(problem.filterset)
    meetings = filterset.qs.for_calendar()
    on_a_day = list(meetings.filter(held_on_precision=Precision.DAY)[: ICS_LIMIT + 1])
    capped = len(on_a_day) > ICS_LIMIT
    del on_a_day[ICS_LIMIT:]
    left_out = meetings.exclude(held_on_precision=Precision.DAY).order_by().count()
    description = _(
        "Meetings whose day is known, as all-day events. Meetings known only to the month "
        "or the year, or not dated at all, are left out: %(n)s for these filters."
    ) % {"n": left_out}
    if capped:
        description += " " + _(
            "Only the %(limit)s latest meetings are included; narrow the filters (for "
            "example with date_from and date_to) to get the others."
        ) % {"limit": ICS_LIMIT}
    site = request.build_absolute_uri("/").removesuffix("/")  # scheme and host
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ical_text(f'-//{PORTAL}//Meetings//EN')}",
        f"DESCRIPTION:{ical_text(description)}",
        # X- properties are TEXT unless said otherwise (RFC 5545, 3.8.8.2): escaped too,
        # or a reader (vobject) cuts the description at its first comma.
        f"X-WR-CALDESC:{ical_text(description)}",
        f"X-WR-CALNAME:{ical_text(_('Meetings · %(portal)s') % {'portal': portal_name()})}",
        f"URL:{request.build_absolute_uri(list_url(request, Meeting))}",
    ]
    for meeting in on_a_day:
        lines += meeting_event(meeting, site + meeting.get_absolute_url())
    lines.append("END:VCALENDAR")
    body = "".join(fold(line) + "\r\n" for line in lines)
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    latest = max((m.updated_at for m in on_a_day), default=None) or last_changed(Meeting)
    return conditional(request, response, last_modified=latest)


def meeting_uid(meeting) -> str:
    """The meeting's UID in any calendar: made from its slug alone (RFC 7986 5.3)."""
    return str(uuid.uuid5(UID_NAMESPACE, meeting.slug)).upper()


def meeting_event(meeting, url: str) -> list[str]:
    """One meeting as the content lines of an all-day VEVENT, in the icalendar package's
    order (its canonical properties first, the others alphabetically)."""
    place = ", ".join(
        p
        for p in (
            meeting.venue,
            city_name(meeting.city, meeting.country_id),
            name_of(meeting.country),
        )
        if p
    )
    status = "TENTATIVE" if meeting.status == Meeting.Status.PLANNED else "CONFIRMED"
    return [
        "BEGIN:VEVENT",
        f"SUMMARY:{ical_text(meeting.name)}",
        f"DTSTART;VALUE=DATE:{ical_date(meeting.held_on)}",
        f"DTEND;VALUE=DATE:{ical_date(day_after(meeting.held_on))}",
        f"DTSTAMP:{ical_utc(meeting.updated_at)}",
        f"UID:{meeting_uid(meeting)}",
        f"CATEGORIES:{ical_text(display(meeting, 'kind'))}",
        f"DESCRIPTION:{ical_text(meeting_text(meeting))}",
        f"LAST-MODIFIED:{ical_utc(meeting.updated_at)}",
        *([f"LOCATION:{ical_text(place)}"] if place else []),
        f"STATUS:{status}",
        f"URL:{url}",
        "END:VEVENT",
    ]


# iCalendar is written here rather than with the icalendar package, which folds lines one
# character at a time: for a calendar of 500 meetings that was most of the response time.
# The text is the same as the package's (tests/test_page_speedups.py compares them).


def ical_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (3.3.11) asks, line breaks written as \\n."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def day_after(day: datetime.date) -> datetime.date:
    """Where an all-day event ends; a date stored at the calendar's very end has no next."""
    return day if day == datetime.date.max else day + datetime.timedelta(days=1)


def ical_date(day: datetime.date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def ical_utc(moment: datetime.datetime) -> str:
    moment = moment.astimezone(datetime.UTC)
    return f"{ical_date(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"


FOLD_AT = 75


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets (RFC 5545, 3.1), never inside
    a character and never just after a backslash or a caret (an escape)."""
    data = line.encode()
    if len(data) < FOLD_AT:
        return line
    parts = []
    while len(data) >= FOLD_AT:
        cut = FOLD_AT - 1
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: inside a character
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


app_name = "feeds"
urlpatterns = [
    path("agreements/", AgreementFeed(), name="agreements"),
    path("meetings/", MeetingFeed(), name="meetings"),
    path("meetings.ics", meetings_ics, name="meetings-ics"),
]
