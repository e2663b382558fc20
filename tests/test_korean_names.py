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

from initiatives.models import LoadedFixtureRow, Metric, Ministry, Organization
from tests import factories as f


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
}


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


def test_the_reference_file_names_only_korean_public_bodies_each_with_its_statute():
    rows = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert {(row["model"], row["slug"]): row["name_ko"] for row in rows} == STATUTORY
    assert all(row["reference"].strip() for row in rows)


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
    html = english_page(client, Ministry.objects.get(slug="miit"))
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
