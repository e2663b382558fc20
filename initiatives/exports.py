"""CSV of any filtered list: ``/agreements/?country=be&format=csv``.

The list's own FilterSet picks the rows, so the CSV holds exactly what the page
lists, every page of it. Rows are streamed as they are read, the file starts with a
byte-order mark so that Excel reads Korean text as UTF-8, and a cell that a
spreadsheet would run as a formula is neutralised with a leading quote.
"""

import csv
import datetime

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import (
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


# Columns: (header, function of the record giving the cell) ---------------------------


def public(record) -> bool:
    return record is not None and getattr(record, "is_published", True)


def key(record) -> str:
    return record.code if isinstance(record, Country) else record.slug


def field(name):
    return lambda record: getattr(record, name)


def choice(name):
    return lambda record: getattr(record, f"get_{name}_display")()


def related(name):
    """A related record's slug (a country's code); empty when missing or a draft."""

    def cell(record):
        target = getattr(record, name)
        return key(target) if public(target) else ""

    return cell


def related_many(name):
    return lambda record: "; ".join(key(r) for r in getattr(record, name).all() if public(r))


def date_columns(name):
    """A partial date as written to its precision (``2024-04``), and whether it was inferred."""

    def value(record):
        day = getattr(record, name)
        if day is None:
            return ""
        precision = getattr(record, f"{name}_precision")
        return {"year": day.strftime("%Y"), "month": day.strftime("%Y-%m")}.get(
            precision, day.isoformat()
        )

    def inferred(record):
        return "yes" if getattr(record, f"{name}_inferred") else ""

    return [(name, value), (f"{name}_inferred", inferred)]


def aliases(record) -> str:
    return "; ".join(alias.name for alias in record.aliases.all())


def sources(record) -> str:
    cited = {c.source.slug: None for c in record.citations.all() if public(c.source)}
    return "; ".join(cited)


def parties(agreement) -> str:
    return "; ".join(p.ministry.slug for p in agreement.parties.all() if public(p.ministry))


def party_countries(agreement) -> str:
    codes = {p.ministry.country_id: None for p in agreement.parties.all() if public(p.ministry)}
    return "; ".join(codes)


def posts(person) -> str:
    return "; ".join(post.title for post in person.posts.all())


def common(*, named=True):
    """Every record's first columns; ``named`` records also have aliases."""
    columns = [("slug", field("slug")), ("name", field("name")), ("name_ko", field("name_ko"))]
    return columns + ([("aliases", aliases)] if named else [])


NAMED = ("aliases", "citations__source")

# Per collection: the columns, and what to prefetch so that no row is read on its own.
EXPORTS = {
    Agreement: (
        [
            *common(),
            ("kind", choice("kind")),
            ("status", choice("status")),
            *date_columns("signed_on"),
            *date_columns("in_force_on"),
            *date_columns("expires_on"),
            ("city", field("city")),
            ("country_of_signing", related("country")),
            ("parties", parties),
            ("party_countries", party_countries),
            ("summary", field("summary")),
        ],
        NAMED,
    ),
    Ministry: (
        [*common(), ("acronym", field("acronym")), ("country", related("country"))],
        NAMED,
    ),
    Council: (
        [
            *common(),
            ("kind", choice("kind")),
            ("status", choice("status")),
            *date_columns("established_on"),
            ("country", related("country")),
            ("mission", related("mission")),
            ("host_ministries", related_many("host_ministries")),
            ("established_under", related("established_under")),
            ("parent", related("parent")),
            ("summary", field("summary")),
        ],
        NAMED,
    ),
    Meeting: (
        [
            *common(),
            ("kind", choice("kind")),
            ("status", choice("status")),
            *date_columns("held_on"),
            ("council", related("council")),
            ("venue", field("venue")),
            ("city", field("city")),
            ("country", related("country")),
            ("format", choice("format")),
            ("presided_by", related("presided_by")),
            ("summary", field("summary")),
        ],
        NAMED,
    ),
    # Never the staff-only notes and contacts.
    SupportCase: (
        [
            *common(named=False),
            ("company", related("company")),
            ("sector", field("sector")),
            ("country", related("country")),
            ("region", field("region")),
            ("status", choice("status")),
            ("council", related("council")),
            ("reported_at", related("reported_at")),
            ("challenge", field("challenge")),
            ("outcome", field("outcome")),
        ],
        ("citations__source",),
    ),
    Organization: (
        [
            *common(),
            ("kind", choice("kind")),
            ("acronym", field("acronym")),
            ("country", related("country")),
            ("city", field("city")),
            ("parent_ministry", related("parent_ministry")),
            ("sector", field("sector")),
        ],
        NAMED,
    ),
    Person: (
        [*common(), ("country", related("country")), ("posts", posts)],
        NAMED,
    ),
    Program: (
        [
            *common(),
            ("kind", choice("kind")),
            *date_columns("starts_on"),
            *date_columns("ends_on"),
            ("city", field("city")),
            ("country", related("country")),
            ("owner_ministries", related_many("owner_ministries")),
            ("owner_organizations", related_many("owner_organizations")),
            ("budget_amount", field("budget_amount")),
            ("budget_currency", field("budget_currency")),
            ("summary", field("summary")),
        ],
        NAMED,
    ),
    Source: (
        [
            *common(named=False),
            ("publisher", field("publisher")),
            *date_columns("published_on"),
            ("address", field("url")),
            ("language", field("language")),
            ("citations", field("citation_count")),
        ],
        (),
    ),
    Country: (
        [("code", field("code")), ("name", field("name")), ("name_ko", field("name_ko"))],
        (),
    ),
}


def csv_rows(request, records):
    """The header, then one line per record, read from the database in chunks."""
    columns, prefetch = EXPORTS[records.model]
    if "citations__source" in prefetch:
        columns = [*columns, ("sources", sources)]
    writer = csv.writer(Echo())
    yield BOM + writer.writerow(["url", *(header for header, _cell in columns)])
    for record in records.prefetch_related(*prefetch).iterator(chunk_size=CHUNK_SIZE):
        cells = [request.build_absolute_uri(record.get_absolute_url())]
        cells += [cell(record) for _header, cell in columns]
        yield writer.writerow([neutralise(value) for value in cells])


def csv_response(request, records, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(request, records), content_type="text/csv; charset=utf-8"
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
    CSV never quietly holds more rows than were asked for.
    """

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
        records = filterset.qs
        if hasattr(self, "page_queryset"):
            records = self.page_queryset(records)
        return csv_response(request, records, slugified_plural(records.model))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = export_links(self.request, self.filterset.queryset.model)
        return context


def slugified_plural(model) -> str:
    return str(model._meta.verbose_name_plural).replace(" ", "-")


# The other formats each list can be had in, for its page to link to.
API_ROUTES = {
    Agreement: "agreement",
    Ministry: "ministry",
    Council: "council",
    Meeting: "meeting",
    SupportCase: "support-case",
    Organization: "organization",
    Person: "person",
    Program: "program",
    Source: "source",
    Country: "country",
}
FEEDS = {
    Agreement: [("feeds:agreements", _("Atom feed"), "application/atom+xml")],
    Meeting: [
        ("feeds:meetings", _("Atom feed"), "application/atom+xml"),
        ("feeds:meetings-ics", _("Calendar (iCalendar)"), "text/calendar"),
    ],
}


def export_links(request, model) -> list[dict]:
    """This list as CSV, JSON and (for agreements and meetings) feeds, with its filters."""
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.urlencode()

    def with_filters(url):
        return f"{url}?{filters}" if filters else url

    links = [
        {"label": _("CSV"), "url": csv_url(request), "type": "text/csv"},
        {
            "label": _("JSON"),
            "url": with_filters(reverse(f"api:{API_ROUTES[model]}-list")),
            "type": "application/json",
        },
    ]
    for route, label, media_type in FEEDS.get(model, []):
        links.append({"label": label, "url": with_filters(reverse(route)), "type": media_type})
    return links
