from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language

from initiatives.admin_views import data_quality_view, follow_ups_view, review_queue_view
from initiatives.sitemaps import SITEMAPS
from portal.favicon import favicon
from portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # Before admin.site.urls, whose catch-all would otherwise answer this address.
    path("admin/data-quality/", data_quality_view, name="admin-data-quality"),
    path("admin/review/", review_queue_view, name="admin-review-queue"),
    path("admin/follow-ups/", follow_ups_view, name="admin-follow-ups"),
    path("admin/", admin.site.urls),
    # The switcher is on every page, and public pages come from the page cache, which
    # keeps no response that sets a cookie (a CSRF token would). Choosing a language
    # changes nothing but the visitor's language cookie, so it needs no CSRF token.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/", include("initiatives.api.urls")),
    path("feeds/", include("initiatives.feeds")),
    # An index of sections, each at most SITEMAP_LIMIT addresses a page, so that no
    # request reads a whole collection.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("initiatives.urls")),
]
handler500 = "portal.errors.handler500"
