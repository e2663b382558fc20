"""Findable pages: a meta description on every page, schema.org JSON-LD on detail
pages, a favicon at /favicon.ico."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_data(portal_data_for_module, db):
    pass


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def structured(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(text) for text in found]


@pytest.mark.parametrize(
    "url",
    [
        reverse("initiatives:dashboard"),
        reverse("initiatives:agreement-list") + "?country=be",
        reverse("initiatives:search") + "?q=startup",
        reverse("initiatives:country-list"),
        reverse("initiatives:country-detail", args=["be"]),
        reverse("initiatives:agreement-detail", args=["jeju-initiative"]),
        reverse("initiatives:person-detail", args=["oh-young-ju"]),
    ],
)
def test_every_page_has_a_meta_description_of_its_own(client, portal_data, url):
    html = page(client, url)
    descriptions = re.findall(r'<meta name="description" content="([^"]+)">', html)
    assert len(descriptions) == 1
    assert 50 <= len(descriptions[0]) <= 200


def test_a_detail_page_describes_its_record_not_the_portal(client, portal_data):
    html = page(client, reverse("initiatives:ministry-detail", args=["mofa"]))
    assert '<meta name="description" content="Ministry: Ministry of Foreign Affairs' in html


@pytest.mark.parametrize(
    ("route", "slug", "kind"),
    [
        ("meeting", "korea-china-mou-signing", "Event"),
        ("ministry", "mofa", "GovernmentOrganization"),
        ("organization", "82startup", "Organization"),
        ("council", "apec-startup-alliance", "Organization"),
        ("person", "cho-tae-yul", "Person"),
        ("source", "sme-globalization-strategy-meeting-report", "CreativeWork"),
    ],
)
def test_a_detail_page_carries_its_schema_org_type(client, portal_data, route, slug, kind):
    url = reverse(f"initiatives:{route}-detail", args=[slug])
    (data,) = structured(page(client, url))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == kind
    assert data["url"] == f"http://testserver{url}"
    assert data["name"]


def test_a_meeting_event_has_its_date_and_place(client, portal_data):
    url = reverse("initiatives:meeting-detail", args=["korea-china-mou-signing"])
    (event,) = structured(page(client, url))
    assert event["startDate"] == "2026-01-05"
    assert event["location"]["address"]["addressCountry"] == "CN"


def test_structured_data_cannot_close_its_script_element(client, portal_data):
    from initiatives.models import Ministry

    Ministry.objects.filter(slug="mofa").update(acronym="</script><b>")
    html = page(client, reverse("initiatives:ministry-detail", args=["mofa"]))
    (data,) = structured(html)
    assert "</script><b>" in data["alternateName"]
    assert "<b>" not in html.split('type="application/ld+json">')[1].split("</script>")[0]


def test_lists_and_the_dashboard_carry_no_record_data(client, portal_data):
    assert structured(page(client, reverse("initiatives:dashboard"))) == []
    assert structured(page(client, reverse("initiatives:meeting-list"))) == []


def test_the_favicon_answers_at_the_site_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
