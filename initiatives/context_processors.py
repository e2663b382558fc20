"""What every page's header needs: the sections of the site, which one the page is
in, and the way back up from a detail page (breadcrumbs)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import capfirst

from . import cache
from .models import Country, Region
from .registry import COLLECTIONS


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url: str
    # "page" on the section's own list, "true" on a page inside it, "" elsewhere.
    current: str = ""


def site_navigation(request):
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match and match.namespace == "initiatives" else ""
    stem, _, kind = (name or "").rpartition("-")

    def section(key, model, route):
        current = "" if key != stem else ("page" if kind == "list" else "true")
        return Section(key, capfirst(model._meta.verbose_name_plural), reverse(route), current)

    sections = [section(c.route_name, c.model, c.list_route) for c in COLLECTIONS]
    sections.append(section("country", Country, "initiatives:country-list"))
    sections.append(section("region", Region, "initiatives:region-list"))
    parent = next((s for s in sections if s.current == "true" and kind == "detail"), None)
    return {"site_sections": sections, "breadcrumb_parent": parent}


def figures_refreshing(request):
    """Whether the page shows counts kept from before an edit, being brought up to date
    (``initiatives.cache``): asked when the template reads it, after the view counted."""
    return {"figures_refreshing": cache.figures_refreshing}
