"""The read-only JSON API: one viewset per collection, filtered by the very FilterSets
of the HTML lists, so ``?country=be`` means the same on a page, in CSV and here.

A bad filter value is answered with a 400 that names the problem (DjangoFilterBackend
raises the FilterSet's form errors), never with a server error.
"""

from django.shortcuts import redirect
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination

from .. import filters
from ..models import (
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
from ..views import CappedPaginator, records_per_country
from . import schema, serializers  # noqa: F401  (schema registers the filter extension)

SLUG = r"[-a-zA-Z0-9_]+"
NAMED = ("aliases", "citations__source")
FIGURED = (*NAMED, "metrics__citations__source")


class Pagination(PageNumberPagination):
    """Pages of records; ``count`` stops at ``COUNT_CAP``, and ``count_capped`` says
    when there are more (a page past those still answers when it exists)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, page_schema):
        page_schema = super().get_paginated_response_schema(page_schema)
        page_schema["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return page_schema


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Published records of one collection; ``prefetch`` is what the serializer reads."""

    lookup_field = "slug"
    lookup_value_regex = SLUG
    filter_backends = [DjangoFilterBackend]
    pagination_class = Pagination
    prefetch: tuple[str, ...] = ()

    def get_queryset(self):
        # ``queryset`` names the model (and serves the schema); requests read published rows.
        model = self.queryset.model
        return model.objects.published().for_list().prefetch_related(*self.prefetch)


class AgreementViewSet(RecordViewSet):
    """Published agreements; `ministry` matches any party, `country` any party's country
    or the country of signing."""

    queryset = Agreement.objects.none()
    filterset_class = filters.AgreementFilter
    serializer_class = serializers.AgreementSerializer
    prefetch = (
        *FIGURED,
        "parties__signatory",
        "cooperation_areas",
        "relations_from__to_agreement",
        "relations_to__from_agreement",
        "councils",
    )


class MinistryViewSet(RecordViewSet):
    """Published ministries of every country."""

    queryset = Ministry.objects.none()
    filterset_class = filters.MinistryFilter
    serializer_class = serializers.MinistrySerializer
    prefetch = (*FIGURED, "agencies")


class CouncilViewSet(RecordViewSet):
    """Published councils, consultative bodies and alliances."""

    queryset = Council.objects.none()
    filterset_class = filters.CouncilFilter
    serializer_class = serializers.CouncilSerializer
    prefetch = (*FIGURED, "members")


class MeetingViewSet(RecordViewSet):
    """Published meetings; `format` is the meeting's (in-person, online, hybrid)."""

    queryset = Meeting.objects.none()
    filterset_class = filters.MeetingFilter
    serializer_class = serializers.MeetingSerializer
    prefetch = (
        *FIGURED,
        "participants__person",
        "participants__organization",
        "participants__ministry",
        "related_agreements",
    )


class SupportCaseViewSet(RecordViewSet):
    """Published support cases (staff-only notes and contacts are never included)."""

    queryset = SupportCase.objects.none()
    filterset_class = filters.SupportCaseFilter
    serializer_class = serializers.SupportCaseSerializer
    prefetch = ("citations__source", "actions__organization", "reported_at")


class OrganizationViewSet(RecordViewSet):
    """Published organizations: agencies, missions, companies and the rest."""

    queryset = Organization.objects.none()
    filterset_class = filters.OrganizationFilter
    serializer_class = serializers.OrganizationSerializer
    prefetch = FIGURED


class PersonViewSet(RecordViewSet):
    """Published people, with the posts they held."""

    queryset = Person.objects.none()
    filterset_class = filters.PersonFilter
    serializer_class = serializers.PersonSerializer
    prefetch = NAMED


class ProgramViewSet(RecordViewSet):
    """Published programs, projects, events and facilities."""

    queryset = Program.objects.none()
    filterset_class = filters.ProgramFilter
    serializer_class = serializers.ProgramSerializer
    prefetch = (*FIGURED, "related_agreements")


class SourceViewSet(RecordViewSet):
    """Published source documents."""

    queryset = Source.objects.none()
    filterset_class = filters.SourceFilter
    serializer_class = serializers.SourceSerializer


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """Countries with at least one published record, by lower-case ISO 3166-1 alpha-2 code."""

    queryset = Country.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.CountryFilter
    serializer_class = serializers.CountrySerializer
    pagination_class = Pagination

    def retrieve(self, request, *args, code, **kwargs):
        # As the country pages do: /api/countries/BE/ moves for good to /api/countries/be/.
        if code != code.lower():
            return redirect("api:country-detail", code=code.lower(), permanent=True)
        return super().retrieve(request, *args, code=code, **kwargs)

    def get_queryset(self):
        return Country.objects.filter(code__in=records_per_country()).prefetch_related(
            "metrics__citations__source"
        )
