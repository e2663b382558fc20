"""Countries: the list of those with public records, and a page per country that
gathers each collection's records there.

Which records are in a country is the collections' own ``country`` filter (an
agreement is in its parties' countries and the one it was signed in); how many are
is that filter's facet, counted over every country at once."""

import re
from urllib.parse import urlencode

from django.db.models import F, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView

from .. import filters
from ..api.serializers import CountrySerializer
from ..cache import kept_until_tables_change
from ..exports import CSVExportMixin
from ..facets import FACET_CACHE_SECONDS
from ..models import Country, Metric, Organization, Region, in_interface_language
from ..registry import COLLECTIONS, Collection
from ..worldmap import world_map
from .lists import ListPageMixin

COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")
# A country's page is an overview: at most this many records of each kind, each
# section linking to its whole filtered list.
SECTION_LIMIT = 10


def placed() -> list[Collection]:
    """The collections whose records are placed in countries."""
    return [c for c in COLLECTIONS if "country" in c.filterset.base_filters]


def records_per_country() -> dict[str, dict]:
    """{country code: {model: number of public records}}, from each collection's
    country facet."""
    per_country: dict[str, dict] = {}
    for collection in placed():
        filterset = collection.filterset(queryset=collection.model.objects.published())
        for code, n in filterset.counts("country").items():
            per_country.setdefault(code, {})[collection.model] = n
    # A country with public figures about it has a page too.
    for code, n in kept_until_tables_change(
        "figures-per-country", Metric.objects.published().count_per_country, FACET_CACHE_SECONDS
    ).items():
        per_country.setdefault(code, {})[Metric] = n
    return per_country


def by_region(countries):
    """``countries`` grouped by UN M49 region (``area_slug``, ``area_name``,
    ``area_name_ko``), by name within each; a country in none (Antarctica) comes last.
    The page, its CSV and the API list them in this order."""
    area = Region.objects.filter(kind=Region.Kind.REGION, countries=OuterRef("pk"))
    return countries.annotate(
        area_slug=Subquery(area.values("slug")[:1]),
        area_name=Subquery(area.values("name")[:1]),
        area_name_ko=Subquery(area.values("name_ko")[:1]),
    ).order_by(F("area_name").asc(nulls_last=True), "name")


def map_counts() -> dict[str, dict]:
    """The map's figures, kept until the data change (the country facets they come
    from are counted over every record)."""
    return kept_until_tables_change("world-map-counts", records_per_country, FACET_CACHE_SECONDS)


def counted_name(model, n: int) -> str:
    """The collection's name for ``n`` records: "1 agreement", "3 agreements". (Korean,
    the portal's other language, uses one form for every number.)"""
    return model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural


class CountryListView(CSVExportMixin, ListPageMixin, FilterView):
    """Countries with at least one public record, with how many of each kind."""

    filterset_class = filters.CountryFilter
    serializer_class = CountrySerializer
    paginate_by = 50

    def get_queryset(self):
        self.counts = records_per_country()
        return by_region(Country.objects.filter(code__in=self.counts))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for country in context["object_list"]:
            country.area = in_interface_language(
                country.area_name or "", country.area_name_ko or ""
            )
            country.record_counts = sorted(
                (str(model._meta.verbose_name_plural), n, counted_name(model, n))
                for model, n in self.counts.get(country.code, {}).items()
            )
        context["world_map"] = world_map(self.counts)
        return context


class Section(list):
    """A country page's first ``SECTION_LIMIT`` records of one kind, in their list's
    order; ``more`` says there are others, all on the list at ``url``."""

    more = False
    url = ""
    limit = SECTION_LIMIT

    @classmethod
    def of(cls, collection: Collection, code: str, *, param="country", extra=None, exclude=None):
        """``param`` is the filter that places records (``country``, or ``region``)."""
        query = {param: [code], **{name: [value] for name, value in (extra or {}).items()}}
        filterset = collection.filterset(query, queryset=collection.model.objects.published())
        records = filterset.qs
        if exclude:
            records = records.exclude(**exclude)
        section = cls(records.for_rows()[: SECTION_LIMIT + 1])
        section.more = len(section) > SECTION_LIMIT
        del section[SECTION_LIMIT:]
        section.limit = SECTION_LIMIT
        section.url = f"{reverse(collection.list_route)}?{urlencode(query, doseq=True)}"
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
        by_name = {c.model._meta.model_name: c for c in placed()}
        mission = {"kind": Organization.Kind.MISSION}
        sections = {
            "agreements": Section.of(by_name["agreement"], code),
            "ministries": Section.of(by_name["ministry"], code),
            "missions": Section.of(by_name["organization"], code, extra=mission),
            "organizations": Section.of(by_name["organization"], code, exclude=mission),
            "councils": Section.of(by_name["council"], code),
            "meetings": Section.of(by_name["meeting"], code),
            "cases": Section.of(by_name["supportcase"], code),
            "programs": Section.of(by_name["program"], code),
            "people": Section.of(by_name["person"], code),
        }
        metrics = list(Metric.objects.published().about_country(country))
        if not any(sections.values()) and not metrics:
            raise Http404(_("No published records for this country."))
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
            country=country,
            metrics=metrics,
            timeline=timeline,
            world_map=world_map(map_counts(), current=code),
            **sections,
            **kwargs,
        )
