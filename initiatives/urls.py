from django.urls import path
from django.views.generic import TemplateView

from . import datapackage
from .registry import COLLECTIONS
from .views import countries, dashboard, data, lists, regions, search

app_name = "initiatives"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("follow/", TemplateView.as_view(template_name="initiatives/feeds.html"), name="feeds"),
    path("countries/", countries.CountryListView.as_view(), name="country-list"),
    path("countries/<str:code>/", countries.CountryDetailView.as_view(), name="country-detail"),
    path("regions/", regions.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", regions.RegionDetailView.as_view(), name="region-detail"),
    path("data/", data.DataView.as_view(), name="data"),
    path(f"data/{datapackage.FILE_NAME}", data.data_package, name="data-package"),
]
for collection in COLLECTIONS:
    urlpatterns += [
        path(
            f"{collection.segment}/",
            lists.RecordListView.as_view(collection=collection),
            name=f"{collection.route_name}-list",
        ),
        path(
            f"{collection.segment}/<slug:slug>/",
            collection.detail_view.as_view(model=collection.model),
            name=f"{collection.route_name}-detail",
        ),
    ]
