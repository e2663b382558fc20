"""Search: one ranked list across every kind, words in any order, linked facts, Korean,
"did you mean", kept in step with the records however they are written."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from initiatives import search_index
from initiatives.models import Agreement, SearchEntry
from initiatives.search import search, terms
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    be = f.CountryFactory(code="be", name="Belgium", name_ko="벨기에")
    kr = f.CountryFactory(code="kr", name="Korea", name_ko="대한민국")
    mss = f.MinistryFactory(
        slug="mss", name="Ministry of SMEs and Startups", acronym="MSS", country=kr
    )
    f.alias(mss, name="중소벤처기업부", language="ko")
    f.alias(mss, name="중기부", language="ko")
    mofa = f.MinistryFactory(slug="mofa", name="Ministry of Foreign Affairs", country=kr)
    belgian = f.MinistryFactory(slug="be-smes", name="Ministry of the Middle Classes", country=be)
    minister = f.PersonFactory(slug="oh-young-ju", name="Oh Young-ju", name_ko="오영주")
    f.alias(minister, name="Oh Young-joo")
    mou = f.AgreementFactory(
        slug="kr-be-mou",
        name="Korea–Belgium Memorandum of Understanding",
        kind=Agreement.Kind.MOU,
        parties=(mss, belgian),
        summary="Cooperation on startups and technology exchange.",
    )
    pact = f.AgreementFactory(
        slug="mss-mofa-mou",
        name="MSS–MOFA cooperation",
        kind=Agreement.Kind.MOU,
        parties=(mss, mofa),
        summary="Global expansion of startups.",
    )
    program = f.ProgramFactory(slug="startup-for-all", name="Startup for All")
    body = f.CouncilFactory(slug="brussels-body", name="Brussels consultative body")
    return locals()


def slugs(text, **kwargs):
    return [hit.record.slug for hit in search(text, **kwargs).hits]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Belgium MOU", "kr-be-mou"),
        ("MOU Belgium", "kr-be-mou"),
        ("korea belgium", "kr-be-mou"),
        ("Foreign Affairs MOU", "mss-mofa-mou"),
        ("Korea-Belgium", "kr-be-mou"),
        ("Korea—Belgium memorandum", "kr-be-mou"),
        ("벨기에 양해각서", "kr-be-mou"),
        ("벨기에와 양해각서", "kr-be-mou"),
        ("중기부는", "mss"),
        ("중소벤처", "mss"),
        ("오영주", "oh-young-ju"),
        ("oh young joo", "oh-young-ju"),
        ("Startup for All", "startup-for-all"),
    ],
)
def test_what_a_person_types_finds_what_they_mean_first(records, typed, first):
    assert slugs(typed)[0] == first


def test_a_record_is_found_by_its_linked_facts_and_says_which_other_name_matched(records):
    assert slugs("Middle Classes")[:2] == ["be-smes", "kr-be-mou"]
    assert {"be-smes", "kr-be-mou"} <= set(slugs("벨기에와")[:3])
    (hit,) = [h for h in search("Oh Young-joo").hits if h.record.slug == "oh-young-ju"]
    assert hit.alias == "Oh Young-joo"


def test_a_quoted_phrase_matches_only_as_written(records):
    assert "kr-be-mou" in slugs('"technology exchange"')
    assert "kr-be-mou" not in slugs('"exchange technology"')


def test_drafts_and_their_names_are_never_found(records):
    draft = f.MinistryFactory(slug="hidden", name="Zanzibar ministry", is_published=False)
    f.AgreementFactory(slug="shown", name="Open pact", parties=(draft,))
    assert slugs("Zanzibar") == []
    assert search("Zanzibar").total == 0


def test_the_index_follows_saves_renames_links_and_deletes(records):
    mou = records["mou"]
    mou.summary = "Cooperation on semiconductors."
    mou.save()
    assert slugs("semiconductors") == ["kr-be-mou"]
    records["belgian"].name = "Federal Public Service Economy"
    records["belgian"].save()
    assert "kr-be-mou" in slugs("Federal Public Service")
    mou.is_published = False
    mou.save()
    assert slugs("semiconductors") == []
    records["body"].delete()
    assert slugs("Brussels") == []
    assert not SearchEntry.objects.filter(kind="council", record_id=records["body"].pk).exists()


def test_rebuild_writes_what_raw_writes_left_out(records):
    Agreement.objects.filter(slug="kr-be-mou").update(summary="Hydrogen.")
    assert slugs("hydrogen") == []
    search_index.rebuild()
    assert slugs("hydrogen") == ["kr-be-mou"]


def written_entries() -> dict:
    """Every entry by kind and record: its fields, each text as its set of lines (the order
    of linked values is the database's), and on PostgreSQL its document's words with
    their weights."""
    found = {}
    for entry in SearchEntry.objects.all():
        fields = {
            name: frozenset(value.split("\n")) if isinstance(value, str) else value
            for name, value in vars(entry).items()
            if name not in ("_state", "id", "document")
        }
        found[entry.kind, entry.record_id] = fields
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.kind, e.record_id, w.lexeme, w.weights FROM initiatives_searchentry e,"
                " unnest(e.document) w"
            )
            for kind, record, word, weights in cursor.fetchall():
                found[kind, record].setdefault("document", set()).add(
                    (word, tuple(sorted(weights)))
                )
    return found


def test_a_full_rebuild_writes_the_entries_that_writing_each_record_writes(regions):
    # On PostgreSQL a full rebuild reads records by ranges and copies its entries in
    # bulk; writing records by their keys is how saves write them.
    for model in search_index.SPECS:
        search_index.write(model, model._base_manager.values_list("pk", flat=True))
    written = written_entries()
    assert len(written) > 10
    search_index.rebuild()
    assert written_entries() == written


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="processes share committed rows")
def test_a_rebuild_split_over_processes_writes_what_one_transaction_writes(records):
    search_index.rebuild()
    written = written_entries()
    search_index.rebuild(workers=2)
    assert written_entries() == written
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'initiatives_searchentry'"
            " AND indexdef LIKE '%% USING gin %%'"
        )
        assert cursor.fetchone() == (2,)


def test_a_kind_filter_keeps_one_kind_and_counts_every_kind(records):
    results = search("startups", kind="agreement")
    assert {hit.kind for hit in results.hits} == {"agreement"}
    assert results.counts["agreement"] == 2
    assert search("startups").counts == results.counts


def test_nothing_found_offers_the_closest_name(records):
    results = search("Startup for Al")
    assert results.hits[0].record.slug == "startup-for-all"
    results = search("Oh Yuong-ju")
    assert results.suggestion
    assert results.hits[0].record.slug == "oh-young-ju"
    assert search("xylophone").hits == []


def test_korean_words_are_stripped_of_particles_and_searched_as_letter_pairs():
    (term,) = terms("벨기에와")
    assert term.words == ["벨기", "기에"]
    assert terms("중기부는")[0].words == ["중기", "기부"]


def test_search_page_shows_kind_date_place_snippet_and_counts(client, records):
    page = client.get(reverse("initiatives:search"), {"q": "technology"})
    html = page.content.decode()
    assert page.status_code == 200
    assert records["mou"].get_absolute_url() in html
    assert "<mark>technology</mark>" in html
    assert "Agreement" in html
    assert "All kinds" in html
    page = client.get(reverse("initiatives:search"), {"q": "Oh Young-joo"})
    assert "Found by another name: “Oh Young-joo”" in page.content.decode()
    page = client.get(reverse("initiatives:search"), {"q": "Oh Yuong-ju"})
    assert "Did you mean" in page.content.decode()


def test_api_gives_the_same_ranking_with_kind_date_place(client, records):
    answer = client.get("/api/search/", {"q": "Belgium MOU"}).json()
    page = search("Belgium MOU")
    assert [r["slug"] for r in answer["results"]] == [h.record.slug for h in page.hits]
    first = answer["results"][0]
    assert first["kind"] == "agreement"
    assert first["url"] == records["mou"].get_absolute_url()
    assert set(first) >= {"date", "place", "snippet", "matched_alias", "score"}
    assert answer["counts"]["agreement"] >= 1
    assert client.get("/api/search/").status_code == 400
    kinds = client.get("/api/search/", {"q": "startups", "kind": "program"}).json()
    assert {r["kind"] for r in kinds["results"]} <= {"program"}


def test_the_api_schema_documents_search(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = json.loads(
        b"".join(schema.streaming_content) if schema.streaming else schema.content
    )
    operation = operation["paths"]["/api/search/"]["get"]
    assert operation["operationId"] == "search"
    assert {p["name"] for p in operation["parameters"]} >= {"q", "kind"}


def test_an_unreadable_query_is_answered_not_failed(client, records):
    for text in ['"', "- - -", "(((", "'", ":*", "&|!", "\\", "벨"]:
        assert client.get(reverse("initiatives:search"), {"q": text}).status_code == 200
        assert client.get("/api/search/", {"q": text}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_matches_korean_through_the_index_not_a_full_scan(records):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM initiatives_searchentry "
            "WHERE document @@ to_tsquery('english', '''벨기'' & ''기에''')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_document_idx" in plan


def test_past_the_count_cap_a_record_named_as_typed_still_ranks_first(monkeypatch):
    """The first matches found are ranked, not all of them, past the cap: a record whose
    name holds the words is ranked too, though written after all the others."""
    monkeypatch.setattr("initiatives.search.SEARCH_COUNT_CAP", 2)
    for n in range(6):
        f.AgreementFactory(slug=f"pact-{n}", name=f"Pact {n}", summary="A startup for all.")
    f.ProgramFactory(slug="startup-for-all", name="Startup for All")
    results = search("Startup for All")
    assert results.capped
    assert results.hits[0].record.slug == "startup-for-all"


@pytest.fixture
def regions(records):
    """Belgium in Europe and the EU; Vietnam in ASEAN, with an MOU of a Vietnamese party."""
    vn = f.CountryFactory(code="vn", name="Viet Nam", name_ko="베트남")
    europe = f.RegionFactory(slug="europe", name="Europe", name_ko="유럽", countries=("be",))
    eu = f.RegionFactory(
        slug="eu",
        name="European Union",
        name_ko="유럽연합(EU)",
        kind="grouping",
        countries=("be",),
    )
    asean = f.RegionFactory(
        slug="asean", name="ASEAN", name_ko="아세안(ASEAN)", kind="grouping", countries=("vn",)
    )
    vietnamese = f.MinistryFactory(slug="vn-mpi", name="Ministry of Planning", country=vn)
    hanoi = f.AgreementFactory(
        slug="kr-vn-mou",
        name="Korea–Viet Nam SME cooperation",
        kind=Agreement.Kind.MOU,
        parties=(records["mss"], vietnamese),
    )
    return {**locals(), **records}


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("ASEAN MOU", "kr-vn-mou"),
        ("아세안 양해각서", "kr-vn-mou"),
        ("아세안과 업무협약", "kr-vn-mou"),
        ("Europe MOU", "kr-be-mou"),
        ("Europe agreement", "kr-be-mou"),
        ("유럽 협약", "kr-be-mou"),
        ("EU MOU", "kr-be-mou"),
        ("European Union memorandum", "kr-be-mou"),
    ],
)
def test_a_record_is_found_by_the_regions_of_its_countries(regions, typed, first):
    assert slugs(typed)[0] == first


def test_region_names_reach_only_the_records_of_its_countries(regions):
    assert "kr-vn-mou" not in slugs("Europe")
    assert "kr-be-mou" not in slugs("ASEAN")
    assert "mss-mofa-mou" not in slugs("Europe") + slugs("ASEAN")


def test_the_index_follows_a_region_renamed_gaining_losing_and_deleted(regions):
    asean, europe, eu = regions["asean"], regions["europe"], regions["eu"]
    asean.name = "Association of Southeast Asian Nations"
    asean.name_ko = "동남아시아국가연합"
    asean.save()
    assert slugs("Southeast Asian MOU") == ["kr-vn-mou"]
    assert "kr-vn-mou" not in slugs("ASEAN")
    europe.countries.add(regions["vn"])
    assert "kr-vn-mou" in slugs("Europe")
    europe.countries.remove(regions["vn"])
    assert "kr-vn-mou" not in slugs("Europe")
    regions["vn"].regions.add(europe)  # from the country's side
    assert "kr-vn-mou" in slugs("Europe")
    regions["vn"].regions.clear()
    assert "kr-vn-mou" not in slugs("Europe") + slugs("Southeast Asian")
    eu.countries.clear()
    assert "kr-be-mou" not in slugs("European Union")
    assert "kr-be-mou" in slugs("Europe")
    europe.delete()
    assert "kr-be-mou" not in slugs("Europe")
    assert slugs("Belgium MOU")[0] == "kr-be-mou"


def test_the_admin_s_region_form_rewrites_the_entries_of_its_countries(
    admin_user, regions, settings
):
    settings.PASSWORD_HASHERS = f.FAST_PASSWORD_HASHERS
    admin_client = f.log_in_verified(Client(), admin_user)
    europe = regions["europe"]
    page = admin_client.post(
        reverse("admin:initiatives_region_change", args=[europe.pk]),
        {
            "slug": "europe",
            "name": "Old Continent",
            "name_ko": "구대륙",
            "kind": "region",
            "m49_code": "150",
            "countries": [regions["be"].pk, regions["vn"].pk],
            "source": "UN M49",
        },
    )
    assert page.status_code == 302
    assert page.url == reverse("admin:initiatives_region_changelist")
    assert set(slugs("Old Continent MOU")) == {"kr-be-mou", "kr-vn-mou"}
    assert set(slugs("구대륙 양해각서")) == {"kr-be-mou", "kr-vn-mou"}
