"""The JSON API: the same records as the HTML lists for the same filters, dates with their
precision, a valid OpenAPI schema, 400s for bad filters, and no drafts or staff fields."""

import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.templatetags.static import static
from openapi_spec_validator import validate

from initiatives.models import Ministry, SupportCase
from tests import factories


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


COLLECTIONS = [
    ("agreements", "agreement"),
    ("ministries", "ministry"),
    ("councils", "council"),
    ("meetings", "meeting"),
    ("support-cases", "support-case"),
    ("organizations", "organization"),
    ("people", "person"),
    ("programs", "program"),
    ("sources", "source"),
    ("countries", "country"),
]

# (collection, filters): the same question asked of the page and of the API.
SAME_QUESTIONS = [
    ("agreements", {}),
    ("agreements", {"country": "be"}),
    ("agreements", {"country": ["BE", "cn"]}),
    ("agreements", {"ministry": "mss"}),
    ("agreements", {"ministry": "mss", "date_from": "2024", "date_to": "2025-12"}),
    ("agreements", {"date_from": "2024"}),
    ("agreements", {"kind": "mou", "sort": "signed_on"}),
    ("agreements", {"q": "belgium"}),
    ("ministries", {"q": "MoFA"}),
    ("ministries", {"country": "kr", "sort": "-name"}),
    ("councils", {"q": "overseas consultative bodies"}),
    ("councils", {"ministry": "mss"}),
    ("councils", {"status": "active", "date_from": "2024-04"}),
    ("meetings", {}),
    ("meetings", {"country": "kr"}),
    ("meetings", {"date_from": "2024-05", "date_to": "2024"}),
    ("meetings", {"status": "planned"}),
    ("meetings", {"format": "hybrid"}),
    ("support-cases", {"country": "de"}),
    ("organizations", {"q": "KOSME"}),
    ("organizations", {"kind": ["mission", "agency"]}),
    ("people", {"q": "Oh Young-joo"}),
    ("people", {"ministry": "mss"}),
    ("programs", {"ministry": "mss", "date_from": "2025"}),
    ("sources", {"sort": "-published_on"}),
    ("countries", {}),
    ("countries", {"q": "bel"}),
]


def page_slugs(client, collection, params):
    """The slugs the HTML list shows, over all its pages, in its order."""
    response = client.get(f"/en/{collection}/", params)
    assert response.status_code == 200
    assert not response.context["problems"], response.context["problems"]
    records = response.context["paginator"].object_list
    return [getattr(r, "slug", None) or r.code for r in records]


def api_records(client, url, params=None):
    """Every record of an API list, following its pages."""
    records = []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        records += body["results"]
        if not body["next"]:
            return records
        response = client.get(body["next"])


def api_slugs(client, collection, params):
    return [r.get("slug") or r["code"] for r in api_records(client, f"/api/{collection}/", params)]


def test_api_lists_exactly_what_the_page_lists(client, portal_data):
    # One test for all the questions: loading the portal's data once keeps it quick.
    for collection, params in SAME_QUESTIONS:
        shown = page_slugs(client, collection, params)
        assert api_slugs(client, collection, params) == shown, (collection, params)


def test_filters_do_select_something(client, portal_data):
    """The questions above are not all answered by an empty list."""
    assert page_slugs(client, "agreements", {"country": "be"}) == [
        "korea-belgium-sme-startup-mou-2026"
    ]
    assert page_slugs(client, "ministries", {"q": "MoFA"}) == ["mofa"]
    assert page_slugs(client, "people", {"q": "Oh Young-joo"}) == ["oh-young-ju"]


def test_every_list_pages_past_the_first_page(client, db):
    for i in range(30):
        factories.MinistryFactory(slug=f"ministry-{i:02d}")
    first = client.get("/api/ministries/").json()
    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert len(api_records(client, "/api/ministries/")) == 30


@pytest.mark.parametrize(("collection", "route"), COLLECTIONS)
def test_each_record_has_an_absolute_api_url_and_page(client, portal_data, collection, route):
    records = api_records(client, f"/api/{collection}/")
    assert records
    for record in records[:3]:
        assert record["url"].startswith("http://testserver/api/")
        assert record["html_url"].startswith("http://testserver/")
        detail = client.get(record["url"])
        assert detail.status_code == 200
        assert detail.json() == record
        assert client.get(record["html_url"]).status_code == 200


def test_country_is_found_by_its_lower_case_code(client, portal_data):
    belgium = client.get("/api/countries/be/").json()
    assert belgium["name"] == "Belgium"
    assert belgium["html_url"] == "http://testserver/en/countries/be/"
    assert {m["slug"] for m in belgium["metrics"]} >= {"belgium-startup-ecosystem-rank"}


def test_partial_dates_carry_precision_and_inferred_flag(client, portal_data):
    mou = client.get("/api/agreements/korea-belgium-sme-startup-mou-2026/").json()
    assert mou["signed_on"] == {
        "value": "2026",
        "precision": "year",
        "inferred": True,
        "display": "2026",
    }
    mss_mofa = client.get("/api/agreements/mss-mofa-global-expansion-mou-2024/").json()
    assert mss_mofa["signed_on"] == {
        "value": "2024-04",
        "precision": "month",
        "inferred": False,
        "display": "April 2024",
    }
    assert mss_mofa["expires_on"] is None


def test_relations_are_slugs_and_citations_name_their_source(client, portal_data):
    mou = client.get("/api/agreements/korea-belgium-sme-startup-mou-2026/").json()
    assert mou["country"] == "be"
    assert [p["ministry"] for p in mou["parties"]] == [
        "mss",
        "belgium-ministry-middle-classes-self-employed-smes",
    ]
    citation = mou["citations"][0]
    assert citation["quote"]
    assert citation["source"] == "korea-belgium-mou-announcement"
    assert citation["source_url"] == "http://testserver/en/sources/korea-belgium-mou-announcement/"


def test_aliases_and_figures_are_included(client, portal_data):
    mofa = client.get("/api/ministries/mofa/").json()
    assert {a["name"] for a in mofa["aliases"]} == {"MOFA", "MoFA"}
    council = client.get("/api/councils/support-council-of-diplomatic-missions/").json()
    figure = next(m for m in council["metrics"] if m["slug"] == "support-council-countries")
    assert figure["as_of"]["value"] == "2024-12-17"
    assert figure["citations"][0]["source"]


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/agreements/?country=bel", "country"),
        ("/api/agreements/?ministry=not%20a%20slug", "ministry"),
        ("/api/agreements/?date_from=2024-13", "date_from"),
        ("/api/agreements/?date_to=yesterday", "date_to"),
        ("/api/meetings/?format=telepathy", "format"),
        ("/api/councils/?kind=<script>", "kind"),
        ("/api/people/?sort=age", "sort"),
        ("/api/organizations/?q=" + "x" * 300, "q"),
        ("/api/ministries/?q=a%00b", "q"),
        ("/api/programs/?" + "&".join(f"country=x{i}" for i in range(51)), "country"),
    ],
)
def test_bad_filter_value_gets_a_400_saying_what_was_wrong(client, portal_data, url, param):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()[param]


@pytest.mark.parametrize(
    "url",
    [
        "/api/agreements/no-such-agreement/",
        "/api/countries/zz/",
        "/api/agreements/?page=99",
        "/api/agreements/?country=zz",
        "/api/agreements/?ministry=no-such-ministry",
    ],
)
def test_unknown_record_or_page_is_a_404(client, portal_data, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/programs/a%0Ab/", "/api/no-such-collection/", "/api/agreements/%0A/x/"]
)
def test_any_other_address_under_the_api_is_a_json_404(client, db, url):
    """A line break in the address included: schemathesis found one answered in HTML."""
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_upper_case_country_code_moves_to_the_lower_case_address(client, portal_data):
    response = client.get("/api/countries/BE/")
    assert response.status_code == 301
    assert response["Location"] == "/api/countries/be/"
    assert client.get(response["Location"]).json()["code"] == "be"


@pytest.fixture
def drafts(portal_data):
    """A draft agreement with a draft party, and a published case with staff-only notes."""
    mss = Ministry.objects.get(slug="mss")
    hidden = factories.MinistryFactory(slug="draft-ministry", country_code="be", is_published=False)
    factories.AgreementFactory(slug="draft-agreement", parties=(mss, hidden), is_published=False)
    factories.AgreementFactory(slug="public-agreement", parties=(mss, hidden))
    factories.SupportCaseFactory(
        slug="case-with-notes",
        country_code="be",
        staff_notes="STAFF-NOTE-7 do not publish",
        staff_contacts="STAFF-CONTACT-7 +32 2 000 00 00",
    )
    SupportCase.objects.filter(slug="poen-factory-site-and-permits-germany").update(
        staff_notes="STAFF-NOTE-8", staff_contacts="STAFF-CONTACT-8"
    )


SECRETS = ["draft-agreement", "draft-ministry", "STAFF-NOTE", "STAFF-CONTACT"]


def test_drafts_and_staff_fields_never_appear(client, drafts):
    for collection, _route in COLLECTIONS:
        text = json.dumps(api_records(client, f"/api/{collection}/"))
        for secret in SECRETS:
            assert secret not in text, (collection, secret)
    public = client.get("/api/agreements/public-agreement/").json()
    assert [p["ministry"] for p in public["parties"]] == ["mss"]
    case = client.get("/api/support-cases/case-with-notes/").json()
    assert "staff_notes" not in case and "staff_contacts" not in case
    assert "STAFF" not in json.dumps(case)
    assert client.get("/api/agreements/draft-agreement/").status_code == 404
    assert client.get("/api/ministries/draft-ministry/").status_code == 404
    # A draft ministry is not a filter value the public can use: it is not there.
    assert client.get("/api/agreements/?ministry=draft-ministry").status_code == 404


def test_list_reads_the_same_number_of_queries_for_more_records(
    client, db, django_assert_max_num_queries
):
    factories.portal_world(size=2, prefix="a")
    with django_assert_max_num_queries(40) as small:
        client.get("/api/agreements/")
    factories.portal_world(size=6, prefix="b")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/agreements/")


# The schema ---------------------------------------------------------------------------


def openapi_schema(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(client, db):
    schema = openapi_schema(client)
    assert schema["openapi"].startswith("3.")
    validate(schema)
    for collection, _route in COLLECTIONS:
        assert f"/api/{collection}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/agreements/"]["get"]["parameters"]}
    assert {"q", "country", "ministry", "kind", "status", "date_from", "date_to", "sort"} <= (
        parameters
    )


def test_schema_never_mentions_staff_only_fields(client, db):
    text = json.dumps(openapi_schema(client))
    assert "staff_notes" not in text and "staff_contacts" not in text


def test_docs_page_loads_its_files_from_the_portal_not_a_cdn(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert static("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js") in html
    assert "<script>" not in html, "the CSP allows no inline script"
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    for host in ("cdn.", "unpkg", "jsdelivr", "googleapis"):
        assert host not in html


def test_schemathesis_finds_no_server_error(portal_data):
    """Requests generated from the schema for every operation: none may get a 5xx, and
    every answer must match what the schema says of it."""
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from portal.wsgi import application

    # As Django's test client does: a request must not close the test's database connection
    # (closing it would end the test's transaction on PostgreSQL).
    signals = [request_started, request_finished]
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        checks = [not_a_server_error, response_schema_conformance]
        for result in schema.get_all_operations():
            fuzz(result.ok(), checks)
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


def fuzz(operation, checks):
    from hypothesis import HealthCheck, given, settings

    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def check(case):
        # Straight to the application, with no client to undo gzip: ask for none.
        case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})

    check()
