from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ..registry import COLLECTIONS
from . import views
from .contract import SchemaView
from .search import SearchAPIView

app_name = "api"

router = DefaultRouter()
# Route names match the pages' ("support-case-detail").
for collection in COLLECTIONS:
    router.register(
        collection.segment, views.viewset_for(collection), basename=collection.route_name
    )
router.register("countries", views.CountryViewSet, basename="country")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the portal's CSP
    # allows no inline script.
    # No OPTIONS metadata (405): the page renders only through its template, which a
    # metadata answer has none of.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", metadata_class=None),
        name="docs",
    ),
    path("search/", SearchAPIView.as_view(), name="search"),
    path("", include(router.urls)),
    # Any other address, a line break in it included ("." stops at one).
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not-found"),
]
