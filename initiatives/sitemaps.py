"""/sitemap.xml: every published detail page, and each country page that has one."""

from django.contrib.sitemaps import Sitemap

from .models import (
    Agreement,
    Council,
    Country,
    Meeting,
    Ministry,
    Organization,
    Person,
    Program,
    Source,
    SupportCase,
)
from .views import records_per_country


class RecordSitemap(Sitemap):
    model = None

    def items(self):
        # Only what the URL and the date need: a support case's staff fields stay unread.
        return self.model.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, record):
        return record.updated_at


class CountrySitemap(Sitemap):
    def items(self):
        return Country.objects.filter(code__in=records_per_country()).order_by("code")


def record_sitemap(model):
    return type(f"{model.__name__}Sitemap", (RecordSitemap,), {"model": model})


SITEMAPS = {
    model._meta.model_name: record_sitemap(model)
    for model in [
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
}
SITEMAPS["country"] = CountrySitemap
