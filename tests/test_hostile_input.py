"""Generated hostile input for every parameter of every list page, feed, export and API
list: unicode, control characters, NUL bytes, huge numbers, injection strings, malformed
dates, repeated and unknown parameters, broken percent-encoding. Never a server error.

Hypothesis runs derandomized with a modest number of examples per endpoint, so the
suite stays quick and CI sees the same cases every run.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initiatives import filters
from initiatives.api.urls import router
from initiatives.registry import COLLECTIONS
from tests import factories
from tests.site_walk import body

EXAMPLES = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Every list also answers these, whatever its FilterSet says.
COMMON = ["page", "sort", "format", "q"]


@dataclass(frozen=True)
class Endpoint:
    path: str
    parameters: tuple[str, ...]


def parameters(filterset, *extra) -> tuple[str, ...]:
    return tuple(sorted({*filterset.base_filters, *COMMON, *extra}))


ENDPOINTS = [
    *[Endpoint(f"/en/{c.segment}/", parameters(c.filterset)) for c in COLLECTIONS],
    Endpoint("/en/countries/", parameters(filters.CountryFilter)),
    Endpoint("/en/search/", ("q", "page", "kind")),
    Endpoint("/en/", ("q",)),
    Endpoint("/en/feeds/agreements/", parameters(filters.AgreementFilter)),
    Endpoint("/en/feeds/meetings/", parameters(filters.MeetingFilter)),
    Endpoint("/en/feeds/meetings.ics", parameters(filters.MeetingFilter)),
    *[
        Endpoint(f"/api/{prefix}/", parameters(viewset.filterset_class, "page_size"))
        for prefix, viewset, _basename in router.registry
    ],
]

HOSTILE = [
    "",
    " ",
    "\x00",
    "nul\x00byte",
    "\r\n\t\x0b\x1b[31m",
    "' OR 1=1 --",
    '"; DROP TABLE initiatives_agreement; --',
    "1' UNION SELECT NULL, version() --",
    "%",
    "_",
    "\\",
    "*",
    "{{7*7}}",
    "${jndi:ldap://127.0.0.1/x}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "../../etc/passwd",
    "x" * 5000,
    "서울 😀 \u202e\ufeff",
    "ﬁ İ ß ǅ",
    # Runs of web search operators that PostgreSQL's websearch_to_tsquery nests too deep.
    "-" * 40,
    "- " * 40,
    '"-' * 20,
    "\u2014" * 40,
]
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["9" * 400, "1e309", "-0", "NaN", "inf", "0x10", "1_000", "１２", "2.5"]),
)
DATES = st.sampled_from(
    ["2024-13", "2024-02-30", "0000", "0001-01-01", "9999-12-31", "99999", "2024-1-1",
     "20240417", "2024-04-17T00:00", "2024/04/17", "-2024", "2024-00", "17 April 2024",
     "9999-12", "9999", "0001-01", "1899-12-31", "2101", "２０２４"]
)  # fmt: skip
VALID = st.sampled_from(["be", "KR", "fr", "mss", "w-mss", "2024", "2024-04", "mou", "signed"])
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), NUMBERS, DATES, VALID)
# Raw query fragments that no urlencode() would make.
RAW = st.sampled_from(["", "&%FF%FE=%C0%AF", "&page=%ZZ", "&&&=&", "&q=%00", "&country[]=be", "&="])


def queries(names: tuple[str, ...]):
    pairs = st.lists(
        st.tuples(st.sampled_from([*names, "unknown", "page"]), VALUES), min_size=1, max_size=6
    )
    return st.tuples(pairs, RAW).map(lambda query: urlencode(query[0]) + query[1])


@pytest.fixture
def small_world(db):
    factories.portal_world(size=2)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_no_generated_parameters_give_a_server_error(client, small_world, endpoint):
    @EXAMPLES
    @given(query=queries(endpoint.parameters))
    def no_server_error(query):
        response = client.get(f"{endpoint.path}?{query}")
        body(response)  # a streamed export fails while it streams, not before
        assert response.status_code < 500, query

    no_server_error()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/agreements/{}/", "/en/countries/{}/", "/api/agreements/{}/"])
@EXAMPLES
@given(slug=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=60)))
def test_no_generated_address_gives_a_server_error(client, path, slug):
    response = client.get(path.format(slug.replace("/", "%2F").replace("?", "%3F")))
    assert response.status_code < 500
