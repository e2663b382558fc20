"""/sitemap.xml lists every published detail page and nothing else; robots.txt points to it."""

import xml.etree.ElementTree as ET

import pytest

from initiatives import sitemaps
from initiatives.models import (
    Agreement,
    Council,
    Meeting,
    Ministry,
    Organization,
    Person,
    Program,
    Source,
    SupportCase,
)
from initiatives.views.countries import records_per_country
from initiatives.views.regions import records_per_region
from tests import factories


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RECORDS = [
    Agreement,
    Ministry,
    Council,
    Meeting,
    SupportCase,
    Organization,
    Person,
    Program,
    Source,
]


def sitemap_pages(client) -> list[str]:
    """The addresses of the sitemap's pages, from its index."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [page.find(f"{SITEMAP}loc").text for page in root.findall(f"{SITEMAP}sitemap")]


def sitemap_urls(client) -> dict[str, str | None]:
    """{page address: its lastmod}, over every page of the index."""
    found = {}
    for page in sitemap_pages(client):
        response = client.get(page.removeprefix("http://testserver"))
        assert response.status_code == 200, page
        root = ET.fromstring(response.content)
        assert root.tag == f"{SITEMAP}urlset"
        found |= {
            url.find(f"{SITEMAP}loc").text: getattr(url.find(f"{SITEMAP}lastmod"), "text", None)
            for url in root.findall(f"{SITEMAP}url")
        }
    return found


# The public URL contract's collections (DESIGN.md).
COLLECTION_PATHS = [
    "agreements",
    "ministries",
    "councils",
    "meetings",
    "support-cases",
    "organizations",
    "people",
    "programs",
    "sources",
]


def test_sitemap_lists_the_dashboard_the_lists_and_every_published_detail_page(client, portal_data):
    urls = sitemap_urls(client)
    paths = {
        record.get_absolute_url().removeprefix("/en")
        for model in RECORDS
        for record in model.objects.published()
    }
    paths |= {f"/countries/{code}/" for code in records_per_country()}
    paths |= {f"/regions/{slug}/" for slug in records_per_region()}
    paths |= {f"/{name}/" for name in COLLECTION_PATHS} | {"/", "/countries/", "/regions/"}
    # Every page once in each language.
    expected = {f"http://testserver/{lang}{path}" for lang in ("en", "ko") for path in paths}
    assert set(urls) == expected


def test_every_address_names_its_language_versions_and_the_default(client, portal_data):
    mou = "/agreements/korea-belgium-sme-startup-mou-2026/"
    found = {}
    for page in sitemap_pages(client):
        root = ET.fromstring(client.get(page.removeprefix("http://testserver")).content)
        for url in root.findall(f"{SITEMAP}url"):
            found[url.find(f"{SITEMAP}loc").text] = {
                link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
            }
    alternates = {
        "en": f"http://testserver/en{mou}",
        "ko": f"http://testserver/ko{mou}",
        "x-default": f"http://testserver{mou}",
    }
    assert found[f"http://testserver/en{mou}"] == alternates
    assert found[f"http://testserver/ko{mou}"] == alternates
    assert all(set(links) == {"en", "ko", "x-default"} for links in found.values())
    # The page's own head says the same.
    head = client.get(f"/ko{mou}").content.decode().split("</head>")[0]
    for language, href in alternates.items():
        assert f'<link rel="alternate" hreflang="{language}" href="{href}">' in head


def test_every_address_in_the_sitemap_opens(client, portal_data):
    for url in sitemap_urls(client):
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_records_carry_their_last_change(client, portal_data):
    urls = sitemap_urls(client)
    mou = Agreement.objects.get(slug="korea-belgium-sme-startup-mou-2026")
    assert urls[f"http://testserver{mou.get_absolute_url()}"] == mou.updated_at.date().isoformat()


def test_drafts_stay_out_of_the_sitemap(client, portal_data):
    factories.AgreementFactory(slug="draft-agreement", is_published=False)
    factories.SupportCaseFactory(slug="draft-case", is_published=False, staff_notes="STAFF-NOTE")
    text = " ".join(sitemap_urls(client))
    assert "/en/agreements/draft-agreement/" not in text
    assert "/en/support-cases/draft-case/" not in text
    assert "STAFF" not in text


def test_a_large_collection_is_split_into_pages_of_the_limit(client, portal_data, monkeypatch):
    monkeypatch.setattr(sitemaps.RecordSitemap, "limit", 2)
    pages = sitemap_pages(client)
    agreements = [page for page in pages if "sitemap-agreement.xml" in page]
    # Each agreement is listed in both languages: twice the addresses.
    published = Agreement.objects.published().count()
    assert len(agreements) == -(-2 * published // 2) > 1
    assert set(sitemap_urls(client)) >= {
        f"http://testserver{a.get_absolute_url()}" for a in Agreement.objects.published()
    }


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
