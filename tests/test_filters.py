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
    mss = f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups", acronym="MSS")
    belgium = f.MinistryFactory(
        slug="be-economy", name="Belgian Economy Ministry", country_code="be"
    )
    france = f.MinistryFactory(slug="fr-economy", name="French Economy Ministry", country_code="fr")
    f.alias(france, name="Bercy")
    return {
        "belgian": f.AgreementFactory(
            slug="be-mou", name="Belgian MOU", parties=(mss, belgium), signed="2024-04-17"
        ),
        "french": f.AgreementFactory(
            slug="fr-mou",
            name="French MOU",
            parties=(mss, france),
            signed="2025",
            status=Agreement.Status.IN_FORCE,
        ),
        "declaration": f.AgreementFactory(
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
        # "2025" may be any day of 2025: it may fall after 2025-06-30 as before 2025-02.
        ({"date_from": "2025-06-30"}, {"French MOU"}),
        ({"date_to": "2025-02"}, {"Belgian MOU", "French MOU", "Joint declaration"}),
        ({"date_from": "2025-03", "date_to": "2025-04"}, {"French MOU"}),
        ({"date_from": "2026"}, set()),
        ({"date_from": "2023-12-31"}, {"Joint declaration", "Belgian MOU", "French MOU"}),
    ],
)
def test_date_range_takes_year_month_or_day(agreements, data, expected):
    assert names(agreement_filter(data)) == expected


def test_malformed_date_is_reported(agreements):
    filterset = agreement_filter({"date_from": "Smarch 2024"})
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(filterset.form.errors["date_from"])


@pytest.mark.parametrize(
    "written", ["April 2024", "2024.04", "2024.4", "2024년 4월", "２０２４-０４"]
)
def test_a_month_written_another_way_filters_as_its_iso_form(agreements, written):
    assert names(agreement_filter({"date_from": written})) == names(
        agreement_filter({"date_from": "2024-04"})
    )


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
    draft = f.MinistryFactory(slug="draft-ministry", is_published=False)
    f.AgreementFactory(slug="with-draft", parties=(draft,))
    facets = agreement_filter({}).facet_choices()
    assert "draft-ministry" not in {c.value for c in facets["ministry"]}


def test_meetings_filter_by_council_and_format():
    body = f.CouncilFactory(slug="be-body", country_code="be")
    other = f.CouncilFactory(slug="fr-body", country_code="fr")
    f.MeetingFactory(slug="first", name="First", council=body, format=Meeting.Format.ONLINE)
    f.MeetingFactory(slug="second", name="Second", council=other, format=Meeting.Format.IN_PERSON)
    qs = Meeting.objects.published()
    assert names(MeetingFilter({"council": "be-body"}, queryset=qs)) == {"First"}
    assert names(MeetingFilter({"format": "in-person"}, queryset=qs)) == {"Second"}
    assert not MeetingFilter({"format": "by-pigeon"}, queryset=qs).is_valid()


def test_support_cases_filter_by_sector_organization_and_status():
    kosme = f.OrganizationFactory(slug="kosme", name="KOSME")
    f.SupportCaseFactory(slug="a", name="Case A", sector="biotech", supporters=(kosme,))
    f.SupportCaseFactory(slug="b", name="Case B", sector="fintech", status="resolved")
    qs = SupportCase.objects.published()
    assert names(SupportCaseFilter({"sector": "biotech"}, queryset=qs)) == {"Case A"}
    assert names(SupportCaseFilter({"organization": "kosme"}, queryset=qs)) == {"Case A"}
    assert names(SupportCaseFilter({"status": "resolved"}, queryset=qs)) == {"Case B"}


def test_a_sector_with_spaces_filters_the_page_its_csv_and_the_api(client):
    """A sector is free text ("Battery remanufacturing"): the facet's own value works."""
    f.SupportCaseFactory(slug="a", name="Case A", sector="Battery remanufacturing")
    f.SupportCaseFactory(slug="b", name="Case B", sector="Cosmetics & beauty")
    url = reverse("initiatives:support-case-list")
    page = client.get(url)
    assert 'name="sector" value="Battery remanufacturing"' in page.content.decode()
    for sector, expected in [
        ("Battery remanufacturing", "Case A"),
        ("Cosmetics & beauty", "Case B"),
    ]:
        response = client.get(url, {"sector": sector})
        assert [r.name for r in response.context["page_obj"]] == [expected]
        assert "could not be used" not in response.content.decode()
        csv = client.get(url, {"sector": sector, "format": "csv"})
        assert csv.status_code == 200
        assert len(b"".join(csv.streaming_content).decode().strip().splitlines()) == 2
        api = client.get("/api/support-cases/", {"sector": sector})
        assert api.status_code == 200
        assert [r["name"] for r in api.json()["results"]] == [expected]


def test_a_sector_with_a_control_character_is_refused():
    f.SupportCaseFactory(slug="a", name="Case A", sector="biotech")
    assert not SupportCaseFilter(
        {"sector": "bio\x00tech"}, queryset=SupportCase.objects.all()
    ).is_valid()


def test_an_agreement_is_in_its_parties_countries_and_where_it_was_signed(client):
    """The country filter, its facet, the country page and the API all agree."""
    mss = f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups")
    belgium = f.MinistryFactory(
        slug="be-economy", name="Belgian Economy Ministry", country_code="be"
    )
    f.AgreementFactory(slug="party", name="Party MOU", parties=(mss, belgium))
    f.AgreementFactory(slug="jeju", name="Jeju Initiative", country=f.CountryFactory(code="kr"))
    f.AgreementFactory(
        slug="both", name="Both MOU", parties=(mss,), country=f.CountryFactory(code="kr")
    )
    f.AgreementFactory(
        slug="seoul", name="Seoul MOU", parties=(belgium,), country=f.CountryFactory(code="kr")
    )
    in_korea = {"Party MOU", "Jeju Initiative", "Both MOU", "Seoul MOU"}
    in_belgium = {"Party MOU", "Seoul MOU"}

    url = reverse("initiatives:agreement-list")
    for code, expected in [("kr", in_korea), ("be", in_belgium)]:
        response = client.get(url, {"country": code})
        assert {r.name for r in response.context["object_list"]} == expected
        api = client.get("/api/agreements/", {"country": code}).json()
        assert {r["name"] for r in api["results"]} == expected
        page = client.get(reverse("initiatives:country-detail", args=[code]))
        assert {r.name for r in page.context["agreements"]} == expected
    facet = {c.value: c.count for c in client.get(url).context["facets"][0].choices if c.count}
    assert facet == {"kr": len(in_korea), "be": len(in_belgium)}
    countries = client.get(reverse("initiatives:country-list")).content.decode()
    assert "4 agreements" in countries and "2 agreements" in countries


def test_councils_filter_by_host_mission():
    embassy = f.OrganizationFactory(
        slug="embassy-brussels", kind=Organization.Kind.MISSION, country_code="be"
    )
    f.CouncilFactory(slug="brussels-body", name="Brussels body", mission=embassy)
    f.CouncilFactory(slug="other-body", name="Other body")
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
    country = response.context["facets"][0]
    assert (country.param, country.label) == ("country", "Country")
    assert {c.label: c.count for c in country.choices}["Belgium"] == 1


def test_active_filter_can_be_removed_one_at_a_time(client, agreements):
    response = client.get(reverse("initiatives:agreement-list"), {"country": ["be", "fr"]})
    active = response.context["active_filters"]
    assert [a.label for a in active] == ["Country: Belgium", "Country: France"]
    assert active[0].remove_url == "?country=fr"
    assert b"?country=fr" in response.content


def test_list_page_sorts_and_keeps_filters_on_page_links(client):
    mss = f.MinistryFactory(slug="mss")
    for i in range(30):
        f.AgreementFactory(slug=f"mou-{i:02d}", name=f"MOU {i:02d}", parties=(mss,))
    response = client.get(reverse("initiatives:agreement-list"), {"sort": "name", "kind": "mou"})
    assert response.context["page_obj"].object_list[0].name == "MOU 00"
    assert b"?sort=name&amp;kind=mou&amp;page=2" in response.content
    second = client.get(reverse("initiatives:agreement-list"), {"sort": "-name", "page": "2"})
    assert [a.name for a in second.context["page_obj"].object_list][-1] == "MOU 00"


def test_unpublished_records_never_listed(client, agreements):
    f.AgreementFactory(slug="secret-mou", name="Secret draft MOU", is_published=False)
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

    from initiatives.models import crosses_to_many

    assert crosses_to_many(apps.get_model("initiatives", model), path) is expected


@pytest.fixture
def belgium_mou():
    """The Belgium MOU, its Belgian party, and another MOU with no Belgian party."""
    f.CountryFactory(code="be", name="Belgium", name_ko="벨기에")
    mss = f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups", acronym="MSS")
    belgian = f.MinistryFactory(
        slug="be-smes", name="Ministry of the Middle Classes", country_code="be"
    )
    mofa = f.MinistryFactory(slug="mofa", name="Ministry of Foreign Affairs")
    mou = f.AgreementFactory(
        slug="kr-be-mou",
        name="Korea–Belgium Memorandum of Understanding",
        kind=Agreement.Kind.MOU,
        parties=(mss, belgian),
        summary="Cooperation on startups and technology exchange.",
        signed="2026-03-04",
    )
    other = f.AgreementFactory(
        slug="mss-mofa-mou",
        name="MSS–MOFA memorandum on startups",
        kind=Agreement.Kind.MOU,
        parties=(mss, mofa),
        signed="2024",
    )
    return {"mou": mou, "other": other}


def listed(client, path, **params) -> list[str]:
    page = client.get(path, params)
    assert page.status_code == 200
    return [record.slug for record in page.context["page_obj"]]


@pytest.mark.parametrize(
    "typed",
    [
        "belgium mou",
        "MOU Belgium",
        "벨기에와",
        "벨기에와 양해각서",
        "Korea-Belgium",
        "korea — belgium",
        "Middle Classes",
        '"memorandum of understanding" belgium',
        "SMEs ministry belg",
    ],
)
def test_a_list_s_q_matches_as_search_does(client, belgium_mou, typed):
    assert listed(client, reverse("initiatives:agreement-list"), q=typed) == ["kr-be-mou"]


def test_a_list_s_q_misses_what_search_misses(client, belgium_mou):
    agreements = reverse("initiatives:agreement-list")
    assert listed(client, agreements, q='"understanding memorandum"') == []
    assert listed(client, agreements, q="belgium xylophone") == []
    # Text (a summary) is searched, not filtered by: a list does not rank.
    assert listed(client, agreements, q="technology exchange") == []
    assert listed(client, ministries := reverse("initiatives:ministry-list"), q="벨기에") == [
        "be-smes"
    ]
    assert listed(client, ministries, q="중기부") == []


def test_a_list_s_q_filters_and_keeps_the_order_chosen(client, belgium_mou):
    agreements = reverse("initiatives:agreement-list")
    assert listed(client, agreements, q="startups", sort="name") == ["kr-be-mou", "mss-mofa-mou"]
    assert listed(client, agreements, q="startups", sort="-name") == ["mss-mofa-mou", "kr-be-mou"]
    assert listed(client, agreements, q="startups", sort="signed_on") == [
        "mss-mofa-mou",
        "kr-be-mou",
    ]


def test_a_list_s_q_of_common_words_only_matches_names(client, belgium_mou):
    assert listed(client, reverse("initiatives:agreement-list"), q="on") == ["mss-mofa-mou"]


def test_exports_the_api_and_feeds_filter_q_as_the_list_does(client, belgium_mou):
    params = {"q": "벨기에와 mou"}
    csv = client.get(reverse("initiatives:agreement-list"), {**params, "format": "csv"})
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert "Korea–Belgium Memorandum" in text
    assert "MSS–MOFA" not in text
    api = client.get("/api/agreements/", params).json()
    assert [row["slug"] for row in api["results"]] == ["kr-be-mou"]
    feed = client.get("/en/feeds/agreements/", params)
    assert feed.status_code == 200
    assert b"kr-be-mou" in feed.content
    assert b"mss-mofa-mou" not in feed.content
