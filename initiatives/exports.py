"""CSV and Excel files of any filtered list: ``/agreements/?country=be&format=csv``
(or ``format=xlsx``).

The list's own FilterSet picks the rows, so the CSV holds exactly what the page
lists, every page of it. Each row is the record's API shape (its serializer: the one
description of a record outside HTML) laid flat by ``tabular.Plan``: a partial date
becomes its value and whether it was inferred, a list of linked records the keys
joined by "; ", a nested object one column per field. Rows are streamed as they are
read, the file starts with a byte-order mark so that Excel reads Korean text as
UTF-8, and a cell that a spreadsheet would run as a formula is neutralised with a
leading quote.

Beside each code (a country's ISO code, a ministry's slug, a kind) the files give what
it means (a name, a label) in a column of its own, in the reader's language; the code
columns keep the API's names and values in every language, and only the header row is
Korean in a Korean file. Dates are text at their precision ("2024-04" is April 2024,
with ``signed_on_precision`` beside it): the Excel file stores them as text cells, so
Excel never turns them into days; a CSV cannot say so, so the list page tells how to
open one (as text columns) or to take the Excel file.

A spreadsheet may split lines at another separator than the comma (a ";" locale, a
tab), and then a formula sign after such a separator starts a cell of its own: a text
cell holding one gets a leading quote, and a quote before that sign too.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from . import kept_files
from .tabular import Plan

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The file formats a list answers with ``format=``, beside the meeting list's own
# ``format`` filter (in person, online, hybrid).
FILE_FORMATS = ("csv", "xlsx")

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
# In a record's cells joined by CELLS_APART: whatever ``neutralise`` would change (a
# formula start after a cell's leading spaces, or a formula sign after a separator).
CELLS_APART = "\x1f"
# The cells are searched with CELLS_APART before the first, and each alternative starts
# with a class of characters, which Python's re searches three times as fast as "^|".
MAY_NEED_NEUTRALISING = re.compile(
    f"[{CELLS_APART},;\\t\\r\\n] *[{re.escape(FORMULA_SIGNS)}]|{CELLS_APART} *[\\t\\r]"
)
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


def titled() -> bool:
    """Whether the header row is in the reader's language rather than the API's names."""
    return (translation.get_language() or settings.LANGUAGE_CODE) != settings.LANGUAGE_CODE


def table_plan(request, records, serializer_class) -> Plan:
    return Plan(serializer_class, records.model, request=request, readable=True)


def csv_rows(plan, records):
    """The header, then the records' lines, a chunk of them at a time: one write and one
    piece of the response per chunk rather than per line (bench/analysis.md)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(plan.headers(titled=titled()))
    yield BOM + taken(buffer)
    for rows in plan.chunks(records):
        writer.writerows([neutralised(cells) for cells in rows])
        yield taken(buffer)


def neutralised(cells: list) -> list:
    """The record's cells as ``neutralise`` leaves them. Most records have no cell it
    would change, which one search of the joined cells tells, where a call per cell cost
    a third of the time of a CSV (bench/analysis.md); csv.writer writes the other
    values as ``neutralise`` would (None as nothing, anything else as ``str()``)."""
    if MAY_NEED_NEUTRALISING.search(CELLS_APART + CELLS_APART.join(map(str, cells))) is None:
        return cells
    return list(map(neutralise, cells))


def taken(buffer: io.StringIO) -> str:
    """What was written to ``buffer`` since it was last taken; it is left empty."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_response(request, records, serializer_class, name, keep_at=None):
    """The CSV, streamed as it is written; also kept at ``keep_at`` (kept_files) once sent."""
    plan = table_plan(request, records, serializer_class)
    chunks = csv_rows(plan, records)
    if keep_at:
        chunks = kept_files.kept_while_sent(chunks, keep_at)
    response = StreamingHttpResponse(chunks, content_type=CSV)
    response["Content-Disposition"] = attachment(name, "csv")
    return response


# The rows a worksheet holds in Excel (and LibreOffice), its header row included.
SHEET_ROWS = 1_048_576


def xlsx_response(request, records, serializer_class, name, keep_at=None) -> FileResponse:
    """The list as an Excel workbook, written row by row to a temporary file (openpyxl's
    write-only mode keeps no row in memory), then streamed from it.

    Every cell is text except numbers: a date stays "2024-04" (its cells are also
    formatted as text, so editing one keeps it so), and a text that begins with "=" is
    a text cell, never a formula, so nothing in it needs neutralising. Past
    ``SHEET_ROWS`` the rows go on in a second worksheet, with the header again, and so
    on: Excel opens no sheet longer than that, and would drop the rest. The file is
    kept at ``keep_at`` (kept_files) when that is given.
    """
    plan = table_plan(request, records, serializer_class)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    titles = [clean_text(title) for title in plan.headers(titled=titled())]
    kinds = [plan.column_kinds.get(h) for h in plan.headers()]
    sheets = 0
    room = 0  # the rows left in the current sheet
    for cells in plan.rows(records):
        if not room:
            sheets += 1
            sheet = new_sheet(workbook, name, sheets, titles, bold)
            room = SHEET_ROWS - 1
        sheet.append(
            [xlsx_cell(sheet, value, kind) for value, kind in zip(cells, kinds, strict=True)]
        )
        room -= 1
    if not sheets:  # no record: the header alone
        new_sheet(workbook, name, 1, titles, bold)
    return file_response(kept_files.kept(keep_at, workbook.save), name, "xlsx")


def file_response(file, name, file_format: str) -> FileResponse:
    """The open ``file`` sent as the list's download; FileResponse closes it once sent."""
    response = FileResponse(file, content_type=XLSX if file_format == "xlsx" else CSV)
    response["Content-Disposition"] = attachment(name, file_format)
    return response


def new_sheet(workbook, name, number: int, titles: list[str], font):
    """The workbook's next worksheet, its header row written and frozen."""
    suffix = f" {number}" if number > 1 else ""
    sheet = workbook.create_sheet(title=sheet_title(name, suffix))
    sheet.freeze_panes = "A2"
    header = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = font
        header.append(cell)
    sheet.append(header)
    return sheet


def xlsx_cell(sheet, value, kind):
    if value is None or value == "":
        return None
    if kind == "number" and not isinstance(value, bool):
        try:
            return Decimal(value) if isinstance(value, str) else value
        except ArithmeticError:
            pass
    text = clean_text(value if isinstance(value, str) else str(value))
    if kind == "date" or text.startswith("="):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
        cell.number_format = "@"
        return cell
    return text


def clean_text(text: str) -> str:
    """Text without the control characters an xlsx file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))


def sheet_title(name, suffix: str = "") -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\; the
    suffix (" 2") kept whole."""
    return (re.sub(r"[\[\]:*?/\\]", "", str(name)) or "data")[: 31 - len(suffix)] + suffix


def attachment(name, extension: str) -> str:
    """``Content-Disposition`` for a download (RFC 6266): an ASCII ``filename`` for old
    clients beside ``filename*``, the name in the reader's language, UTF-8 encoded."""
    today = datetime.date.today().isoformat()
    with translation.override(settings.LANGUAGE_CODE):
        ascii_name = slugify(str(name)) or "data"
    local_name = "-".join(str(name).split())
    return attachment_header(
        f"{local_name}-{today}.{extension}", f"{ascii_name}-{today}.{extension}"
    )


def attachment_header(filename: str, fallback: str | None = None) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…``: ``fallback`` (ASCII) for clients
    that do not read RFC 6266's ``filename*``."""
    fallback = fallback or filename
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def wanted_format(request) -> str | None:
    """``csv`` or ``xlsx`` when the list is asked for as a file, else None."""
    asked = request.GET.getlist("format")
    return next((name for name in FILE_FORMATS if name in asked), None)


def wants_csv(request) -> bool:
    return wanted_format(request) == "csv"


def without_csv(query):
    """The filters without ``format=csv`` (or xlsx), so a meeting list's own ``format``
    filter stays."""
    data = query.copy()
    data.setlist("format", [value for value in data.getlist("format") if value not in FILE_FORMATS])
    return data


def file_url(request, file_format: str) -> str:
    """This list's address as a file: the same filters, every page."""
    data = without_csv(request.GET)
    data.pop("page", None)
    data.appendlist("format", file_format)
    return f"{request.path}?{data.urlencode()}"


def csv_url(request) -> str:
    return file_url(request, "csv")


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
        file_format = wanted_format(request)
        if file_format is None:
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
        name = records.model._meta.verbose_name_plural
        keep_at = kept_files.kept_path(request, records.model._meta.model_name, file_format)
        if kept := kept_files.opened(keep_at):
            return file_response(kept, name, file_format)
        respond = xlsx_response if file_format == "xlsx" else csv_response
        return respond(request, records, self.get_serializer_class(), name, keep_at)

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
        {"label": _("CSV"), "url": csv_url(request), "type": "text/csv", "download": True},
        {"label": _("Excel"), "url": file_url(request, "xlsx"), "type": XLSX, "download": True},
        {"label": _("JSON"), "url": with_filters(reverse(api_list)), "type": "application/json"},
    ]
    for feed in collection.feeds if collection else ():
        url = with_filters(reverse(feed.route))
        link = {"label": feed.label, "url": url, "type": feed.media_type}
        if feed.media_type == "text/calendar":
            link["subscribe"] = webcal_url(request, url)
        links.append(link)
    return links


def webcal_url(request, url: str) -> str:
    """The calendar's address for a calendar app to subscribe to (``webcal://``): the app
    fetches it again from time to time, so new meetings appear by themselves."""
    absolute = request.build_absolute_uri(url)
    return "webcal://" + absolute.split("://", 1)[1]
