"""The API keeps to its OpenAPI document: openapi-core, a strict validator, reads every
real answer (every record of every collection, in its list and on its own), and every
error, against the document; what the document forbids gets a 400, what it allows is
answered."""

import json

import pytest
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tests.test_api import COLLECTIONS


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


@pytest.fixture(scope="module")
def document(portal_data_for_module, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture(scope="module")
def openapi(document) -> OpenAPI:
    return OpenAPI.from_dict(document)


def validated(openapi, response, *, valid_request=True):
    """The response, once openapi-core has found it in the document, and its request
    allowed (or, with ``valid_request=False``, forbidden) by the document."""
    request = DjangoOpenAPIRequest(response.wsgi_request)
    errors = openapi.unmarshal_request(request).errors
    assert not errors if valid_request else errors
    openapi.validate_response(request, DjangoOpenAPIResponse(response))
    return response


def test_the_document_is_openapi_3_1_with_no_3_0_nullable(document):
    assert document["openapi"] == "3.1.0"
    assert '"nullable"' not in json.dumps(document)


@pytest.mark.parametrize(("collection", "_route"), COLLECTIONS)
def test_every_record_of_every_collection_matches_the_document(
    client, portal_data, openapi, collection, _route
):
    url, records = f"/api/{collection}/?page_size=100", []
    while url:
        page = validated(openapi, client.get(url)).json()
        records += page["results"]
        url = page["next"]
    assert records, collection
    for record in records:
        detail = validated(openapi, client.get(record["url"]))
        assert detail.json() == record


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/agreements/?date_from=2024-13", 400),
        ("/api/agreements/?date_from=0000", 400),
        ("/api/agreements/?date_from=2023-02-29", 400),
        ("/api/agreements/?date_from=2024.03", 400),
        ("/api/agreements/?date_from=", 400),
        ("/api/agreements/?page_size=abc", 400),
        ("/api/agreements/?page_size=101", 400),
        ("/api/agreements/?page_size=0", 400),
        ("/api/agreements/?page=0", 400),
        ("/api/agreements/?sort=", 400),
        ("/api/agreements/?sort=name,-name", 400),
        ("/api/agreements/?kind=", 400),
        ("/api/agreements/?kind=treaty", 400),
        ("/api/agreements/?country=bel", 400),
        ("/api/agreements/?ministry=a%20b", 400),
        ("/api/agreements/?q=", 400),
        ("/api/agreements/?q=a%01b", 400),
        ("/api/support-cases/?sector=" + "x" * 201, 400),
        ("/api/support-cases/?sector=a%0Ab", 400),
        ("/api/agreements/?country=zz", 404),
        ("/api/agreements/?ministry=no-such-ministry", 404),
        ("/api/agreements/?page=99", 404),
        ("/api/agreements/no-such-agreement/", 404),
        ("/api/countries/zz/", 404),
    ],
)
def test_what_the_document_forbids_is_refused_with_its_documented_body(
    client, portal_data, openapi, url, status
):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    # A 400 is for a request the document forbids; a 404 for one it allows.
    validated(openapi, response, valid_request=status == 404)


def test_a_parameter_that_takes_one_value_is_refused_twice(client, portal_data):
    response = client.get("/api/agreements/?page=1&page=2")
    assert response.status_code == 400
    assert response.json() == {"page": ["Give page once."]}


def test_any_other_address_under_the_api_is_a_json_404(client, portal_data):
    for url in ("/api/agreements/not%20a%20slug/", "/api/no-such-collection/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "query",
    [
        "date_from=2024-02-29&date_to=2100-12-31",
        "date_from=1900",
        "sort=-signed_on",
        "country=BE&country=be",
        "q=%E2%80%8Bsme",
        "page_size=100&page=1",
    ],
)
def test_what_the_document_allows_is_answered(client, portal_data, openapi, query):
    response = client.get(f"/api/agreements/?{query}")
    assert response.status_code == 200, response.content
    validated(openapi, response)


def test_a_sector_the_document_allows_is_read_not_refused(client, portal_data, openapi):
    # Text with no control characters: a zero-width space or a no-break space is text.
    response = client.get("/api/support-cases/", {"sector": "Batteries\u00a0\u200b"})
    assert response.status_code == 200, response.content
    validated(openapi, response)


def test_an_unknown_key_says_which_filter_named_it(client, portal_data):
    response = client.get("/api/agreements/?ministry=no-such-ministry&country=be")
    assert response.status_code == 404
    assert list(response.json()) == ["ministry"]


def test_json_is_the_only_representation(client, portal_data, openapi):
    response = client.get("/api/agreements/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json() == {"detail": "Could not satisfy the request Accept header."}
    validated(openapi, response)


def test_a_refusal_says_what_was_wrong_in_words(client, portal_data):
    far = client.get("/api/agreements/?date_from=9999").json()
    assert far == {"date_from": ["Enter a year between 1900 and 2100."]}
    dotted = client.get("/api/agreements/?date_from=2024.03").json()
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in dotted["date_from"][0]
    assert "^(?:" not in dotted["date_from"][0]
    size = client.get("/api/agreements/?page_size=abc").json()
    assert "abc" in size["page_size"][0] and "integer" in size["page_size"][0]
