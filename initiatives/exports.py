"""CSV of any filtered list: ``/agreements/?country=be&format=csv``.

The list's own FilterSet picks the rows, so the CSV holds exactly what the page
lists, every page of it. Each row is the record's API shape (its serializer: the one
description of a record outside HTML) laid flat by ``tabular.Plan``: a partial date
becomes its value and whether it was inferred, a list of linked records the keys
joined by "; ", a nested object one column per field. Rows are streamed as they are
read, the file starts with a byte-order mark so that Excel reads Korean text as
UTF-8, and a cell that a spreadsheet would run as a formula is neutralised with a
leading quote.
"""

import csv
import datetime

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .tabular import Plan

CHUNK_SIZE = 500
BOM = "\ufeff"
# What a spreadsheet may read as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The cell as text; one a spreadsheet would run as a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file-like object whose ``write`` hands the line back, for csv.writer to stream."""

    def write(self, value):
        return value


def csv_rows(request, records, serializer_class):
    """The header, then one line per record, read from the database in chunks."""
    plan = Plan(serializer_class, records.model, request=request)
    writer = csv.writer(Echo())
    yield BOM + writer.writerow(plan.headers())
    for cells in plan.rows(records):
        yield writer.writerow([neutralise(value) for value in cells])


def csv_response(request, records, serializer_class, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(request, records, serializer_class), content_type="text/csv; charset=utf-8"
    )
    filename = f"{name}-{datetime.date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def wants_csv(request) -> bool:
    return "csv" in request.GET.getlist("format")


def without_csv(query):
    """The filters without ``format=csv``, so a meeting list's own ``format`` filter stays."""
    data = query.copy()
    data.setlist("format", [value for value in data.getlist("format") if value != "csv"])
    return data


def csv_url(request) -> str:
    """This list's address as CSV: the same filters, every page."""
    data = request.GET.copy()
    data.pop("page", None)
    data.appendlist("format", "csv")
    return f"{request.path}?{data.urlencode()}"


class CSVExportMixin:
    """For a FilterView list: ``format=csv`` answers the same filters as a CSV of all rows.

    A filter value the page would report and ignore gets a 400 naming it instead, so a
    CSV never quietly holds more rows than were asked for. The rows are read by the
    model's ``for_export()``, as the API reads them, and written by ``serializer_class``.
    """

    collection = None
    serializer_class = None

    def get_serializer_class(self):
        return self.collection.serializer if self.collection else self.serializer_class

    def get(self, request, *args, **kwargs):
        if not wants_csv(request):
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset_class()(
            without_csv(request.GET), queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            problems = "\n".join(
                f"{filterset.filters[name].label}: {' '.join(errors)}"
                for name, errors in filterset.form.errors.items()
            )
            return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
        records = filterset.qs.for_export()
        name = str(records.model._meta.verbose_name_plural).replace(" ", "-")
        return csv_response(request, records, self.get_serializer_class(), name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = export_links(self.request, self.collection)
        return context


def export_links(request, collection) -> list[dict]:
    """This list as CSV, JSON and the collection's feeds, with its filters."""
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.urlencode()

    def with_filters(url):
        return f"{url}?{filters}" if filters else url

    api_list = collection.api_list_route if collection else "api:country-list"
    links = [
        {"label": _("CSV"), "url": csv_url(request), "type": "text/csv"},
        {"label": _("JSON"), "url": with_filters(reverse(api_list)), "type": "application/json"},
    ]
    for feed in collection.feeds if collection else ():
        links.append(
            {"label": feed.label, "url": with_filters(reverse(feed.route)), "type": feed.media_type}
        )
    return links
