"""The read-only JSON API: one viewset per collection of the registry, filtered by the
very FilterSets of the HTML lists, so ``?country=be`` means the same on a page, in CSV
and here.

A bad filter value is answered with a 400 that names the problem (DjangoFilterBackend
raises the FilterSet's form errors), never with a server error.
"""

from django.shortcuts import redirect
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination

from .. import filters
from ..models import Country
from ..registry import Collection
from ..views import lists
from ..views.countries import by_region, records_per_country
from ..views.lists import CappedPaginator
from . import serializers

SLUG = r"[-a-zA-Z0-9_]+"


class Pagination(PageNumberPagination):
    """Pages of records; ``count`` stops at ``COUNT_CAP``, and ``count_capped`` says
    when there are more. Pages go no deeper than ``COUNT_CAP`` records (a 404 says so):
    narrower filters, or the CSV, reach the others."""

    @property
    def invalid_page_message(self):
        return (
            "No page {page_number}: pages go no deeper than the first "
            f"{lists.COUNT_CAP:,} records; narrow the filters, or use the CSV."
        )

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
    """Published records of one collection, read as its serializer needs them."""

    collection: Collection = None
    lookup_field = "slug"
    lookup_value_regex = SLUG
    filter_backends = [DjangoFilterBackend]
    pagination_class = Pagination

    def get_queryset(self):
        return self.collection.model.objects.published().for_export()


def viewset_for(collection: Collection) -> type[RecordViewSet]:
    """The collection's viewset; its description is the OpenAPI document's."""
    return type(
        f"{collection.model.__name__}ViewSet",
        (RecordViewSet,),
        {
            "__doc__": str(collection.description),
            "collection": collection,
            # Names the model for the OpenAPI document; requests read get_queryset().
            "queryset": collection.model.objects.none(),
            "filterset_class": collection.filterset,
            "serializer_class": collection.serializer,
        },
    )


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
        return by_region(Country.objects.filter(code__in=records_per_country())).for_export()
