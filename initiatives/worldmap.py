"""The world map: each country's outline shaded by how many public agreements and
councils (consultative bodies) it has, linked to its page.

The outlines are Natural Earth's 1:110m countries (public domain), drawn once into
``data/world-110m.json`` by ``bench/build_world_map.py``; the map is SVG in the page,
so it needs no script and makes no request. Its text alternative is the table beside
it, which lists the same figures."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Agreement, Council, Country

OUTLINES = Path(__file__).resolve().parent / "data" / "world-110m.json"
# Shades, from none to most: the legend says what each covers.
LEVELS = ((0, 0), (1, 1), (2, 3), (4, 9), (10, None))


@cache
def outlines() -> dict:
    return json.loads(OUTLINES.read_text())


@dataclass
class Place:
    code: str
    path: str
    level: int = 0
    name: str = ""
    url: str = ""
    agreements: int = 0
    bodies: int = 0
    current: bool = False

    @property
    def label(self) -> str:
        return ", ".join(
            [
                self.name,
                ngettext("%(n)s agreement", "%(n)s agreements", self.agreements)
                % {"n": self.agreements},
                ngettext("%(n)s council or body", "%(n)s councils or bodies", self.bodies)
                % {"n": self.bodies},
            ]
        )


def level_of(n: int) -> int:
    return next(
        i for i, (low, high) in enumerate(LEVELS) if n >= low and (high is None or n <= high)
    )


def legend() -> list[tuple[int, str]]:
    shown = []
    for i, (low, high) in enumerate(LEVELS):
        if high is None:
            text = _("%(n)s or more") % {"n": low}
        elif low == high:
            text = str(low)
        else:
            text = _("%(low)s to %(high)s") % {"low": low, "high": high}
        shown.append((i, text))
    return shown


def world_map(per_country: dict[str, dict], *, current: str = "") -> dict:
    """The map's countries (``per_country``: {code: {model: n}}, as on the countries
    page), each with its shade, and the table of those with records."""
    data = outlines()
    countries = {c.code: c for c in Country.objects.filter(code__in=list(per_country))}
    places, listed = [], []
    for code, path in data["countries"].items():
        place = Place(code, path, current=code == current)
        counts = per_country.get(code)
        country = countries.get(code)
        if counts and country:
            place.agreements = counts.get(Agreement, 0)
            place.bodies = counts.get(Council, 0)
            place.level = level_of(place.agreements + place.bodies)
            place.name = country.display_name
            place.url = country.get_absolute_url()
            listed.append(place)
        places.append(place)
    # Countries with records but no outline at this scale (small islands) are in the table.
    for code, country in countries.items():
        if code not in data["countries"]:
            counts = per_country[code]
            listed.append(
                Place(
                    code,
                    "",
                    name=country.display_name,
                    url=country.get_absolute_url(),
                    agreements=counts.get(Agreement, 0),
                    bodies=counts.get(Council, 0),
                )
            )
    listed.sort(key=lambda p: (-(p.agreements + p.bodies), p.name))
    # Linked countries last, so that their outlines (and focus rings) are drawn on top.
    places.sort(key=lambda p: (bool(p.url), p.current))
    return {
        "places": places,
        "listed": [p for p in listed if p.agreements or p.bodies],
        "width": data["width"],
        "height": data["height"],
        "legend": legend(),
        "source": data["source"],
    }
