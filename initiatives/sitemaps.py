"""/sitemap.xml: an index of sections: the dashboard and the lists, every published
detail page (one section per collection of the registry, in pages of at most
``SITEMAP_LIMIT`` addresses), each country page that has one, and each region's with records.

Every address is listed once per language (/en/…, /ko/…), each with its alternates in
both languages and the English one as x-default (``xhtml:link`` hreflang), as the
pages' heads give them."""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from .models import Country, Region
from .registry import COLLECTIONS
from .views.countries import records_per_country
from .views.regions import records_per_region

# Addresses per sitemap page: a page reads at most this many records.
SITEMAP_LIMIT = 2000


class Sitemap(DjangoSitemap):
    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(Sitemap):
    model = None
    limit = SITEMAP_LIMIT

    def items(self):
        # Only what the URL and the date need: a support case's staff fields stay unread.
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, record):
        return record.updated_at


class CountrySitemap(Sitemap):
    def items(self):
        return Country.objects.filter(code__in=records_per_country()).order_by("code")


class RegionSitemap(Sitemap):
    """The regions and groupings with public records in their countries."""

    def items(self):
        return Region.objects.filter(slug__in=records_per_region()).order_by("slug")


class PageSitemap(Sitemap):
    """The dashboard, each collection's list and the list of countries."""

    def items(self):
        return [
            "initiatives:dashboard",
            *(collection.list_route for collection in COLLECTIONS),
            "initiatives:country-list",
            "initiatives:region-list",
        ]

    def location(self, route):
        return reverse(route)


def record_sitemap(model):
    return type(f"{model.__name__}Sitemap", (RecordSitemap,), {"model": model})


SITEMAPS = {
    "pages": PageSitemap,
    **{c.model._meta.model_name: record_sitemap(c.model) for c in COLLECTIONS},
    "country": CountrySitemap,
    "region": RegionSitemap,
}
