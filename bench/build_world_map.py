"""Builds initiatives/data/world-110m.json, the outlines the portal's world map draws.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python bench/build_world_map.py package/countries-110m.json

The geometry is Natural Earth's 1:110m Admin 0 countries (public domain,
https://www.naturalearthdata.com/), as TopoJSON in the world-atlas package (ISC
licence, Mike Bostock). Each country becomes one SVG path in an equirectangular
projection (Antarctica left out), keyed by its ISO 3166-1 alpha-2 code (pycountry maps
the numeric codes). Run once; the output is committed, so the map makes no request.
"""

import json
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "initiatives" / "data" / "world-110m.json"
SCALE = 2  # SVG units per degree
NORTH, SOUTH = 84, -57  # latitudes kept (no Antarctica)
# Natural Earth's own codes where a country has no ISO numeric one in the file.
BY_NAME = {"Kosovo": "xk", "N. Cyprus": None, "Somaliland": None}


def arcs_of(topology):
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        decoded.append(points)
    return decoded


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrapped(points):
    """A ring that crosses the antimeridian (Russia, Fiji) kept on one side of it, so
    that no edge runs across the whole map; the part beyond the edge is clipped."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:], strict=False)):
        return points
    east = sum(lon for lon, _ in points) > 0
    return [
        (lon + 360 if east and lon < 0 else lon - 360 if not east and lon > 0 else lon, lat)
        for lon, lat in points
    ]


def path(rings) -> str:
    parts = []
    for points in map(unwrapped, rings):
        xy = []
        last = None
        for lon, lat in points:
            p = (round((lon + 180) * SCALE, 1), round((NORTH - lat) * SCALE, 1))
            if p != last:
                xy.append(p)
                last = p
        if len(xy) > 2:
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in xy) + "Z")
    return "".join(parts)


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    arcs = arcs_of(topology)
    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        code = None
        if geometry.get("id"):
            found = pycountry.countries.get(numeric=geometry["id"])
            code = found.alpha_2.lower() if found else None
        code = code or BY_NAME.get(name)
        if not code or code == "aq" or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(arcs, r) for polygon in polygons for r in polygon]
        countries[code] = path(rings)
    document = {
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via world-atlas 2.0.2",
        "width": 360 * SCALE,
        "height": (NORTH - SOUTH) * SCALE,
        "countries": dict(sorted(countries.items())),
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
