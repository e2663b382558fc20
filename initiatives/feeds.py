"""Feeds that follow the lists: Atom for agreements and meetings, iCalendar for meetings.

Each takes its list's filters (``/feeds/agreements/?country=be``) through the list's own
FilterSet; a bad value gets a 400 naming the problem, as the API does.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .dates import Precision
from .filters import AgreementFilter, MeetingFilter
from .models import Agreement, Meeting

PORTAL = "SME Globalization Initiatives Portal"
FEED_LIMIT = 100
# The calendar holds at most this many meetings, the latest first.
ICS_LIMIT = 500


class BadFilter(Exception):
    def __init__(self, filterset):
        super().__init__()
        self.filterset = filterset


def filter_problems(filterset) -> str:
    return "\n".join(
        f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
    )


def filtered(filterset_class, model, request):
    """The published records the list would show for the request's filters."""
    filterset = filterset_class(request.GET, queryset=model.objects.published(), request=request)
    if not filterset.is_valid():
        raise BadFilter(filterset)
    return filterset


def bad_request(filterset) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(filter_problems(filterset), content_type="text/plain")


def list_url(request, model) -> str:
    """The list page these filters come from."""
    url = reverse(f"initiatives:{model.route_name}-list")
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def join(*parts) -> str:
    return " · ".join(str(part) for part in parts if part)


class FilteredFeed(Feed):
    """An Atom feed of a list's published records, the list's own order, newest first."""

    feed_type = Atom1Feed
    model = None
    filterset_class = None

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadFilter as problem:
            return bad_request(problem.filterset)

    def get_object(self, request, *args, **kwargs):
        # Feed instances are shared between requests: what a request needs travels in obj.
        return filtered(self.filterset_class, self.model, request), request

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
        return record.name

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
    filterset_class = AgreementFilter

    def title(self, obj):
        return _("Agreements · %(portal)s") % {"portal": PORTAL}

    def subtitle(self, obj):
        return _("MOUs, agreements and declarations, newest signing first.")

    def summary(self, agreement):
        parties = "; ".join(
            f"{party.ministry} ({party.ministry.country})"
            for party in agreement.parties.all()
            if party.ministry.is_published
        )
        signed = _("signed %(date)s") % {"date": agreement.signed} if agreement.signed else ""
        return join(
            agreement.get_kind_display().capitalize(),
            agreement.get_status_display(),
            signed,
            parties,
            agreement.summary,
        )


class MeetingFeed(FilteredFeed):
    model = Meeting
    filterset_class = MeetingFilter

    def title(self, obj):
        return _("Meetings · %(portal)s") % {"portal": PORTAL}

    def subtitle(self, obj):
        return _("Council meetings, bilateral meetings and roundtables, newest first.")

    def summary(self, meeting):
        return meeting_text(meeting)


def meeting_text(meeting) -> str:
    council = meeting.council if meeting.council and meeting.council.is_published else None
    return join(
        meeting.get_kind_display().capitalize(),
        meeting.held,
        meeting.get_status_display() if meeting.status != Meeting.Status.HELD else "",
        ", ".join(str(p) for p in (meeting.city, meeting.country) if p),
        meeting.get_format_display(),
        _("Council: %(council)s") % {"council": council} if council else "",
        meeting.summary,
    )


def meetings_ics(request):
    """Meetings with a known day as all-day events; those known only to the month or year
    cannot be put on a calendar, so they are left out and the calendar says how many."""
    try:
        filterset = filtered(MeetingFilter, Meeting, request)
    except BadFilter as problem:
        return bad_request(problem.filterset)
    meetings = filterset.qs.for_list()
    on_a_day = list(meetings.filter(held_on_precision=Precision.DAY)[: ICS_LIMIT + 1])
    capped = len(on_a_day) > ICS_LIMIT
    del on_a_day[ICS_LIMIT:]
    left_out = meetings.exclude(held_on_precision=Precision.DAY).order_by().count()
    calendar = Calendar()
    calendar.add("prodid", f"-//{PORTAL}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Meetings · %(portal)s") % {"portal": PORTAL})
    description = _(
        "Meetings whose day is known, as all-day events. Meetings known only to the month "
        "or the year, or not dated at all, are left out: %(n)s for these filters."
    ) % {"n": left_out}
    if capped:
        description += " " + _(
            "Only the %(limit)s latest meetings are included; narrow the filters (for "
            "example with date_from and date_to) to get the others."
        ) % {"limit": ICS_LIMIT}
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("url", request.build_absolute_uri(list_url(request, Meeting)))
    for meeting in on_a_day:
        calendar.add_component(meeting_event(request, meeting))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def meeting_event(request, meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.slug}@{request.get_host().split(':')[0]}")
    event.add("summary", meeting.name)
    event.add("dtstart", meeting.held_on)
    event.add("dtend", meeting.held_on + datetime.timedelta(days=1))
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
    event.add("description", meeting_text(meeting))
    event.add("categories", [meeting.get_kind_display()])
    event.add("status", "TENTATIVE" if meeting.status == Meeting.Status.PLANNED else "CONFIRMED")
    place = ", ".join(str(p) for p in (meeting.venue, meeting.city, meeting.country) if p)
    if place:
        event.add("location", place)
    return event


app_name = "feeds"
urlpatterns = [
    path("agreements/", AgreementFeed(), name="agreements"),
    path("meetings/", MeetingFeed(), name="meetings"),
    path("meetings.ics", meetings_ics, name="meetings-ics"),
]
