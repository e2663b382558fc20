"""Every public page runs the same number of queries at 5 rows as at 60.

The data is built once for the module: a world of 5 of everything, every page's
queries counted; then 55 more, counted again. Each page is then its own test.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import portal_world

# Also makes pytest-django set up the test database for the module-scoped fixture.
pytestmark = pytest.mark.django_db

LISTS = [
    "agreement",
    "ministry",
    "council",
    "meeting",
    "support-case",
    "organization",
    "person",
    "program",
    "source",
    "country",
]


def pages(world, prefix) -> dict[str, str]:
    """Page name → address, for the records of one world."""
    urls = {f"{route}-list": reverse(f"initiatives:{route}-list") for route in LISTS}
    urls.update(
        {
            "agreement-list-filtered": reverse("initiatives:agreement-list")
            + f"?country=be&ministry={prefix}-mss&kind=mou&date_from=2024&sort=name",
            "meeting-list-filtered": reverse("initiatives:meeting-list")
            + f"?council={prefix}-council-1&format=hybrid&country=FR&date_to=2026-01",
            "support-case-list-filtered": reverse("initiatives:support-case-list")
            + f"?sector=biotech&organization={prefix}-kosme&status=resolved&q=case",
            "council-list-filtered": reverse("initiatives:council-list")
            + f"?mission={prefix}-embassy-1&ministry={prefix}-mss&status=active",
            "agreement-list-page-2": reverse("initiatives:agreement-list") + "?page=2",
            "agreement-list-by-region": reverse("initiatives:agreement-list")
            + "?region=europe&date_from=2024",
            "meeting-list-by-region": reverse("initiatives:meeting-list")
            + f"?region=eu&region=asean&council={prefix}-council-1",
            "region-list": reverse("initiatives:region-list"),
            "region": reverse("initiatives:region-detail", args=["europe"]),
            "grouping": reverse("initiatives:region-detail", args=["asean"]),
            "framework-agreement": world["framework"].get_absolute_url(),
            "agreement": world["agreements"][1].get_absolute_url(),
            "umbrella-council": world["umbrella"].get_absolute_url(),
            "council": world["councils"][1].get_absolute_url(),
            "annual-meeting": world["annual"].get_absolute_url(),
            "meeting": world["meetings"][1].get_absolute_url(),
            "support-case": world["cases"][1].get_absolute_url(),
            "ministry": world["ministry"].get_absolute_url(),
            "agency": world["agency"].get_absolute_url(),
            "person": world["chair"].get_absolute_url(),
            "program": world["programs"][1].get_absolute_url(),
            "source": reverse("initiatives:source-detail", args=["mss-press-release"]),
            "country": reverse("initiatives:country-detail", args=["be"]),
            "dashboard": reverse("initiatives:dashboard"),
            "search": reverse("initiatives:search") + "?q=Minister",
        }
    )
    return urls


def count_queries(client, urls) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        cache.clear()  # every query the page needs, none answered by a kept figure
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


@pytest.fixture(scope="module")
def query_counts(django_db_setup, django_db_blocker):
    """{page: (queries with 5 rows, queries with 60 rows)}; the data is rolled back."""
    assert "memory" in str(connection.settings_dict["NAME"]) or "test" in str(
        connection.settings_dict["NAME"]
    ), "refusing to write outside the test database"
    client = Client()
    with django_db_blocker.unblock(), transaction.atomic():
        small = count_queries(client, pages(portal_world(size=5, prefix="a"), "a"))
        large = count_queries(client, pages(portal_world(size=55, prefix="b"), "b"))
        transaction.set_rollback(True)
    return {name: (small[name], large[name]) for name in small}


PAGE_NAMES = [
    *(f"{route}-list" for route in LISTS),
    "agreement-list-filtered",
    "meeting-list-filtered",
    "support-case-list-filtered",
    "council-list-filtered",
    "agreement-list-page-2",
    "agreement-list-by-region",
    "meeting-list-by-region",
    "region-list",
    "region",
    "grouping",
    "framework-agreement",
    "agreement",
    "umbrella-council",
    "council",
    "annual-meeting",
    "meeting",
    "support-case",
    "ministry",
    "agency",
    "person",
    "program",
    "source",
    "country",
    "dashboard",
    "search",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_query_count_does_not_grow_with_rows(query_counts, page):
    at_5, at_60 = query_counts[page]
    assert at_5 > 0, "the page came from a cache, so nothing was measured"
    # A link that no row on the page has (no organization listed has a parent ministry)
    # is not fetched at all, so a page may run fewer queries, never more.
    assert at_60 <= at_5, f"{page}: {at_5} queries with 5 rows, {at_60} with 60"


def test_every_page_is_counted(query_counts):
    assert set(query_counts) == set(PAGE_NAMES)
