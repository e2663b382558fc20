"""An umbrella council and the bodies under it: its page, the ``council`` filter and
its figures take in its sub-bodies' meetings, cases and figures, each saying which
body it belongs to; ``sub_bodies=exclude`` shows the umbrella body alone."""

import pytest
from django.urls import reverse

from initiatives.filters import MeetingFilter, SupportCaseFilter
from initiatives.models import Meeting, SupportCase

pytestmark = pytest.mark.django_db

UMBRELLA = "support-council-of-diplomatic-missions"
INAUGURAL = "consultative-bodies-inaugural-meeting-2024-04-17"
INDIA = "consultative-body-india-first-meeting-2024-05"
HO_CHI_MINH = "consultative-body-ho-chi-minh-city-first-meeting-2024-05"


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """The seed fixtures, loaded once for the module."""


def slugs(filterset) -> set[str]:
    return {record.slug for record in filterset.qs}


def test_council_filter_takes_in_the_sub_bodies_meetings(portal_data):
    meetings = Meeting.objects.published()
    assert slugs(MeetingFilter({"council": [UMBRELLA]}, queryset=meetings)) == {
        INAUGURAL,
        INDIA,
        HO_CHI_MINH,
    }


def test_sub_bodies_exclude_shows_the_umbrella_body_alone(portal_data):
    meetings = Meeting.objects.published()
    alone = MeetingFilter({"council": [UMBRELLA], "sub_bodies": "exclude"}, queryset=meetings)
    assert slugs(alone) == {INAUGURAL}
    # A sub-body's own meetings are its own either way.
    body = {"council": ["consultative-body-india"]}
    assert slugs(MeetingFilter(body, queryset=meetings)) == {INDIA}


def test_council_facet_counts_the_sub_bodies_meetings(portal_data):
    meetings = Meeting.objects.published()
    counts = {
        c.value: c.count for c in MeetingFilter({}, queryset=meetings).facet_choices()["council"]
    }
    assert counts[UMBRELLA] == 3
    assert counts["consultative-body-india"] == 1
    alone = MeetingFilter({"sub_bodies": "exclude"}, queryset=meetings).facet_choices()["council"]
    assert {c.value: c.count for c in alone}[UMBRELLA] == 1


def test_support_case_council_filter_takes_in_sub_bodies_too(portal_data):
    cases = SupportCase.objects.published()
    assert slugs(SupportCaseFilter({"council": [UMBRELLA]}, queryset=cases))
    assert "sub_bodies" in SupportCaseFilter.base_filters


def test_the_same_in_csv_and_api(client, portal_data):
    api = client.get("/api/meetings/", {"council": UMBRELLA}).json()
    assert {m["slug"] for m in api["results"]} == {INAUGURAL, INDIA, HO_CHI_MINH}
    alone = client.get("/api/meetings/", {"council": UMBRELLA, "sub_bodies": "exclude"}).json()
    assert [m["slug"] for m in alone["results"]] == [INAUGURAL]
    bad = client.get("/api/meetings/", {"council": UMBRELLA, "sub_bodies": "maybe"})
    assert bad.status_code == 400
    csv = client.get(reverse("initiatives:meeting-list"), {"council": UMBRELLA, "format": "csv"})
    text = b"".join(csv.streaming_content).decode()
    assert INDIA in text and INAUGURAL in text


def test_umbrella_page_shows_sub_bodies_meetings_with_their_body(client, portal_data):
    content = client.get(reverse("initiatives:council-detail", args=[UMBRELLA])).content.decode()
    for meeting in (INAUGURAL, INDIA, HO_CHI_MINH):
        assert reverse("initiatives:meeting-detail", args=[meeting]) in content
    assert "held by" in content
    assert reverse("initiatives:council-detail", args=["consultative-body-india"]) in content
    # The way to the umbrella body alone.
    assert "sub_bodies=exclude" in content
    # Figures reported about a sub-body are on the umbrella page, about that body.
    assert "Reported figures" in content


def test_umbrella_page_lists_sub_bodies_figures(client, portal_data):
    page = client.get(reverse("initiatives:council-detail", args=[UMBRELLA]))
    sub_body_figures = page.context["body_metrics"]
    assert {m.council.slug for m in sub_body_figures} >= {UMBRELLA, "consultative-body-los-angeles"}


def test_sub_body_page_shows_only_its_own(client, portal_data):
    page = client.get(reverse("initiatives:council-detail", args=["consultative-body-india"]))
    assert [m.slug for m, _body in page.context["body_meetings"]] == [INDIA]
    assert "sub_bodies=exclude" not in page.content.decode()
