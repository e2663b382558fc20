"""Search across every collection, grouped by kind; any alias finds its record."""

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from initiatives.models import Agreement, contains
from initiatives.search import CONFIG, SEARCHED, search
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    mss = f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups", acronym="MSS")
    f.alias(mss, name="중소벤처기업부", language="ko")
    minister = f.PersonFactory(slug="oh-young-ju", name="Oh Young-ju")
    f.alias(minister, name="Oh Young-joo")
    mou = f.AgreementFactory(
        slug="kr-be-mou",
        name="Korea–Belgium MOU",
        parties=(mss,),
        summary="Cooperation on startups and technology exchange.",
    )
    body = f.CouncilFactory(slug="brussels-body", name="Brussels consultative body")
    return {"mss": mss, "minister": minister, "mou": mou, "body": body}


def found(text) -> dict[str, list[str]]:
    return {g.model._meta.model_name: [r.slug for r in g.results] for g in search(text)}


def test_any_alias_finds_its_record(records):
    assert found("Oh Young-joo") == {"person": ["oh-young-ju"]}
    assert found("중소벤처")["ministry"] == ["mss"]


@pytest.mark.parametrize(
    ("typed", "kind", "slug"),
    [
        ("Korea-Belgium", "agreement", "kr-be-mou"),
        ("Korea—Belgium MOU", "agreement", "kr-be-mou"),
        ("oh young joo", "person", "oh-young-ju"),
        ("Oh Young–ju", "person", "oh-young-ju"),
    ],
)
def test_a_hyphen_matches_any_dash_and_in_aliases_a_space_too(client, records, typed, kind, slug):
    """Names are written "Korea–Belgium" (an en dash); visitors type a hyphen, and
    "oh young joo" for the alias "Oh Young-joo"."""
    assert found(typed)[kind] == [slug]
    route = {"agreement": "agreement-list", "person": "person-list"}[kind]
    page = client.get(reverse(f"initiatives:{route}"), {"q": typed})
    assert [r.slug for r in page.context["object_list"]] == [slug]
    api = client.get(f"/api/{'agreements' if kind == 'agreement' else 'people'}/", {"q": typed})
    assert [r["slug"] for r in api.json()["results"]] == [slug]


def test_the_text_is_matched_literally_and_its_words_in_order(records):
    def names(text):
        return list(Agreement.objects.filter(contains("name", text)).values_list("slug", flat=True))

    assert names("KOREA - belgium mou") == ["kr-be-mou"]
    assert names("Belgium-Korea") == []
    assert names("Korea.*MOU") == []
    assert names("Korea (Belgium") == []


def test_search_matches_names_and_summaries(records):
    assert found("Brussels")["council"] == ["brussels-body"]
    assert found("technology")["agreement"] == ["kr-be-mou"]


def test_search_groups_results_by_kind(records):
    groups = found("M")
    assert {"ministry", "agreement"} <= set(groups)


def test_unpublished_records_are_not_found(records):
    f.AgreementFactory(slug="secret", name="Secret Brussels deal", is_published=False)
    assert "agreement" not in found("Brussels")


def test_search_page_shows_groups_with_links(client, records):
    response = client.get(reverse("initiatives:search"), {"q": "Young-joo"})
    assert response.status_code == 200
    assert records["minister"].get_absolute_url().encode() in response.content
    assert b"People" in response.content


def test_empty_search_shows_the_form_only(client, records):
    response = client.get(reverse("initiatives:search"))
    assert response.status_code == 200
    assert response.context["groups"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL")
def test_postgres_ranks_by_relevance_and_stems_words(records):
    f.AgreementFactory(
        slug="startup-startup",
        name="Startup agreement",
        summary="Startups, startup visas and startup funds.",
    )
    slugs = found("startups")["agreement"]
    assert slugs[0] == "startup-startup"
    assert "kr-be-mou" in slugs


def test_search_document_migration_covers_what_search_searches():
    migration = importlib.import_module("initiatives.migrations.0006_search_documents")
    assert migration.CONFIG == CONFIG
    assert {
        model._meta.model_name: model.document_fields for model in SEARCHED
    } == migration.DOCUMENT_FIELDS


def test_search_finds_words_however_the_record_was_written(records):
    """Saved, updated in bulk or inserted in bulk: PostgreSQL's trigger keeps up."""
    mou = records["mou"]
    mou.summary = "Cooperation on semiconductors."
    mou.save()
    assert found("semiconductors")["agreement"] == ["kr-be-mou"]

    Agreement.objects.filter(slug="kr-be-mou").update(summary="Cooperation on shipbuilding.")
    assert "agreement" not in found("semiconductors")
    assert found("shipbuilding")["agreement"] == ["kr-be-mou"]

    Agreement.objects.bulk_create(
        [Agreement(slug="bulk", name="Bulk MOU", summary="Hydrogen.", is_published=True)]
    )
    assert found("hydrogen")["agreement"] == ["bulk"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL")
def test_a_word_in_the_name_outranks_the_same_word_in_a_summary(records):
    f.AgreementFactory(slug="in-summary", name="Aardvark MOU", summary="On cosmetics exports.")
    f.AgreementFactory(slug="in-name", name="Zebra cosmetics MOU", summary="On exports.")
    assert found("cosmetics")["agreement"] == ["in-name", "in-summary"]


def test_history_does_not_copy_the_search_document():
    historical = Agreement.history.model
    assert "search_document" not in {field.name for field in historical._meta.fields}


def test_past_the_cap_search_ranks_the_first_found_and_says_so(client, records, monkeypatch):
    monkeypatch.setattr("initiatives.search.SEARCH_COUNT_CAP", 2)
    for n in range(3):
        f.AgreementFactory(slug=f"brussels-{n}", name=f"Brussels MOU {n}")

    (group,) = [g for g in search("Brussels MOU") if g.model is Agreement]
    assert (group.total, group.capped, len(group.results)) == (2, True, 2)

    html = client.get(reverse("initiatives:search"), {"q": "Brussels MOU"}).content.decode()
    assert "more than 2" in html
    assert "Too many to rank them all: these are the best 20 of the first 2 found." in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_trigger_writes_and_watches_every_document_field():
    """Changing ``document_fields`` without a migration that replaces the trigger fails
    here, not silently in production."""
    with connection.cursor() as cursor:
        for model in SEARCHED:
            table = model._meta.db_table
            cursor.execute(
                "SELECT p.prosrc, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal",
                [table],
            )
            (source, definition), *others = cursor.fetchall()
            assert not others, table
            for field in model.document_fields:
                assert f'NEW."{field}"' in source, (table, field)
                assert field in definition, (table, field)
