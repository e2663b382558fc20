"""The read-only JSON API: one viewset per collection of the registry, filtered by the
very FilterSets of the HTML lists, so ``?country=be`` means the same on a page, in CSV
and here.

A parameter the OpenAPI document does not allow is answered with a 400 that names the
problem, a filter key that names no published record with a 404 (``contract.py``),
never with a server error.
"""

from dataclasses import dataclass

from django.shortcuts import redirect
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from .. import filters
from ..models import Country
from ..registry import Collection
from ..views import lists
from ..views.countries import by_region, records_per_country
from ..views.lists import CappedPaginator
from . import keyset, serializers
from .contract import FilterBackend, check_query

SLUG = r"[-a-zA-Z0-9_]+"
# What django.core.signing writes (URL-safe base64, colons, a leading dot when
# compressed). A cursor holds a name of up to 300 characters, JSON-escaped (6 bytes for
# a Korean one), then base64'd: under 2,600 characters; the bound leaves room.
CURSOR_PATTERN = r"^[-A-Za-z0-9_:.]+$"
CURSOR_LENGTH = 4000


class Pagination(PageNumberPagination):
    """Pages of records; ``count`` stops at ``COUNT_CAP``, and ``count_capped`` says
    when there are more.

    ``page`` numbers go no deeper than ``COUNT_CAP`` records (a 404 says so): an OFFSET
    makes the database read every row before the page. ``next`` is always a ``cursor``
    (keyset.py), from page 1 on: following it costs the same at any depth, so a client
    walks the whole list, where by number it would slow page by page to a wall at the cap.
    ``previous`` is a page number on numbered pages, a cursor on cursor pages. A
    cursor the API did not give, or gave for another ``sort``, is a 404 that says so.
    """

    @property
    def invalid_page_message(self):
        return (
            "No page {page_number}: page numbers go no deeper than the first "
            f"{lists.COUNT_CAP:,} records; follow the next links (cursors) past them."
        )

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    django_paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        """The page asked for: by number, or the rows next to a cursor's row."""
        self.queryset = keyset.in_order(queryset)
        self.request = request
        self.cursor_page = None
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return super().paginate_queryset(self.queryset, request, view)
        try:
            values, backwards = keyset.read(self.queryset, token)
        except keyset.BadCursor as error:
            # As a filter key that names no record: the document allows the value (a
            # 400 is for what it forbids), but it names no place in this list.
            raise exceptions.NotFound({self.cursor_query_param: [str(error)]}) from None
        size = self.get_page_size(request)
        rows = list(keyset.rows_after(self.queryset, values, size + 1, backwards=backwards))
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.cursor_page = CursorPage(
            rows,
            paginator=self.django_paginator_class(self.queryset, size),
            has_next=bool(rows) and (more or backwards),
            has_previous=bool(rows) and (more or not backwards),
        )
        return rows

    def rows(self):
        return self.cursor_page.rows if self.cursor_page else list(self.page)

    def paginator(self):
        return self.cursor_page.paginator if self.cursor_page else self.page.paginator

    def get_next_link(self):
        has_next = self.cursor_page.has_next if self.cursor_page else self.page.has_next()
        if not has_next:
            return None
        return self.cursor_link(self.rows()[-1], backwards=False)

    def get_previous_link(self):
        if self.cursor_page is None:
            return super().get_previous_link()
        if not self.cursor_page.has_previous:
            return None
        return self.cursor_link(self.rows()[0], backwards=True)

    def cursor_link(self, row, *, backwards: bool) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        token = keyset.cursor(self.queryset, row, backwards=backwards)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data):
        paginator = self.paginator()
        return Response(
            {
                "count": paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
                "count_capped": paginator.capped,
            }
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            # No page starts past the first COUNT_CAP records (a page size of 1).
            self.page_query_param: {"minimum": 1, "maximum": lists.COUNT_CAP},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Where a page starts: copy it from a page's next or previous link; "
                    "it reaches every record, however deep (page is then ignored). "
                    "One the API did not give, or gave for another sort, is a 404."
                ),
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": CURSOR_LENGTH,
                    "pattern": CURSOR_PATTERN,
                },
            }
        )
        return parameters

    def get_paginated_response_schema(self, page_schema):
        page_schema = super().get_paginated_response_schema(page_schema)
        properties = page_schema["properties"]
        properties["count_capped"] = {"type": "boolean", "example": False}
        # DRF writes OpenAPI 3.0's nullable; the document is 3.1: the type or null.
        for link in ("next", "previous"):
            del properties[link]["nullable"]
            properties[link]["type"] = ["string", "null"]
        properties["next"]["example"] = "http://api.example.org/accounts/?cursor=eyJv..."
        page_schema["required"] = ["count", "next", "previous", "results", "count_capped"]
        page_schema["additionalProperties"] = False
        return page_schema


@dataclass
class CursorPage:
    """The rows next to a cursor's row, and whether the list goes on either side."""

    rows: list
    paginator: CappedPaginator  # counts the whole list, as on numbered pages
    has_next: bool
    has_previous: bool


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
