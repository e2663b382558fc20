"""FilterSets, on their own (``F(data, queryset=qs).qs``) and through the list pages."""

import pytest
from django.urls import reverse

from initiatives.filters import (
    AgreementFilter,
    CouncilFilter,
    MeetingFilter,
    MinistryFilter,
    SupportCaseFilter,
)
from initiatives.models import Agreement, Council, Meeting, Ministry, Organization, SupportCase
from tests import factories as f

pytestmark = pytest.mark.django_db


def names(filterset) -> set[str]:
    return {record.name for record in filterset.qs}


@pytest.fixture
def agreements():
    mss = f.ministry(slug="mss", name="Ministry of SMEs and Startups", acronym="MSS")
    belgium = f.ministry(slug="be-economy", name="Belgian Economy Ministry", country_code="be")
    france = f.ministry(slug="fr-economy", name="French Economy Ministry", country_code="fr")
    f.alias(france, name="Bercy")
    return {
        "belgian": f.agreement(
            slug="be-mou", name="Belgian MOU", parties=(mss, belgium), signed="2024-04-17"
        ),
        "french": f.agreement(
            slug="fr-mou",
            name="French MOU",
            parties=(mss, france),
            signed="2025",
            status=Agreement.Status.IN_FORCE,
        ),
        "declaration": f.agreement(
            slug="joint-declaration",
            name="Joint declaration",
            parties=(mss,),
            signed="2023-12",
            kind=Agreement.Kind.DECLARATION,
        ),
    }


def agreement_filter(data):
    return AgreementFilter(data, queryset=Agreement.objects.published())


def test_country_filter_takes_any_case_and_repeats(agreements):
    assert names(agreement_filter({"country": "BE"})) == {"Belgian MOU"}
    both = agreement_filter({"country": ["be", "Fr"]})
    assert names(both) == {"Belgian MOU", "French MOU"}


def test_country_filter_counts_each_agreement_once(agreements):
    # Both parties of every agreement include Korea: no duplicates from the join.
    assert agreement_filter({"country": "kr"}).qs.count() == 3


def test_unknown_country_is_reported_and_ignored(agreements):
    filterset = agreement_filter({"country": "zz"})
    assert not filterset.is_valid()
    assert "Unknown country code" in str(filterset.form.errors["country"])
    assert filterset.qs.count() == 3


def test_ministry_filter_matches_party_slug(agreements):
    assert names(agreement_filter({"ministry": "fr-economy"})) == {"French MOU"}


def test_kind_and_status_filters(agreements):
    assert names(agreement_filter({"kind": "declaration"})) == {"Joint declaration"}
    assert names(agreement_filter({"status": "in-force"})) == {"French MOU"}
    assert not agreement_filter({"status": "dormant"}).is_valid()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"date_from": "2024"}, {"Belgian MOU", "French MOU"}),
        ({"date_to": "2024"}, {"Belgian MOU", "Joint declaration"}),
        ({"date_from": "2024-04", "date_to": "2024-04"}, {"Belgian MOU"}),
        ({"date_from": "2024-04-18"}, {"French MOU"}),
        ({"date_to": "2023-12-01"}, {"Joint declaration"}),
    ],
)
def test_date_range_takes_year_month_or_day(agreements, data, expected):
    assert names(agreement_filter(data)) == expected


def test_malformed_date_is_reported(agreements):
    filterset = agreement_filter({"date_from": "April 2024"})
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(filterset.form.errors["date_from"])


def test_q_matches_an_alias(agreements):
    ministries = MinistryFilter({"q": "bercy"}, queryset=Ministry.objects.published())
    assert names(ministries) == {"French Economy Ministry"}


def test_sort_orders_by_name_or_date(agreements):
    by_name = [a.name for a in agreement_filter({"sort": "name"}).qs]
    assert by_name == ["Belgian MOU", "French MOU", "Joint declaration"]
    oldest = [a.name for a in agreement_filter({"sort": "signed_on"}).qs]
    assert oldest == ["Joint declaration", "Belgian MOU", "French MOU"]


def test_unknown_sort_key_keeps_usual_order(agreements):
    filterset = agreement_filter({"sort": "password"})
    assert "Unknown sort order" in str(filterset.form.errors["sort"])
    assert filterset.qs.count() == 3


def test_facets_count_each_choice_under_the_other_filters(agreements):
    facets = agreement_filter({"kind": "mou", "country": "be"}).facet_choices()
    countries = {c.value: c.count for c in facets["country"]}
    assert countries == {"kr": 2, "be": 1, "fr": 1}
    kinds = {c.value: (c.count, c.selected) for c in facets["kind"]}
    assert kinds == {"mou": (1, True)}


def test_facets_leave_out_unpublished_ministries(agreements):
    draft = f.ministry(slug="draft-ministry", is_published=False)
    f.agreement(slug="with-draft", parties=(draft,))
    facets = agreement_filter({}).facet_choices()
    assert "draft-ministry" not in {c.value for c in facets["ministry"]}


def test_meetings_filter_by_council_and_format():
    body = f.council(slug="be-body", country_code="be")
    other = f.council(slug="fr-body", country_code="fr")
    f.meeting(slug="first", name="First", council=body, format=Meeting.Format.ONLINE)
    f.meeting(slug="second", name="Second", council=other, format=Meeting.Format.IN_PERSON)
    qs = Meeting.objects.published()
    assert names(MeetingFilter({"council": "be-body"}, queryset=qs)) == {"First"}
    assert names(MeetingFilter({"format": "in-person"}, queryset=qs)) == {"Second"}
    assert not MeetingFilter({"format": "by-pigeon"}, queryset=qs).is_valid()


def test_support_cases_filter_by_sector_organization_and_status():
    kosme = f.organization(slug="kosme", name="KOSME")
    f.support_case(slug="a", name="Case A", sector="biotech", supporters=(kosme,))
    f.support_case(slug="b", name="Case B", sector="fintech", status="resolved")
    qs = SupportCase.objects.published()
    assert names(SupportCaseFilter({"sector": "biotech"}, queryset=qs)) == {"Case A"}
    assert names(SupportCaseFilter({"organization": "kosme"}, queryset=qs)) == {"Case A"}
    assert names(SupportCaseFilter({"status": "resolved"}, queryset=qs)) == {"Case B"}


def test_councils_filter_by_host_mission():
    embassy = f.organization(
        slug="embassy-brussels", kind=Organization.Kind.MISSION, country_code="be"
    )
    f.council(slug="brussels-body", name="Brussels body", mission=embassy)
    f.council(slug="other-body", name="Other body")
    qs = Council.objects.published()
    assert names(CouncilFilter({"mission": "embassy-brussels"}, queryset=qs)) == {"Brussels body"}
    assert not CouncilFilter({"mission": "kosme"}, queryset=qs).is_valid()


# Through the pages -------------------------------------------------------------------


def test_list_page_filters_by_country(client, agreements):
    response = client.get(reverse("initiatives:agreement-list"), {"country": "BE"})
    assert response.status_code == 200
    assert b"Belgian MOU" in response.content
    assert b"French MOU" not in response.content


def test_list_page_shows_facet_counts(client, agreements):
    response = client.get(reverse("initiatives:agreement-list"))
    facets = dict(response.context["facets"][0:1])
    (country_filter, choices) = response.context["facets"][0]
    assert country_filter.field_name == "country"
    assert {c.label: c.count for c in choices}["Belgium"] == 1
    assert facets


def test_active_filter_can_be_removed_one_at_a_time(client, agreements):
    response = client.get(reverse("initiatives:agreement-list"), {"country": ["be", "fr"]})
    active = response.context["active_filters"]
    assert [a.label for a in active] == ["Country: Belgium", "Country: France"]
    assert active[0].remove_url == "?country=fr"
    assert b"?country=fr" in response.content


def test_list_page_sorts_and_keeps_filters_on_page_links(client):
    mss = f.ministry(slug="mss")
    for i in range(30):
        f.agreement(slug=f"mou-{i:02d}", name=f"MOU {i:02d}", parties=(mss,))
    response = client.get(reverse("initiatives:agreement-list"), {"sort": "name", "kind": "mou"})
    assert response.context["page_obj"].object_list[0].name == "MOU 00"
    assert b"?sort=name&amp;kind=mou&amp;page=2" in response.content
    second = client.get(reverse("initiatives:agreement-list"), {"sort": "-name", "page": "2"})
    assert [a.name for a in second.context["page_obj"].object_list][-1] == "MOU 00"


def test_unpublished_records_never_listed(client, agreements):
    f.agreement(slug="secret-mou", name="Secret draft MOU", is_published=False)
    response = client.get(reverse("initiatives:agreement-list"))
    assert b"Secret draft MOU" not in response.content


@pytest.mark.parametrize(
    ("model", "path", "expected"),
    [
        ("SupportCase", "sector", False),
        ("SupportCase", "country", False),
        ("Meeting", "council", False),
        ("SupportCase", "actions__organization", True),
        ("Agreement", "parties__ministry__country", True),
        ("Council", "host_ministries", True),
    ],
)
def test_only_paths_through_several_records_filter_by_subquery(model, path, expected):
    from django.apps import apps

    from initiatives.querysets import crosses_to_many

    assert crosses_to_many(apps.get_model("initiatives", model), path) is expected
