"""Regions and groupings of countries: the list of them, and a page per region that
gathers each collection's records in its countries, as a country's page does.

Which records are in a region is the collections' own ``region`` filter; how many
are is that filter's facet, counted over every region at once."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..models import Organization, Region
from .countries import Section, counted_name, placed, records_per_country


def records_per_region() -> dict[str, dict]:
    """{region slug: {model: number of public records}}, from each collection's
    region facet."""
    per_region: dict[str, dict] = {}
    for collection in placed():
        filterset = collection.filterset(queryset=collection.model.objects.published())
        for slug, n in filterset.counts("region").items():
            per_region.setdefault(slug, {})[collection.model] = n
    return per_region


class RegionListView(TemplateView):
    """Every region and grouping, by kind, with how many public records each holds."""

    template_name = "initiatives/region_list.html"

    def get_context_data(self, **kwargs):
        counts = records_per_region()
        regions = list(Region.objects.for_list().order_by("name"))
        for region in regions:
            region.record_counts = sorted(
                (str(model._meta.verbose_name_plural), n, counted_name(model, n))
                for model, n in counts.get(region.slug, {}).items()
            )
        headings = {
            Region.Kind.REGION: _("Regions"),
            Region.Kind.SUB_REGION: _("Sub-regions"),
            Region.Kind.INTERMEDIATE_REGION: _("Intermediate regions"),
            Region.Kind.GROUPING: _("Groupings of countries"),
        }
        kinds = [
            (headings[kind], [r for r in regions if r.kind == kind]) for kind in Region.Kind.values
        ]
        return super().get_context_data(kinds=kinds, **kwargs)


class RegionDetailView(TemplateView):
    """A region's countries and its records of each kind (at most ``SECTION_LIMIT``
    of each, each section linking to its whole list filtered by the region)."""

    template_name = "initiatives/region_detail.html"

    def get_context_data(self, *, slug, **kwargs):
        region = get_object_or_404(Region.objects.for_detail(), slug=slug)
        by_name = {c.model._meta.model_name: c for c in placed()}
        mission = {"kind": Organization.Kind.MISSION}

        def section(name, **options):
            return Section.of(by_name[name], region.slug, param="region", **options)

        sections = {
            "agreements": section("agreement"),
            "ministries": section("ministry"),
            "missions": section("organization", extra=mission),
            "organizations": section("organization", exclude=mission),
            "councils": section("council"),
            "meetings": section("meeting"),
            "cases": section("supportcase"),
            "programs": section("program"),
            "people": section("person"),
        }
        with_pages = records_per_country()
        countries = sorted(region.countries.all(), key=lambda c: c.display_name)
        return super().get_context_data(
            region=region,
            countries=[(country, country.code in with_pages) for country in countries],
            children=sorted(region.children.all(), key=lambda r: r.display_name),
            **sections,
            **kwargs,
        )
