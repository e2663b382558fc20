"""Korean names of public record and figure units as a translated vocabulary.

A Korean public body's statutory name is reference data: load_portal_data enters it
from fixtures/reference/names_ko.json with the statute that gives it, once, and never
over an editor's own Korean name. A figure's unit is a code from a vocabulary: pages
show its label in the page's language, the API and the exports the code.
"""

import importlib
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from initiatives.models import (
    Agreement,
    CityName,
    LoadedFixtureRow,
    Meeting,
    Metric,
    Ministry,
    Organization,
)
from tests import factories as f
from tests.test_spreadsheets import read_csv


@pytest.fixture
def editor_client(db, settings):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS
    return f.log_in_verified(Client(), f.AccountFactory(role="editor"))


REFERENCE = settings.BASE_DIR / "fixtures" / "reference" / "names_ko.json"
STATUTORY = {
    ("initiatives.ministry", "mss"): "중소벤처기업부",
    ("initiatives.ministry", "mofa"): "외교부",
    ("initiatives.organization", "koica"): "한국국제협력단",
    ("initiatives.organization", "kosme"): "중소벤처기업진흥공단",
    ("initiatives.organization", "kised"): "창업진흥원",
    # Names of record of other bodies: the Ministry of Foreign Affairs' names of Korea's
    # missions and its usage for a foreign ministry, and a province's statutory name.
    ("initiatives.ministry", "miit"): "중화인민공화국 공업정보화부",
    (
        "initiatives.organization",
        "consulate-general-los-angeles",
    ): "주로스앤젤레스 대한민국 총영사관",
    (
        "initiatives.organization",
        "consulate-general-san-francisco",
    ): "주샌프란시스코 대한민국 총영사관",
    ("initiatives.organization", "embassy-singapore"): "주싱가포르 대한민국 대사관",
    ("initiatives.organization", "embassy-vietnam"): "주베트남 대한민국 대사관",
    ("initiatives.organization", "embassy-india"): "주인도 대한민국 대사관",
    ("initiatives.organization", "jeonbuk-state"): "전북특별자치도",
}
# Bodies whose records do not say which post they are (an embassy or a consulate
# general): a Korean name would say more than the record does.
UNNAMED = ("mission-ho-chi-minh-city", "mission-frankfurt")


def korean_page(client, record) -> str:
    with translation.override("ko"):
        url = record.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def english_page(client, record) -> str:
    with translation.override("en"):
        url = record.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Korean names of record -------------------------------------------------------------


def test_the_reference_file_names_each_body_with_the_reference_for_its_name():
    rows = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert {(row["model"], row["slug"]): row["name_ko"] for row in rows} == STATUTORY
    assert all(row["reference"].strip() for row in rows)
    assert not {row["slug"] for row in rows} & set(UNNAMED)


def test_every_body_the_reference_file_names_is_in_the_fixtures():
    portal = json.loads((settings.BASE_DIR / "fixtures" / "portal.json").read_text("utf-8"))
    slugs = {(row["model"], row["fields"].get("slug")) for row in portal}
    assert set(STATUTORY) <= slugs


def test_a_mission_shows_its_korean_name_of_record_on_a_korean_page(client, portal_data):
    html = korean_page(client, Organization.objects.get(slug="embassy-india"))
    assert "<h1>주인도 대한민국 대사관</h1>" in html
    assert "한국어 이름 근거: 외교부 재외공관 명칭" in html


def test_names_added_to_the_reference_file_reach_a_database_that_loaded_it_before(
    db, tmp_path, monkeypatch
):
    from initiatives.management.commands import load_portal_data

    older = tmp_path / "names_ko.json"
    rows = json.loads(REFERENCE.read_text(encoding="utf-8"))
    older.write_text(json.dumps(rows[:5], ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(load_portal_data, "KOREAN_NAMES", older)
    call_command("load_portal_data", verbosity=0)
    assert not Organization.objects.get(slug="embassy-india").name_ko
    monkeypatch.setattr(load_portal_data, "KOREAN_NAMES", REFERENCE)
    call_command("load_portal_data", verbosity=0)
    india = Organization.objects.get(slug="embassy-india")
    assert india.name_ko == "주인도 대한민국 대사관"
    assert india.name_ko_reference.startswith("외교부 재외공관 명칭")
    assert Ministry.objects.get(slug="mss").name_ko == "중소벤처기업부"


def test_loading_enters_each_statutory_name_with_its_reference_and_nothing_else(portal_data):
    named = [
        *Ministry.objects.exclude(name_ko_reference=""),
        *Organization.objects.exclude(name_ko_reference=""),
    ]
    assert {(r._meta.label_lower, r.slug): r.name_ko for r in named} == STATUTORY
    mss = Ministry.objects.get(slug="mss")
    assert mss.name_ko_reference == "정부조직법 (Government Organization Act)"


def test_the_korean_page_of_mss_shows_its_korean_name_with_the_statute(client, portal_data):
    html = korean_page(client, Ministry.objects.get(slug="mss"))
    assert "<h1>중소벤처기업부 (MSS)</h1>" in html
    assert '<p class="other-name" lang="en">Ministry of SMEs and Startups</p>' in html
    assert "한국어 이름 근거: 정부조직법 (Government Organization Act)" in html


def test_the_english_page_gives_the_korean_name_and_where_it_comes_from(client, portal_data):
    html = english_page(client, Organization.objects.get(slug="kised"))
    assert '<p class="other-name" lang="ko">창업진흥원</p>' in html
    assert "Korean name per 중소기업창업 지원법" in html


def test_a_record_without_a_korean_name_shows_no_reference(client, portal_data):
    html = english_page(client, Organization.objects.get(slug="mission-frankfurt"))
    assert "Korean name per" not in html


def test_reloading_enters_nothing_twice(portal_data):
    before = {r.slug: (r.name_ko, r.name_ko_reference, r.version) for r in Ministry.objects.all()}
    ledger = LoadedFixtureRow.objects.count()
    call_command("load_portal_data", verbosity=0)
    after = {r.slug: (r.name_ko, r.name_ko_reference, r.version) for r in Ministry.objects.all()}
    assert after == before
    assert LoadedFixtureRow.objects.count() == ledger


def test_reloading_keeps_a_korean_name_an_editor_cleared_or_changed(portal_data):
    Ministry.objects.filter(slug="mofa").update(name_ko="", name_ko_reference="")
    Organization.objects.filter(slug="koica").update(name_ko="코이카", name_ko_reference="")
    call_command("load_portal_data", verbosity=0)
    assert Ministry.objects.values_list("name_ko", flat=True).get(slug="mofa") == ""
    koica = Organization.objects.get(slug="koica")
    assert (koica.name_ko, koica.name_ko_reference) == ("코이카", "")


def test_an_editors_korean_name_set_before_the_reference_data_arrived_is_kept(db):
    portal = settings.BASE_DIR / "fixtures"
    call_command(
        "load_portal_data",
        *(str(portal / name) for name in ("countries.json", "regions.json", "portal.json")),
        verbosity=0,
    )
    assert not Organization.objects.exclude(name_ko="").exists()  # files named: no reference
    Organization.objects.filter(slug="kosme").update(name_ko="중진공")
    call_command("load_portal_data", verbosity=0)
    kosme = Organization.objects.get(slug="kosme")
    assert (kosme.name_ko, kosme.name_ko_reference) == ("중진공", "")
    assert Organization.objects.get(slug="kised").name_ko == "창업진흥원"


def test_overwrite_restores_the_statutory_name(portal_data):
    Ministry.objects.filter(slug="mss").update(name_ko="", name_ko_reference="")
    call_command("load_portal_data", overwrite=True, verbosity=0)
    mss = Ministry.objects.get(slug="mss")
    assert (mss.name_ko, mss.name_ko_reference) == (
        "중소벤처기업부",
        "정부조직법 (Government Organization Act)",
    )


def test_the_api_carries_the_korean_name_and_its_reference(client, portal_data):
    mss = client.get("/api/ministries/mss/").json()
    assert (mss["name_ko"], mss["name_ko_reference"]) == (
        "중소벤처기업부",
        "정부조직법 (Government Organization Act)",
    )
    kosme = client.get("/api/organizations/kosme/").json()
    assert kosme["name_ko_reference"] == "중소기업진흥에 관한 법률"


# Figure units -----------------------------------------------------------------------


def test_every_fixture_figure_has_a_unit_from_the_vocabulary(portal_data):
    units = set(Metric.objects.values_list("unit", flat=True))
    assert units and units <= set(Metric.Unit.values)


def test_a_korean_page_shows_a_figures_unit_in_korean_and_an_english_page_in_english(
    client, portal_data
):
    council = Metric.objects.get(slug="support-council-countries").subject
    assert "</strong> 국가" in korean_page(client, council)
    assert "</strong> countries" in english_page(client, council)


def test_the_api_gives_the_units_code_whatever_the_language(client, portal_data):
    url = "/api/councils/support-council-of-diplomatic-missions/"
    council = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").json()
    figure = next(m for m in council["metrics"] if m["slug"] == "support-council-countries")
    assert figure["unit"] == "countries"


def test_the_admin_offers_the_units_as_choices(editor_client):
    html = editor_client.get(reverse("admin:initiatives_metric_add")).content.decode()
    assert '<select name="unit"' in html
    assert '<option value="overseas missions">overseas missions</option>' in html


def test_the_admin_refuses_a_unit_outside_the_vocabulary(editor_client):
    response = editor_client.post(
        reverse("admin:initiatives_metric_add"),
        {"name": "5 canaries", "value": "5", "unit": "canaries"},
    )
    assert response.status_code == 200
    assert "canaries is not one of the available choices" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Countries", "countries"),
        ("개국", "countries"),
        ("개사", "companies"),
        (" meeting ", "meetings"),
    ],
)
def test_a_unit_as_written_maps_to_its_code(typed, code):
    assert Metric.Unit.code_for(typed) == code


def test_a_unit_outside_the_vocabulary_is_kept_for_an_editor_to_choose():
    assert Metric.Unit.code_for("억 원") == "억 원"


def test_the_migration_maps_units_typed_before_the_vocabulary_to_their_codes():
    migration = importlib.import_module(
        "initiatives.migrations.0015_metric_units_korean_name_references"
    )
    assert migration.unit_code("Support Cases") == "support cases"
    assert migration.unit_code("country") == "countries"
    assert migration.unit_code("canaries") is None
    assert set(migration.UNIT_CODES) == set(Metric.Unit.values)


# Korean names of cities -------------------------------------------------------------

CITIES = settings.BASE_DIR / "fixtures" / "reference" / "cities_ko.json"
CITIES_KO = {
    "Seoul": "서울",
    "Jeju": "제주",
    "Brussels": "브뤼셀",
    "Beijing": "베이징",
    "Frankfurt": "프랑크푸르트",
    "Los Angeles": "로스앤젤레스",
    "San Francisco": "샌프란시스코",
    "Ho Chi Minh City": "호찌민",
}


def test_every_city_the_fixtures_name_has_a_korean_name_with_its_reference():
    rows = json.loads(CITIES.read_text(encoding="utf-8"))
    assert {row["city"]: row["name_ko"] for row in rows} == CITIES_KO
    assert all(row["reference"].strip() for row in rows)
    portal = json.loads((settings.BASE_DIR / "fixtures" / "portal.json").read_text("utf-8"))
    cities = {row["fields"]["city"] for row in portal if row["fields"].get("city")}
    assert cities <= set(CITIES_KO)


def test_loading_enters_each_city_once_with_its_country_and_reference(portal_data):
    cities = {c.name: (c.country_id, c.name_ko) for c in CityName.objects.all()}
    assert cities["Brussels"] == ("be", "브뤼셀")
    assert {name: ko for name, (_country, ko) in cities.items()} == CITIES_KO
    assert CityName.objects.get(name="Seoul").reference.startswith("서울특별시")
    ledger = LoadedFixtureRow.objects.count()
    call_command("load_portal_data", verbosity=0)
    assert CityName.objects.count() == len(CITIES_KO)
    assert LoadedFixtureRow.objects.count() == ledger


def test_reloading_keeps_a_city_name_an_editor_changed_and_overwrite_restores_it(portal_data):
    CityName.objects.filter(name="Ho Chi Minh City").update(name_ko="호치민", reference="")
    call_command("load_portal_data", verbosity=0)
    assert CityName.objects.get(name="Ho Chi Minh City").name_ko == "호치민"
    call_command("load_portal_data", overwrite=True, verbosity=0)
    assert CityName.objects.get(name="Ho Chi Minh City").name_ko == "호찌민"


def test_a_korean_page_shows_the_citys_korean_name_and_an_english_page_its_english(
    client, portal_data
):
    agreement = Agreement.objects.get(slug="korea-belgium-sme-startup-mou-2026")
    assert '브뤼셀, <a href="/ko/countries/be/">' in korean_page(client, agreement)
    assert 'Brussels, <a href="/en/countries/be/">' in english_page(client, agreement)


def test_a_korean_list_shows_cities_in_korean(client, portal_data):
    html = client.get("/ko/meetings/").content.decode()
    assert " · 호찌민 · " in html and " · 서울 · " in html


def test_a_city_an_editor_names_in_the_admin_is_shown_by_that_name_on_the_next_page(
    client, editor_client
):
    f.MeetingFactory(slug="in-daejeon", city="Daejeon", country=f.CountryFactory(code="kr"))
    meeting = Meeting.objects.get(slug="in-daejeon")
    assert '<span lang="en">Daejeon</span>' in korean_page(client, meeting)
    response = editor_client.post(
        reverse("admin:initiatives_cityname_add"),
        {"name": "Daejeon", "country": "kr", "name_ko": "대전", "reference": "지방자치법"},
    )
    assert response.status_code == 302, response.content.decode()
    html = korean_page(client, meeting)
    assert "대전, <a" in html and ">Daejeon<" not in html


def test_the_admin_lists_each_citys_korean_name_with_its_reference(editor_client, portal_data):
    html = editor_client.get(reverse("admin:initiatives_cityname_changelist")).content.decode()
    assert "프랑크푸르트" in html and "국립국어원 외래어 표기 용례" in html


def test_the_korean_csv_gives_the_city_in_korean_beside_the_city_as_written(portal_data):
    url = reverse("initiatives:meeting-list")
    english_header, english = read_csv(Client().get(url, {"format": "csv"}))
    with translation.override("ko"):
        korean_url = reverse("initiatives:meeting-list")
    _korean_header, korean = read_csv(Client().get(korean_url, {"format": "csv"}))
    korean = [dict(zip(english_header, row.values(), strict=True)) for row in korean]
    ho_chi_minh = "consultative-body-ho-chi-minh-city-first-meeting-2024-05"
    ko_row = next(row for row in korean if row["slug"] == ho_chi_minh)
    en_row = next(row for row in english if row["slug"] == ho_chi_minh)
    assert (ko_row["city"], ko_row["city_name"]) == ("Ho Chi Minh City", "호찌민")
    assert (en_row["city"], en_row["city_name"]) == ("Ho Chi Minh City", "Ho Chi Minh City")


# Figure periods ---------------------------------------------------------------------


def test_every_fixture_figures_period_is_from_the_vocabulary_or_unstated(portal_data):
    periods = set(Metric.objects.values_list("period", flat=True))
    assert "past-year" in periods
    assert periods <= {"", *Metric.Period.values}


def test_a_korean_page_shows_a_figures_period_in_korean_and_an_english_page_in_english(
    client, portal_data
):
    council = Metric.objects.get(slug="support-council-meetings-held").subject
    assert '<span class="meta">(지난 1년간)</span>' in korean_page(client, council)
    assert '<span class="meta">(over the past year)</span>' in english_page(client, council)


def test_the_api_gives_the_periods_code_whatever_the_language(client, portal_data):
    url = "/api/councils/support-council-of-diplomatic-missions/"
    council = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").json()
    figure = next(m for m in council["metrics"] if m["slug"] == "support-council-meetings-held")
    assert figure["period"] == "past-year"


def test_the_migration_maps_periods_typed_before_the_vocabulary_to_their_codes():
    migration = importlib.import_module("initiatives.migrations.0017_metric_periods_vocabulary")
    assert migration.period_code("Over the past  year") == "past-year"
    assert migration.period_code("(to date)") == "to-date"
    assert migration.period_code("연간") == "per-year"
    assert migration.period_code("since the council began") is None
    assert set(migration.PERIOD_CODES) == set(Metric.Period.values)


# English text marked as English on Korean pages -------------------------------------


def test_the_name_filter_marks_an_english_name_on_a_korean_page_and_escapes_it():
    from initiatives.templatetags.i18n_names import marked_name

    english_only = Ministry(name="Ministry <of> Trade", name_ko="")
    named = Ministry(name="Ministry of SMEs and Startups", name_ko="중소벤처기업부")
    with translation.override("ko"):
        assert marked_name(english_only) == '<span lang="en">Ministry &lt;of&gt; Trade</span>'
        assert marked_name(named) == "중소벤처기업부"
    with translation.override("en"):
        assert marked_name(english_only) == "Ministry <of> Trade"  # escaped when shown


def test_a_korean_page_marks_english_names_summaries_and_venues_as_english(client, portal_data):
    html = korean_page(client, Agreement.objects.get(slug="korea-belgium-sme-startup-mou-2026"))
    assert (
        '<a href="/ko/ministries/belgium-ministry-middle-classes-self-employed-smes/" lang="en">'
        in html
    )
    assert '<p lang="en">The first bilateral agreement' in html
    assert '(뒷받침: <span lang="en">parties, signatories, city</span>)' in html
    assert '<a href="/ko/countries/be/">벨기에</a>' in html  # a Korean name: not marked


def test_an_english_page_marks_no_name_or_summary_as_english(client, portal_data):
    html = english_page(client, Agreement.objects.get(slug="korea-belgium-sme-startup-mou-2026"))
    main = html.split("<main", 1)[1]
    assert '" lang="en">' not in main and '<p lang="en">' not in main
