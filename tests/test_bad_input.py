"""Bad input never breaks a page: each parameter of each list, detail slugs, search."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LISTS = {
    "agreement": ["q", "country", "ministry", "kind", "status", "date_from", "date_to", "sort"],
    "ministry": ["q", "country", "sort"],
    "council": ["q", "country", "ministry", "mission", "kind", "status", "date_from", "sort"],
    "meeting": ["q", "country", "ministry", "council", "format", "kind", "status", "date_to"],
    "support-case": ["q", "country", "sector", "organization", "council", "status", "sort"],
    "organization": ["q", "country", "ministry", "kind", "sort"],
    "person": ["q", "country", "ministry", "sort"],
    "program": ["q", "country", "ministry", "kind", "date_from", "date_to", "sort"],
    "source": ["q", "language", "date_from", "date_to", "sort"],
    "country": ["q"],
}
BAD_VALUES = [
    "",
    "zz",
    "2024-13-45",
    "0000",
    "99999-01",
    "' OR 1=1 --",
    '"; DROP TABLE initiatives_agreement; --',
    "<script>alert(1)</script>",
    "x" * 5000,
    "nul\x00byte",
    "%",
    "../../etc/passwd",
    "서울",
    "-1",
]


@pytest.fixture
def world():
    return f.portal_world(size=1)


@pytest.mark.parametrize(
    ("route", "param"), [(route, param) for route, params in LISTS.items() for param in params]
)
def test_bad_value_of_each_list_parameter_never_gives_a_server_error(client, world, route, param):
    url = reverse(f"initiatives:{route}-list")
    for value in BAD_VALUES:
        response = client.get(url, {param: value})
        assert response.status_code == 200, (param, value)
    repeated = client.get(url, {param: ["be", "<b>", "x" * 300] * 30})
    assert repeated.status_code == 200


@pytest.mark.parametrize("route", LISTS)
@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999", "1e3", "", "9" * 40])
def test_any_page_number_gives_a_page(client, world, route, page):
    response = client.get(reverse(f"initiatives:{route}-list"), {"page": page})
    assert response.status_code == 200
    shown = response.context["page_obj"]
    assert 1 <= shown.number <= shown.paginator.num_pages
    assert len(shown.object_list) > 0


def test_page_past_the_end_shows_the_last_page_and_says_so(client, world):
    response = client.get(reverse("initiatives:agreement-list"), {"page": "99999"})
    assert response.context["page_obj"].number == 1
    assert b"There is no page 99999" in response.content


def test_malformed_date_says_what_was_wrong(client, world):
    response = client.get(reverse("initiatives:meeting-list"), {"date_from": "17/12/2024"})
    assert response.status_code == 200
    assert b"Enter a date as YYYY, YYYY-MM or YYYY-MM-DD" in response.content


def test_unknown_country_says_what_was_wrong(client, world):
    response = client.get(reverse("initiatives:council-list"), {"country": "XX"})
    assert b"Unknown country code: &#x27;xx&#x27;" in response.content


def test_unknown_sort_key_says_what_was_wrong(client, world):
    response = client.get(reverse("initiatives:person-list"), {"sort": "id; DROP"})
    assert b"Unknown sort order" in response.content


def test_injection_like_text_is_shown_escaped(client, world):
    response = client.get(reverse("initiatives:agreement-list"), {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


@pytest.mark.parametrize(
    "collection",
    [
        "agreements",
        "ministries",
        "councils",
        "meetings",
        "support-cases",
        "organizations",
        "people",
        "programs",
        "sources",
    ],
)
def test_unknown_slug_is_a_404_page(client, world, collection):
    response = client.get(f"/{collection}/no-such-record/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.parametrize("code", ["zz", "x", "belgium", "b%00", "../kr"])
def test_unknown_country_page_is_a_404(client, world, code):
    assert client.get(f"/countries/{code}/").status_code == 404


@pytest.mark.parametrize("q", BAD_VALUES + ['"unterminated', "a & | ! b", "-", ":*", "(("])
def test_search_never_gives_a_server_error(client, world, q):
    response = client.get(reverse("initiatives:search"), {"q": q})
    assert response.status_code == 200


def test_too_long_search_says_so(client, world):
    response = client.get(reverse("initiatives:search"), {"q": "x" * 201})
    assert b"Search for at most 200 characters" in response.content
