"""HTTP done right: one cache entry per representation, conditional GET (ETag and
Last-Modified, 304s, from the page cache too), Cache-Control for the public and for
staff, compressed HTML and JSON for the public only, and CORS for public reads."""

import gzip

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache as django_cache
from django.urls import reverse

from initiatives import cache
from initiatives.models import Agreement
from tests import factories


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""
    django_cache.clear()


JSON_SCHEMA = "application/vnd.oai.openapi+json"
YAML_SCHEMA = "application/vnd.oai.openapi"


def public_addresses() -> dict[str, str]:
    agreements = reverse("initiatives:agreement-list")
    return {
        "page": agreements,
        "detail page": reverse(
            "initiatives:agreement-detail", args=["korea-belgium-sme-startup-mou-2026"]
        ),
        "api": "/api/agreements/",
        "api detail": "/api/agreements/korea-belgium-sme-startup-mou-2026/",
        "schema": "/api/schema/",
        "csv": f"{agreements}?format=csv",
        "feed": reverse("feeds:agreements"),
        "calendar": reverse("feeds:meetings-ics"),
        "sitemap": reverse("sitemap"),
    }


ADDRESSES = list(public_addresses())


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user("reviewer", is_staff=True, is_superuser=True)
    return factories.log_in_verified(client, user)


# One entry per representation ------------------------------------------------------------


@pytest.mark.parametrize("order", [(JSON_SCHEMA, YAML_SCHEMA), (YAML_SCHEMA, JSON_SCHEMA)])
def test_the_schema_as_json_and_as_yaml_never_cross_over(client, portal_data, order):
    for _round in range(2):
        for accept in order:
            response = client.get("/api/schema/", HTTP_ACCEPT=accept)
            assert response.status_code == 200
            assert response["Content-Type"].startswith(accept)
            body = response.content.decode()
            assert body.startswith("{") == (accept == JSON_SCHEMA)
    assert response[cache.HIT_HEADER] == "hit"


@pytest.mark.parametrize("first", ["*/*", "application/json", "text/html", None])
def test_a_representation_the_api_lacks_is_a_406_whatever_was_asked_before(
    client, portal_data, first
):
    headers = {} if first is None else {"HTTP_ACCEPT": first}
    client.get("/api/agreements/", **headers)
    client.get("/api/agreements/", **headers)
    for _round in range(2):
        response = client.get("/api/agreements/", HTTP_ACCEPT="application/xml")
        assert response.status_code == 406
        assert cache.HIT_HEADER not in response
    assert client.get("/api/agreements/", HTTP_ACCEPT="application/json").status_code == 200


def test_api_answers_vary_by_accept(client, portal_data):
    response = client.get("/api/agreements/")
    assert "Accept" in response["Vary"]


# Conditional GET ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ADDRESSES)
def test_a_repeated_request_with_its_etag_gets_a_304(client, portal_data, name):
    url = public_addresses()[name]
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    # The second answer comes from the page cache (but streamed CSV is not kept).
    for _round in range(2):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, name
        assert again.content == b""
        assert again["ETag"] == etag


@pytest.mark.parametrize("name", ADDRESSES)
def test_a_repeated_request_with_its_date_gets_a_304(client, portal_data, name):
    url = public_addresses()[name]
    first = client.get(url)
    last_modified = first["Last-Modified"]
    for _round in range(2):
        again = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
        assert again.status_code == 304, name


def test_an_edit_changes_the_etag_and_the_date(client, portal_data):
    for url in (public_addresses()["api"], public_addresses()["csv"]):
        first = client.get(url)
        agreement = Agreement.objects.get(slug="korea-belgium-sme-startup-mou-2026")
        agreement.summary += " Edited."
        agreement.save()
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 200
        assert again["ETag"] != first["ETag"]


def test_etags_are_per_representation(client, portal_data):
    as_json = client.get("/api/schema/", HTTP_ACCEPT=JSON_SCHEMA)
    as_yaml = client.get(
        "/api/schema/", HTTP_ACCEPT=YAML_SCHEMA, HTTP_IF_NONE_MATCH=as_json["ETag"]
    )
    assert as_yaml.status_code == 200
    assert as_yaml["ETag"] != as_json["ETag"]


# Cache-Control ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ADDRESSES)
def test_public_answers_may_be_kept_briefly_by_any_cache(client, portal_data, name):
    for _round in range(2):  # fresh, then from the page cache
        response = client.get(public_addresses()[name])
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"public", "max-age=60", "stale-while-revalidate=300"} <= directives, name


def test_staff_answers_are_private(staff_client, portal_data):
    for name in ("page", "api", "csv"):
        response = staff_client.get(public_addresses()[name])
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert "private" in directives and "public" not in directives, name


def test_a_page_reporting_a_bad_filter_is_not_public(client, portal_data):
    response = client.get(reverse("initiatives:agreement-list"), {"country": "zz"})
    assert "public" not in response.get("Cache-Control", "")


# Compression --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["page", "api", "schema", "csv"])
def test_public_html_and_json_are_compressed(client, portal_data, name):
    url = public_addresses()[name]
    plain = client.get(url)
    body = b"".join(plain.streaming_content) if plain.streaming else plain.content
    for _round in range(2):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in response["Vary"]
        packed = b"".join(response.streaming_content) if response.streaming else response.content
        assert gzip.decompress(packed) == body


def test_staff_pages_with_csrf_tokens_are_never_compressed(staff_client, portal_data):
    for url in (reverse("initiatives:agreement-list"), "/admin/", "/api/agreements/"):
        response = staff_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert not response.has_header("Content-Encoding"), url


def test_public_pages_hold_no_csrf_token_or_session(client, portal_data):
    for name in ("page", "detail page"):
        response = client.get(public_addresses()[name])
        assert b"csrfmiddlewaretoken" not in response.content
        assert not response.cookies


# CORS ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["api", "api detail", "schema", "csv", "feed", "calendar"])
def test_any_origin_may_read_public_data_without_credentials(client, portal_data, name):
    for _round in range(2):  # fresh, then from the page cache
        response = client.get(public_addresses()[name], HTTP_ORIGIN="https://example.org")
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_allows_reads_only(client, portal_data):
    response = client.options(
        "/api/agreements/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }


def test_the_admin_is_never_shared_across_origins(client, portal_data):
    for url in ("/admin/", "/admin/login/"):
        response = client.get(url, HTTP_ORIGIN="https://example.org")
        assert "Access-Control-Allow-Origin" not in response
        preflight = client.options(
            url, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
        )
        assert "Access-Control-Allow-Origin" not in preflight
