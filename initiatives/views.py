"""Public pages: a filterable list and a detail page per collection, countries,
search and the dashboard. Only published records are shown."""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from . import filters
from .cache import kept_until_tables_change
from .dates import PartialDate
from .exports import CSVExportMixin
from .models import (
    Agreement,
    Council,
    Country,
    Meeting,
    Metric,
    Ministry,
    Organization,
    Person,
    Program,
    Source,
    SupportCase,
)
from .querysets import CITATION_LIMIT, crosses_to_many
from .search import MAX_PER_KIND, search

# An agreement with nothing recorded for this long is flagged as gone quiet.
QUIET_AFTER = datetime.timedelta(days=365)
QUIET_AFTER_TEXT = gettext_lazy("12 months")


# A list counts its records up to this many; beyond, it says "10,000+" (counting
# hundreds of thousands of rows on every page would cost more than the page itself).
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator that counts at most ``COUNT_CAP + 1`` records.

    ``capped`` says there are more than ``COUNT_CAP``. A page number past the capped
    pages is still served when it exists: asking for one counts exactly.
    """

    capped = False

    @cached_property
    def count(self):
        cap = COUNT_CAP
        try:
            n = self.object_list.order_by()[: cap + 1].count()
        except (AttributeError, TypeError):
            return super().count
        self.capped = n > cap
        return cap if self.capped else n

    def validate_number(self, number):
        self.count  # noqa: B018  (counting says whether the count is capped)
        if self.capped:
            try:
                candidate = int(number)
            except (TypeError, ValueError):
                candidate = 0
            if candidate > self.num_pages:
                self.count_exactly()
        return super().validate_number(number)

    def count_exactly(self):
        self.__dict__["count"] = self.object_list.order_by().count()
        self.__dict__.pop("num_pages", None)
        self.capped = False


@dataclass
class ActiveFilter:
    param: str
    value: str
    label: str
    remove_url: str


class ListPageMixin:
    """Pagination, facets, active filters and problems for a FilterView list.

    An invalid filter value is reported and ignored (``strict = False``), and a page
    number that is not one, or is past the end, shows the first or last page with a
    note: a bad address never gives a server error.
    """

    paginate_by = 25
    paginator_class = CappedPaginator
    strict = False

    def page_queryset(self, queryset):
        return queryset

    def get_template_names(self):
        name = self.filterset.queryset.model._meta.model_name
        return [f"initiatives/{name}_list.html", "initiatives/record_list.html"]

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(self.page_queryset(queryset), page_size)
        raw = self.request.GET.get("page", "1")
        self.page_problems = []
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            self.page_problems.append(
                _("Page %(page)s is not a page number; showing the first page.")
                % {"page": repr(raw[:20])}
            )
            number = 1
        elif number > paginator.num_pages and getattr(paginator, "capped", False):
            paginator.count_exactly()
        if number > paginator.num_pages:
            self.page_problems.append(
                _("There is no page %(page)s; showing the last page, %(last)s.")
                % {"page": number, "last": paginator.num_pages}
            )
            number = paginator.num_pages
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        facets = filterset.facet_choices()
        context.update(
            opts=filterset.queryset.model._meta,
            facets=[(filterset.filters[p], choices) for p, choices in facets.items()],
            active_filters=self.active_filters(facets),
            problems=[
                f"{filterset.filters[name].label}: {' '.join(errors)}"
                for name, errors in filterset.form.errors.items()
            ]
            + self.page_problems,
        )
        return context

    def active_filters(self, facets) -> list[ActiveFilter]:
        """Each value in the address, with a link that removes just that value."""
        params = [
            (k, v)
            for k, vs in self.request.GET.lists()
            if k != "page" and k in self.filterset.filters
            for v in vs
            if v.strip()
        ]
        active = []
        for param, value in params:
            labels = {c.value: c.label for c in facets.get(param, [])}
            rest = [pair for pair in params if pair != (param, value)]
            shown = labels.get(value.strip().lower() if param == "country" else value, value)
            label = f"{self.filterset.filters[param].label}: {shown}"
            if param in self.filterset.form.errors:
                label += " " + _("(ignored)")
            active.append(ActiveFilter(param, value, label, "?" + urlencode(rest)))
        return active


class RecordListView(CSVExportMixin, ListPageMixin, FilterView):
    model = None

    def get_queryset(self):
        return self.model.objects.published()

    def page_queryset(self, queryset):
        return queryset.for_list()


class RecordDetailView(DetailView):
    model = None

    def get_queryset(self):
        # Staff who may view a record preview its draft; everyone else sees published ones.
        return self.model.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if isinstance(self.object, Source):
            citations = Source.objects.citations_of(self.object)
            context.update(
                citations=citations[:CITATION_LIMIT],
                more_citations=len(citations) > CITATION_LIMIT,
                citation_limit=CITATION_LIMIT,
            )
        return context


def published(records):
    return [r for r in records if r.is_published]


def latest(dates) -> PartialDate | None:
    dates = [d for d in dates if d is not None]
    return max(dates, key=lambda d: d.end) if dates else None


class AgreementDetailView(RecordDetailView):
    model = Agreement

    def get_context_data(self, **kwargs):
        """What came of the agreement: its councils, their meetings and cases, figures."""
        context = super().get_context_data(**kwargs)
        agreement = self.object
        councils = published(agreement.councils.all())
        council_meetings = [m for c in councils for m in published(c.meetings.all())]
        related_meetings = published(agreement.meetings.all())
        meetings = sorted(
            {m.pk: m for m in council_meetings + related_meetings}.values(),
            key=lambda m: m.held_on or datetime.date.min,
            reverse=True,
        )
        cases = [s for c in councils for s in published(c.support_cases.all())]
        metrics = published(agreement.metrics.all()) + [
            m for c in councils for m in published(c.metrics.all())
        ]
        last = latest(
            [agreement.signed, agreement.in_force]
            + [c.established for c in councils]
            + [m.held for m in meetings]
            + [m.measured for m in metrics]
        )
        quiet = last is not None and last.end + QUIET_AFTER < datetime.date.today()
        context.update(
            councils=councils,
            meetings=meetings,
            cases=cases,
            metrics=metrics,
            last_activity=last,
            quiet=quiet,
            quiet_after=QUIET_AFTER_TEXT,
        )
        return context


# Countries --------------------------------------------------------------------------

COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")

# Per collection, the paths that put one of its records in a country.
COUNTRY_PATHS = [
    (Agreement, ("parties__ministry__country", "country")),
    (Ministry, ("country",)),
    (Council, ("country",)),
    (Meeting, ("country",)),
    (SupportCase, ("country",)),
    (Organization, ("country",)),
    (Person, ("country",)),
    (Program, ("country",)),
]


def in_country(model, paths, code):
    """The published records one of ``paths`` puts in the country, each once.

    A path through a to-many relation (an agreement's parties) is a subquery, so that a
    record with two parties there is not listed twice; a plain foreign key is filtered on
    directly, so the database can walk the list's order and stop at the page's end (a
    subquery over 200,000 support cases was most of a country page's time).
    """
    condition = Q()
    for path in paths:
        if not crosses_to_many(model, path):
            condition |= Q(**{path: code})
        else:
            condition |= Q(pk__in=model.objects.filter(**{path: code}).values("pk"))
    return model.objects.published().filter(condition)


def records_per_country() -> dict[str, dict]:
    """{country code: {model: number of published records}}, counted by
    the database (GROUP BY) and kept until a table they count changes."""
    counts = kept_until_tables_change(
        "records-per-country", count_records_per_country, filters.FACET_CACHE_SECONDS
    )
    models = {model._meta.label_lower: model for model, _paths in COUNTRY_PATHS}
    return {
        code: {models[label]: n for label, n in per_kind.items()}
        for code, per_kind in counts.items()
    }


def counted_name(model, n: int) -> str:
    """The collection's name for ``n`` records: "1 agreement", "3 agreements". (Korean,
    the portal's other language, uses one form for every number.)"""
    return model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural


def count_records_per_country() -> dict[str, dict]:
    """{country code: {model label: n}}: one GROUP BY per path, and for a collection
    with two paths, one more for the records both paths put in the same country."""
    counts: dict[str, dict] = {}

    def add(code, label, n):
        per_kind = counts.setdefault(code, {})
        per_kind[label] = per_kind.get(label, 0) + n

    def grouped(rows, path):
        rows = rows.filter(**{f"{path}__isnull": False}).order_by().values(path)
        return rows.annotate(n=Count("pk", distinct=True)).values_list(path, "n")

    for model, paths in COUNTRY_PATHS:
        label = model._meta.label_lower
        published_rows = model.objects.published()
        for path in paths:
            for code, n in grouped(published_rows, path):
                add(code, label, n)
        if len(paths) == 2:
            first, second = paths
            both = published_rows.filter(**{first: F(second)})
            for code, n in grouped(both, second):
                add(code, label, -n)
    return {
        code: {label: n for label, n in per_kind.items() if n} for code, per_kind in counts.items()
    }


class CountryListView(CSVExportMixin, ListPageMixin, FilterView):
    """Countries with at least one published record, with how many of each kind."""

    filterset_class = filters.CountryFilter
    paginate_by = 50

    def get_queryset(self):
        self.counts = records_per_country()
        return Country.objects.filter(code__in=self.counts)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for country in context["object_list"]:
            country.record_counts = sorted(
                (str(model._meta.verbose_name_plural), n, counted_name(model, n))
                for model, n in self.counts.get(country.code, {}).items()
            )
        return context


# A country's page is an overview: at most this many records of each kind (nine kinds),
# each section linking to its whole filtered list.
SECTION_LIMIT = 10


class Section(list):
    """A country page's first ``SECTION_LIMIT`` records of one kind, in their list's
    order; ``more`` says there are others, all on the list at ``url``."""

    more = False
    url = ""
    limit = 0

    @classmethod
    def of(cls, records, list_route, code):
        route, extra = list_route
        section = cls(records[: SECTION_LIMIT + 1])
        section.more = len(section) > SECTION_LIMIT
        del section[SECTION_LIMIT:]
        section.limit = SECTION_LIMIT
        query = urlencode({"country": code, **extra})
        section.url = f"{reverse(f'initiatives:{route}-list')}?{query}"
        return section


class CountryDetailView(TemplateView):
    template_name = "initiatives/country_detail.html"

    def get(self, request, *args, code, **kwargs):
        if not COUNTRY_CODE.match(code):
            raise Http404(_("A country is given by its two-letter ISO code, e.g. /countries/be/."))
        if code != code.lower():
            return redirect("initiatives:country-detail", code=code.lower(), permanent=True)
        return super().get(request, *args, code=code, **kwargs)

    def get_context_data(self, *, code, **kwargs):
        country = get_object_or_404(Country, code=code)
        sections = {
            "agreements": in_country(Agreement, ("parties__ministry__country", "country"), code)
            .for_rows()
            .order_by(F("signed_on").desc(nulls_last=True), "name"),
            "ministries": in_country(Ministry, ("country",), code).for_rows(),
            "missions": in_country(Organization, ("country",), code)
            .filter(kind=Organization.Kind.MISSION)
            .for_rows(),
            "organizations": in_country(Organization, ("country",), code)
            .exclude(kind=Organization.Kind.MISSION)
            .for_rows(),
            "councils": in_country(Council, ("country",), code).for_rows(),
            "meetings": in_country(Meeting, ("country",), code).for_rows(),
            "cases": in_country(SupportCase, ("country",), code).for_rows(),
            "programs": in_country(Program, ("country",), code).for_rows(),
            "people": in_country(Person, ("country",), code).for_rows(),
        }
        lists = {
            "agreements": ("agreement", {}),
            "ministries": ("ministry", {}),
            "missions": ("organization", {"kind": Organization.Kind.MISSION}),
            "organizations": ("organization", {}),
            "councils": ("council", {}),
            "meetings": ("meeting", {}),
            "cases": ("support-case", {}),
            "programs": ("program", {}),
            "people": ("person", {}),
        }
        sections = {
            name: Section.of(records, lists[name], code) for name, records in sections.items()
        }
        if not any(sections.values()) and not country.metrics.exists():
            raise Http404(_("No published records for this country."))
        metrics = list(Metric.objects.published().about_country(country))
        timeline = sorted(
            [(a.signed, _("Agreement signed"), a) for a in sections["agreements"] if a.signed]
            + [
                (c.established, _("Council established"), c)
                for c in sections["councils"]
                if c.established
            ]
            + [(m.held, _("Meeting"), m) for m in sections["meetings"] if m.held]
            + [(p.starts, _("Program starts"), p) for p in sections["programs"] if p.starts],
            key=lambda event: (event[0].value, event[0].precision),
        )
        return super().get_context_data(
            country=country, metrics=metrics, timeline=timeline, **sections, **kwargs
        )


# Search and dashboard ---------------------------------------------------------------

MAX_QUERY = 200


class SearchView(TemplateView):
    template_name = "initiatives/search.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "").strip()
        problem = ""
        groups = []
        if len(text) > MAX_QUERY:
            problem = _("Search for at most %(n)s characters.") % {"n": MAX_QUERY}
        elif "\x00" in text:
            problem = _("The search contains a character that cannot be searched for.")
        elif text:
            groups = search(text)
        return super().get_context_data(
            q=text[:MAX_QUERY],
            problem=problem,
            groups=groups,
            total=sum(g.total for g in groups),
            total_capped=any(g.capped for g in groups),
            max_per_kind=MAX_PER_KIND,
            **kwargs,
        )


@dataclass
class Bar:
    year: int
    agreements: int
    meetings: int


COLLECTIONS = [
    Agreement,
    Ministry,
    Council,
    Meeting,
    SupportCase,
    Organization,
    Person,
    Program,
    Source,
]


def per_year(queryset, field) -> dict[int, int]:
    rows = (
        queryset.exclude(**{f"{field}__isnull": True})
        .annotate(year=ExtractYear(field))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {row["year"]: row["n"] for row in rows}


def timeline_chart(agreements: dict, meetings: dict) -> dict:
    """Coordinates for a bar chart of agreements and meetings per year (SVG units)."""
    years = sorted(set(agreements) | set(meetings))
    if not years:
        return {"bars": []}
    years = list(range(years[0], years[-1] + 1))
    highest = max([*agreements.values(), *meetings.values(), 1])
    height, slot, bar = 160, 80, 28
    bars = []
    for index, year in enumerate(years):
        a, m = agreements.get(year, 0), meetings.get(year, 0)
        x = 40 + index * slot
        bars.append(
            {
                "year": year,
                "agreements": a,
                "meetings": m,
                "x": x,
                "label_x": x + bar,
                "agreement_height": round(a / highest * height),
                "agreement_y": 20 + height - round(a / highest * height),
                "meeting_x": x + bar,
                "meeting_height": round(m / highest * height),
                "meeting_y": 20 + height - round(m / highest * height),
            }
        )
    return {
        "bars": bars,
        "width": 40 + len(years) * slot + 20,
        "bar": bar,
        "axis_y": 20 + height,
        "label_y": 20 + height + 20,
        "highest": highest,
    }


def dashboard_figures() -> tuple[list[int], dict]:
    numbers = [model.objects.published().count() for model in COLLECTIONS]
    chart = timeline_chart(
        per_year(Agreement.objects.published(), "signed_on"),
        # The chart says "meetings held": planned meetings are not counted.
        per_year(Meeting.objects.published().filter(status=Meeting.Status.HELD), "held_on"),
    )
    return numbers, chart


class DashboardView(TemplateView):
    template_name = "initiatives/dashboard.html"

    def get_context_data(self, **kwargs):
        # The counts and the chart change only with the data: kept until their tables do.
        numbers, chart = kept_until_tables_change(
            "dashboard", dashboard_figures, filters.FACET_CACHE_SECONDS
        )
        return super().get_context_data(
            counts=[
                {
                    "label": counted_name(model, n),
                    "count": n,
                    "url_name": f"initiatives:{model.route_name}-list",
                }
                for model, n in zip(COLLECTIONS, numbers, strict=True)
            ],
            latest_agreements=Agreement.objects.published()
            .for_list()
            .exclude(signed_on=None)
            .order_by("-signed_on", "name")[:5],
            latest_meetings=Meeting.objects.published()
            .for_list()
            .exclude(held_on=None)
            .order_by("-held_on", "name")[:5],
            key_figures=Metric.objects.published()
            .order_by(F("as_of").desc(nulls_last=True), "name")
            .first_with_subjects(6),
            chart=chart,
            **kwargs,
        )
