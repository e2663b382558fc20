"""CSV of any filtered list: ``/agreements/?country=be&format=csv``.

The list's own FilterSet picks the rows, so the CSV holds exactly what the page
lists, every page of it. Each row is the record's API shape (its serializer: the one
description of a record outside HTML) laid flat by ``tabular.Plan``: a partial date
becomes its value and whether it was inferred, a list of linked records the keys
joined by "; ", a nested object one column per field. Rows are streamed as they are
read, the file starts with a byte-order mark so that Excel reads Korean text as
UTF-8, and a cell that a spreadsheet would run as a formula is neutralised with a
leading quote.

A spreadsheet may split lines at another separator than the comma (a ";" locale, a
tab), and then a formula sign after such a separator starts a cell of its own: a text
cell holding one gets a leading quote, and a quote before that sign too.
"""

import csv
import datetime
import re
from decimal import Decimal

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .tabular import Plan

BOM = "\ufeff"
# What a spreadsheet may read as the start of a formula (OWASP's CSV injection list),
# with the full-width and small forms of the signs, which some spreadsheets read alike.
FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
FORMULA_STARTS = (*FORMULA_SIGNS, "\t", "\r")
# A separator a spreadsheet may split a cell at (a comma, a semicolon, a tab, a line
# break), then a formula sign: split there, the rest would be a cell of its own.
SPLIT_FORMULA = re.compile(f"([,;\\t\\r\\n] *)([{re.escape(FORMULA_SIGNS)}])")
SEPARATOR = re.compile("[,;\t\r\n]")
MAY_START_A_FORMULA = {*FORMULA_STARTS, " "}
# A number as the serializers write one ("-1250.50"): a spreadsheet reads it as the
# number, so it is kept as it is.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralise(value) -> str:
    """The cell as text; text a spreadsheet would run as a formula, at its start or after
    a separator it may split the cell at, gets a leading quote, and a quote before each
    formula sign after such a separator (``a;=1`` becomes ``'a;'=1``). Numbers are kept."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text[:1] not in MAY_START_A_FORMULA and SEPARATOR.search(text) is None:
        return text  # most cells: nothing a spreadsheet could split or run
    if isinstance(value, int | float | Decimal) or PLAIN_NUMBER.fullmatch(text):
        return text
    split = SPLIT_FORMULA.sub(r"\1'\2", text)
    if split != text or text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + split
    return text


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
