"""Korean pages are valid HTML too: the checks of test_html_valid.py, at the /ko/ addresses.

Needs Java and vnu.jar, as test_html_valid.py says; skipped without them.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from tests.test_html_valid import every_kind_of_page, html_errors
from tests.test_html_valid import pytestmark as vnu_marks

pytestmark = vnu_marks


@pytest.fixture
def korean_client():
    return Client(headers={"accept-language": "ko"})


def test_every_kind_of_page_is_valid_html_in_korean(korean_client, tmp_path):
    world = f.portal_world(size=6)
    with translation.override("ko"):
        urls = every_kind_of_page(world)
    urls["admin-login"] = reverse("admin:login")
    page = korean_client.get(urls["dashboard"]).content.decode()
    assert '<html lang="ko">' in page
    errors = html_errors(korean_client, urls, tmp_path)
    assert not errors, "\n".join(errors)


def test_every_fixture_list_and_country_page_is_valid_html_in_korean(
    korean_client, portal_data, tmp_path
):
    from initiatives.models import Country

    with translation.override("ko"):
        urls = {
            f"{route}-list": reverse(f"initiatives:{route}-list")
            for route in ["agreement", "council", "meeting", "organization", "person", "country"]
        }
        for country in Country.objects.filter(ministries__isnull=False).distinct():
            urls[f"country-{country.code}"] = country.get_absolute_url()
    errors = html_errors(korean_client, urls, tmp_path)
    assert not errors, "\n".join(errors)
