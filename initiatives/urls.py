from django.urls import path

from . import filters, views
from .models import (
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

app_name = "initiatives"

# (path segment, model, FilterSet, detail view) for each collection of DESIGN.md.
COLLECTIONS = [
    ("agreements", Agreement, filters.AgreementFilter, views.AgreementDetailView),
    ("ministries", Ministry, filters.MinistryFilter, views.RecordDetailView),
    ("councils", Council, filters.CouncilFilter, views.RecordDetailView),
    ("meetings", Meeting, filters.MeetingFilter, views.RecordDetailView),
    ("support-cases", SupportCase, filters.SupportCaseFilter, views.RecordDetailView),
    ("organizations", Organization, filters.OrganizationFilter, views.RecordDetailView),
    ("people", Person, filters.PersonFilter, views.RecordDetailView),
    ("programs", Program, filters.ProgramFilter, views.RecordDetailView),
    ("sources", Source, filters.SourceFilter, views.RecordDetailView),
]

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country-detail"),
]
for segment, model, filterset, detail_view in COLLECTIONS:
    urlpatterns += [
        path(
            f"{segment}/",
            views.RecordListView.as_view(model=model, filterset_class=filterset),
            name=f"{model.route_name}-list",
        ),
        path(
            f"{segment}/<slug:slug>/",
            detail_view.as_view(model=model),
            name=f"{model.route_name}-detail",
        ),
    ]
