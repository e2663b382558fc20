"""The dashboard: how many public records of each kind, a timeline of agreements and
meetings, the latest of each and the key figures."""

from dataclasses import dataclass

from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.views.generic import TemplateView

from ..cache import kept_until_tables_change
from ..facets import FACET_CACHE_SECONDS
from ..models import Agreement, Meeting, Metric
from ..registry import COLLECTIONS
from ..worldmap import world_map
from .countries import counted_name, map_counts


@dataclass
class Bar:
    year: int
    agreements: int
    meetings: int


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
    """Coordinates for a bar chart of agreements and meetings per year (SVG units): a
    value axis with gridlines, each bar with its value, each year labelled."""
    years = sorted(set(agreements) | set(meetings))
    if not years:
        return {"bars": []}
    years = list(range(years[0], years[-1] + 1))
    highest = max([*agreements.values(), *meetings.values(), 1])
    # Whole-number ticks, at most five of them, the top one at or above the highest bar.
    step = max(1, -(-highest // 4))
    top = step * -(-highest // step)
    left, height, slot, bar, head = 44, 180, 96, 32, 28

    def y_of(n):
        return head + height - round(n / top * height)

    bars = []
    for index, year in enumerate(years):
        a, m = agreements.get(year, 0), meetings.get(year, 0)
        x = left + 12 + index * slot
        bars.append(
            {
                "year": year,
                "agreements": a,
                "meetings": m,
                "x": x,
                "label_x": x + bar,
                "agreement_height": head + height - y_of(a),
                "agreement_y": y_of(a),
                "agreement_label_x": x + bar // 2,
                "meeting_x": x + bar,
                "meeting_height": head + height - y_of(m),
                "meeting_y": y_of(m),
                "meeting_label_x": x + bar + bar // 2,
            }
        )
    width = left + 12 + len(years) * slot + 8
    return {
        "bars": bars,
        "width": width,
        "left": left,
        "bar": bar,
        "top_y": head,
        "axis_y": head + height,
        "label_y": head + height + 18,
        "height": head + height + 30,
        "ticks": [{"value": n, "y": y_of(n)} for n in range(0, top + 1, step)],
        "highest": highest,
    }


def dashboard_figures() -> tuple[list[int], dict]:
    numbers = [c.model.objects.published().count() for c in COLLECTIONS]
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
            "dashboard", dashboard_figures, FACET_CACHE_SECONDS
        )
        return super().get_context_data(
            counts=[
                {
                    "label": counted_name(collection.model, n),
                    "count": n,
                    "url_name": collection.list_route,
                }
                for collection, n in zip(COLLECTIONS, numbers, strict=True)
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
            world_map=world_map(map_counts()),
            **kwargs,
        )
