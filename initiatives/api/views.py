"""The read-only JSON API: one viewset per collection of the registry, filtered by the
very FilterSets of the HTML lists, so ``?country=be`` means the same on a page, in CSV
and here.

A parameter the OpenAPI document does not allow is answered with a 400 that names the
problem, a filter key that names no published record with a 404 (``contract.py``),
never with a server error.
"""

from django.shortcuts import redirect
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView

from .. import filters
from ..models import Country
from ..registry import Collection
from ..views import lists
from ..views.countries import by_region, records_per_country
from ..views.lists import CappedPaginator
from . import serializers
from .contract import FilterBackend, check_query

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

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            # No page starts past the first COUNT_CAP records (a page size of 1).
            self.page_query_param: {"minimum": 1, "maximum": lists.COUNT_CAP},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def get_paginated_response_schema(self, page_schema):
        page_schema = super().get_paginated_response_schema(page_schema)
        properties = page_schema["properties"]
        properties["count_capped"] = {"type": "boolean", "example": False}
        # DRF writes OpenAPI 3.0's nullable; the document is 3.1: the type or null.
        for link in ("next", "previous"):
            del properties[link]["nullable"]
            properties[link]["type"] = ["string", "null"]
        page_schema["required"] = ["count", "next", "previous", "results", "count_capped"]
        page_schema["additionalProperties"] = False
        return page_schema


class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists read only the parameters the OpenAPI document allows, as it allows them."""

    filter_backends = [FilterBackend]
    pagination_class = Pagination

    def list(self, request, *args, **kwargs):
        backend = self.filter_backends[0]()
        check_query(request, backend.get_filterset(request, self.get_queryset(), self))
        return super().list(request, *args, **kwargs)


class RecordViewSet(ContractViewSet):
    """Published records of one collection, read as its serializer needs them."""

    collection: Collection = None
    lookup_field = "slug"
    lookup_value_regex = SLUG

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


class CountryViewSet(ContractViewSet):
    """Countries with at least one published record, by lower-case ISO 3166-1 alpha-2 code."""

    queryset = Country.objects.none()
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    filterset_class = filters.CountryFilter
    serializer_class = serializers.CountrySerializer

    def retrieve(self, request, *args, code, **kwargs):
        # As the country pages do: /api/countries/BE/ moves for good to /api/countries/be/.
        if code != code.lower():
            return redirect("api:country-detail", code=code.lower(), permanent=True)
        return super().retrieve(request, *args, code=code, **kwargs)

    def get_queryset(self):
        return by_region(Country.objects.filter(code__in=records_per_country())).for_export()


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other address under /api/: a 404 in JSON, as the API's own are."""

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()
