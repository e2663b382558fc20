"""Regions and groupings: the reference data, the ``region`` filter on every list that
has ``country`` (page, CSV, API, feeds), its facet, and the region pages."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from initiatives.filters import AgreementFilter, MeetingFilter
from initiatives.models import Agreement, Country, Meeting, Region
from initiatives.registry import COLLECTIONS

pytestmark = pytest.mark.django_db

BELGIUM_MOU = "korea-belgium-sme-startup-mou-2026"
CHINA_MOU = "korea-china-sme-innovation-mou-2026"


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """The seed fixtures, loaded once for the module."""


def csv_slugs(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["slug"] for row in csv.DictReader(io.StringIO(text))]


# The reference data -----------------------------------------------------------------


def test_m49_regions_and_groupings_are_loaded_with_korean_names_and_sources(portal_data):
    regions = {r.slug: r for r in Region.objects.all()}
    for slug in ["africa", "americas", "asia", "europe", "oceania"]:
        assert regions[slug].kind == Region.Kind.REGION
    for slug in ["eastern-asia", "south-eastern-asia", "western-europe", "northern-america"]:
        assert regions[slug].kind == Region.Kind.SUB_REGION
    assert regions["eastern-asia"].parent == regions["asia"]
    assert regions["europe"].m49_code == "150"
    assert {
        r.kind for r in regions.values() if r.slug in {"eu", "asean", "oecd", "g20", "apec"}
    } == {Region.Kind.GROUPING}
    assert all(r.name_ko and r.source for r in regions.values())
    assert all(r.source_url.startswith("https://") for r in regions.values())
    assert regions["eastern-asia"].name_ko == "동아시아"


def test_memberships_are_the_groupings_own(portal_data):
    def members(slug):
        return set(Region.objects.get(slug=slug).countries.values_list("code", flat=True))

    assert len(members("eu")) == 27 and {"be", "de", "fr"} <= members("eu")
    assert "gb" not in members("eu")
    assert members("asean") == {"bn", "kh", "id", "la", "my", "mm", "ph", "sg", "th", "tl", "vn"}
    assert len(members("oecd")) == 38 and "kr" in members("oecd")
    assert len(members("g20")) == 19 and {"kr", "cn", "in"} <= members("g20")
    assert len(members("apec")) == 21 and {"kr", "cn", "vn", "tw", "hk"} <= members("apec")
    # M49 lists Taiwan under no area of its own; APEC lists it as a member economy.
    assert members("eastern-asia") == {"cn", "hk", "jp", "kp", "kr", "mn", "mo"}


def test_every_country_m49_lists_is_in_one_m49_region(portal_data):
    without = Country.objects.exclude(regions__kind=Region.Kind.REGION)
    assert set(without.values_list("code", flat=True)) == {"aq", "tw"}
    for country in Country.objects.filter(code__in=["kr", "be", "cn", "vn", "us"]):
        assert country.regions.filter(kind=Region.Kind.REGION).count() == 1


def test_loading_the_data_again_changes_no_region(portal_data):
    before = {
        r.slug: sorted(r.countries.values_list("code", flat=True)) for r in Region.objects.all()
    }
    call_command("load_portal_data", verbosity=0)
    after = {
        r.slug: sorted(r.countries.values_list("code", flat=True)) for r in Region.objects.all()
    }
    assert before == after


def test_the_fixture_is_what_the_build_command_writes(tmp_path, monkeypatch):
    from initiatives.management.commands import build_region_fixture as build

    committed = (build.FIXTURES_DIR / "regions.json").read_text(encoding="utf-8")
    monkeypatch.setattr(build, "FIXTURES_DIR", tmp_path)
    call_command("build_region_fixture", stdout=io.StringIO())
    assert (tmp_path / "regions.json").read_text(encoding="utf-8") == committed


# The filter ---------------------------------------------------------------------------


def test_every_list_with_a_country_filter_has_a_region_filter_and_facet():
    for collection in COLLECTIONS:
        filters = collection.filterset.base_filters
        if "country" in filters:
            assert "region" in filters, collection.segment
            assert "region" in {facet.param for facet in collection.filterset.facets}


def test_europe_since_2024_is_one_question_on_page_csv_and_api(client, portal_data):
    query = {"region": "europe", "date_from": "2024"}
    page = client.get(reverse("initiatives:agreement-list"), query)
    assert page.status_code == 200
    content = page.content.decode()
    assert reverse("initiatives:agreement-detail", args=[BELGIUM_MOU]) in content
    assert reverse("initiatives:agreement-detail", args=[CHINA_MOU]) not in content
    assert csv_slugs(
        client.get(reverse("initiatives:agreement-list"), {**query, "format": "csv"})
    ) == [BELGIUM_MOU]
    api = client.get("/api/agreements/", query).json()
    assert [a["slug"] for a in api["results"]] == [BELGIUM_MOU]


def test_region_filter_repeats_and_takes_groupings(portal_data):
    published = Agreement.objects.published()
    both = AgreementFilter({"region": ["EU", "eastern-asia"]}, queryset=published).qs
    assert BELGIUM_MOU in {a.slug for a in both} and CHINA_MOU in {a.slug for a in both}
    only_eu = AgreementFilter({"region": ["eu"]}, queryset=published).qs
    assert [a.slug for a in only_eu] == [BELGIUM_MOU]
    # An agreement in several countries of a region is listed once.
    asia = AgreementFilter({"region": ["asia"]}, queryset=published).qs
    assert len(asia) == len({a.pk for a in asia})


def test_region_facet_counts_each_record_once_per_region(portal_data):
    published = Agreement.objects.published()
    filterset = AgreementFilter({}, queryset=published)
    counts = {c.value: c.count for c in filterset.facet_choices()["region"]}
    for slug in ["eastern-asia", "eu", "europe", "g20"]:
        expected = AgreementFilter({"region": [slug]}, queryset=published).qs.count()
        assert counts[slug] == expected, slug
    assert counts["eu"] == 1  # signed in Belgium with a Belgian party: once
    meetings = MeetingFilter({}, queryset=Meeting.objects.published())
    meeting_counts = {c.value: c.count for c in meetings.facet_choices()["region"]}
    assert (
        meeting_counts["asia"]
        == MeetingFilter({"region": ["asia"]}, queryset=Meeting.objects.published()).qs.count()
    )


def test_region_facet_is_shown_and_names_regions_in_korean(client, portal_data):
    url = reverse("initiatives:agreement-list")
    assert "Eastern Asia" in client.get(url).content.decode()
    with translation.override("ko"):
        korean_url = reverse("initiatives:agreement-list")
    korean = client.get(korean_url).content.decode()
    assert "동아시아" in korean


def test_unknown_region_is_reported_on_the_page_and_refused_by_csv_api_and_feed(
    client, portal_data
):
    page = client.get(reverse("initiatives:meeting-list"), {"region": "atlantis"})
    assert page.status_code == 200
    assert "Unknown region" in page.content.decode()
    csv_answer = client.get(
        reverse("initiatives:meeting-list"), {"region": "atlantis", "format": "csv"}
    )
    assert csv_answer.status_code == 400
    # The API's contract: a well-formed key that names no region is a 404 (as for country).
    assert client.get("/api/meetings/", {"region": "atlantis"}).status_code == 404
    assert client.get(reverse("feeds:agreements"), {"region": "atlantis"}).status_code == 400


def test_feeds_filter_by_region(client, portal_data):
    feed = client.get(reverse("feeds:agreements"), {"region": "eu"}).content.decode()
    assert BELGIUM_MOU in feed and CHINA_MOU not in feed


def test_api_schema_documents_the_region_filter(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = json.loads(schema.content)
    parameters = document["paths"]["/api/agreements/"]["get"]["parameters"]
    assert "region" in {p["name"] for p in parameters}


# The pages ------------------------------------------------------------------------------


def test_regions_index_lists_regions_and_groupings_with_their_records(client, portal_data):
    content = client.get(reverse("initiatives:region-list")).content.decode()
    for slug in ["europe", "eastern-asia", "eu", "asean", "oecd", "g20", "apec"]:
        assert reverse("initiatives:region-detail", args=[slug]) in content
    assert "Groupings" in content or "Grouping" in content


def test_region_page_gathers_records_in_its_countries(client, portal_data):
    response = client.get(reverse("initiatives:region-detail", args=["europe"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("initiatives:agreement-detail", args=[BELGIUM_MOU]) in content
    assert reverse("initiatives:agreement-detail", args=[CHINA_MOU]) not in content
    # Its countries; those with records link to their pages.
    assert reverse("initiatives:country-detail", args=["be"]) in content
    assert "Liechtenstein" in content
    assert reverse("initiatives:country-detail", args=["li"]) not in content
    assert reverse("initiatives:region-detail", args=["western-europe"]) in content
    assert "unstats.un.org" in content


def test_grouping_page_names_its_source(client, portal_data):
    content = client.get(reverse("initiatives:region-detail", args=["asean"])).content.decode()
    assert "asean.org" in content
    assert "Viet Nam" in content or "Vietnam" in content


def test_unknown_region_page_is_404(client, portal_data):
    assert client.get(reverse("initiatives:region-detail", args=["atlantis"])).status_code == 404


def test_countries_index_is_grouped_by_region(client, portal_data):
    content = client.get(reverse("initiatives:country-list")).content.decode()
    asia = content.index('id="area-asia"')
    europe = content.index('id="area-europe"')
    korea = content.index(reverse("initiatives:country-detail", args=["kr"]))
    belgium = content.index(reverse("initiatives:country-detail", args=["be"]))
    assert asia < korea < europe < belgium


def test_sitemap_lists_the_regions_with_records(client, portal_data):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-region.xml" in index
    regions = client.get("/sitemap-region.xml").content.decode()
    assert reverse("initiatives:region-detail", args=["europe"]) in regions
    assert reverse("initiatives:region-detail", args=["melanesia"]) not in regions
