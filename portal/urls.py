from django.conf.urls.i18n import i18n_patterns
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
    # The API is language-neutral in its codes; its labels follow Accept-Language or ?lang=.
    path("api/", include("initiatives.api.urls")),
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
]
# Every public page and feed has an address per language, /en/… and /ko/…: a Korean
# page can be linked, and feed readers and calendar apps (which send no language) get
# the language of the address. An address without a prefix (the root included)
# redirects to the visitor's language (LocaleMiddleware: the language cookie, else
# Accept-Language), with Vary on both.
urlpatterns += i18n_patterns(
    path("feeds/", include("initiatives.feeds")),
    path("", include("initiatives.urls")),
    prefix_default_language=True,
)
handler500 = "portal.errors.handler500"
