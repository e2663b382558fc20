from django.urls import path

from . import datapackage
from .registry import COLLECTIONS
from .views import countries, dashboard, data, lists, search

app_name = "initiatives"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("countries/", countries.CountryListView.as_view(), name="country-list"),
    path("countries/<str:code>/", countries.CountryDetailView.as_view(), name="country-detail"),
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
