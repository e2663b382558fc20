from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
# (path segment, viewset, route name); route names match the pages' ("support-case-detail").
for segment, viewset, name in [
    ("agreements", views.AgreementViewSet, "agreement"),
    ("ministries", views.MinistryViewSet, "ministry"),
    ("councils", views.CouncilViewSet, "council"),
    ("meetings", views.MeetingViewSet, "meeting"),
    ("support-cases", views.SupportCaseViewSet, "support-case"),
    ("organizations", views.OrganizationViewSet, "organization"),
    ("people", views.PersonViewSet, "person"),
    ("programs", views.ProgramViewSet, "program"),
    ("sources", views.SourceViewSet, "source"),
    ("countries", views.CountryViewSet, "country"),
]:
    router.register(segment, viewset, basename=name)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the portal's CSP
    # allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
