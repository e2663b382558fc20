"""Statuses age: each is shown with the date it was reported, one still pending after
the date it was expected by reads as "last reported …, expected by …", and staff find
those on the follow-ups page. Places the documents give or imply find their meetings
and agreements by country."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from initiatives.models import Council, Meeting
from initiatives.statuses import follow_ups_due, is_overdue
from tests import factories as f


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS


def page(name, slug):
    return Client().get(reverse(f"initiatives:{name}-detail", args=[slug])).content.decode()


def test_a_status_pending_past_its_expected_date_reads_as_last_reported(portal_data):
    html = page("council", "consultative-body-frankfurt")
    assert "Last reported forming as of" in html
    assert '<time datetime="2024-04-21">21 April 2024</time>' in html
    assert 'expected by <time datetime="2024-05">May 2024</time>' in html


def test_a_planned_meeting_past_its_month_is_not_shown_as_planned(portal_data):
    html = page("meeting", "consultative-body-india-first-meeting-2024-05")
    assert "Last reported planned as of" in html
    assert "<dd>Planned" not in html


def test_the_case_due_in_the_first_half_of_2025_reads_as_last_reported(portal_data):
    html = page("support-case", "poen-factory-site-and-permits-germany")
    assert "Last reported in progress as of" in html
    assert '<time datetime="2025-06">June 2025</time>' in html


def test_a_current_status_is_shown_with_its_as_of_date(portal_data):
    html = page("council", "consultative-body-singapore")
    assert 'Active, as of <time datetime="2024-04-17">17 April 2024</time>' in html
    assert "Last reported" not in html


def test_a_status_is_overdue_only_once_the_whole_expected_month_has_passed(portal_data):
    frankfurt = Council.objects.get(slug="consultative-body-frankfurt")
    assert not is_overdue(frankfurt, today=datetime.date(2024, 5, 31))
    assert is_overdue(frankfurt, today=datetime.date(2024, 6, 1))
    frankfurt.status = Council.Status.ACTIVE
    assert not is_overdue(frankfurt, today=datetime.date(2026, 11, 29))


def test_follow_ups_due_are_the_pending_statuses_whose_date_has_passed(portal_data):
    due = {(type(r).__name__, r.slug) for r in follow_ups_due(today=datetime.date(2026, 11, 29))}
    assert due == {
        ("Council", "consultative-body-frankfurt"),
        ("Council", "consultative-body-india"),
        ("Council", "consultative-body-ho-chi-minh-city"),
        ("Meeting", "consultative-body-india-first-meeting-2024-05"),
        ("Meeting", "consultative-body-ho-chi-minh-city-first-meeting-2024-05"),
        ("SupportCase", "poen-factory-site-and-permits-germany"),
    }
    early = follow_ups_due(today=datetime.date(2024, 5, 15))
    assert early == []


def test_staff_see_the_follow_ups_page_with_links_to_the_records(portal_data):
    client = f.log_in_verified(Client(), f.AccountFactory(role="editor"))
    response = client.get(reverse("admin-follow-ups"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "6 follow-ups due" in html
    frankfurt = Council.objects.get(slug="consultative-body-frankfurt")
    assert reverse("admin:initiatives_council_change", args=[frankfurt.pk]) in html
    assert "consultative body at the Embassy in Singapore" not in html
    assert reverse("admin-follow-ups") in client.get(reverse("admin:index")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in_for_follow_ups(db):
    response = Client().get(reverse("admin-follow-ups"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_belgium_finds_its_three_meetings(portal_data):
    response = Client().get(reverse("initiatives:meeting-list"), {"country": "be"})
    html = response.content.decode()
    for slug in ("korea-belgium-mou-signing", "korea-belgium-bilateral-meeting"):
        assert reverse("initiatives:meeting-detail", args=[slug]) in html
    assert (
        reverse("initiatives:meeting-detail", args=["roundtable-korean-companies-in-belgium"])
        in html
    )
    api = Client().get("/api/meetings/", {"country": "be"}).json()
    assert api["count"] == 3
    country = Client().get(reverse("initiatives:country-detail", args=["be"])).content.decode()
    assert (
        reverse("initiatives:meeting-detail", args=["korea-belgium-bilateral-meeting"]) in country
    )


def test_china_finds_both_korea_china_agreements(portal_data):
    api = Client().get("/api/agreements/", {"country": "cn"}).json()
    assert {row["slug"] for row in api["results"]} == {
        "korea-china-sme-innovation-mou-2026",
        "korea-china-previous-sme-agreement",
    }
    previous = next(r for r in api["results"] if r["slug"] == "korea-china-previous-sme-agreement")
    assert (sorted(previous["party_countries"]), previous["party_countries_inferred"]) == (
        ["cn", "kr"],
        True,
    )
    csv = Client().get(reverse("initiatives:agreement-list"), {"country": "cn", "format": "csv"})
    assert b"korea-china-previous-sme-agreement" in b"".join(csv.streaming_content)


def test_an_inferred_place_says_so(portal_data):
    html = page("meeting", "korea-belgium-bilateral-meeting")
    assert "Brussels" in html and '<span class="inferred">(inferred)</span>' in html
    signing = page("meeting", "korea-belgium-mou-signing")
    assert Meeting.objects.get(slug="korea-belgium-mou-signing").place_inferred is False
    assert "Brussels" in signing


def test_the_earlier_agreement_page_names_its_parties_countries_as_inferred(portal_data):
    html = page("agreement", "korea-china-previous-sme-agreement")
    assert "Parties in" in html
    assert reverse("initiatives:country-detail", args=["cn"]) in html
    assert "the ministries are not recorded." in html
