"""Write fixtures/regions.json: the UN M49 regions, sub-regions and intermediate
regions, and the groupings of countries policy staff ask about, with Korean names.

The M49 memberships are read from ``fixtures/reference/m49.csv``, an extract of the
UN Statistics Division's "Standard country or area codes for statistical use (M49)"
(one row per ISO 3166-1 country: its region, sub-region and intermediate region, with
their codes). To bring it up to date, replace that file with a newer extract in the
same columns and run this command. The groupings' members are listed below, each with
the page that lists them and the date it was read.
"""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.text import slugify

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
M49_CSV = FIXTURES_DIR / "reference" / "m49.csv"
M49_SOURCE = (
    "United Nations Statistics Division, Standard country or area codes for statistical "
    "use (M49), read 19 June 2024"
)
M49_URL = "https://unstats.un.org/unsd/methodology/m49/overview/"
M49_AS_OF = "2024-06-19"

# The Korean names of the M49 areas, as Korean government and statistics pages write them.
KOREAN = {
    "Africa": "아프리카",
    "Americas": "아메리카",
    "Asia": "아시아",
    "Europe": "유럽",
    "Oceania": "오세아니아",
    "Northern Africa": "북아프리카",
    "Sub-Saharan Africa": "사하라 이남 아프리카",
    "Eastern Africa": "동아프리카",
    "Middle Africa": "중부 아프리카",
    "Southern Africa": "남부 아프리카",
    "Western Africa": "서아프리카",
    "Latin America and the Caribbean": "라틴아메리카·카리브",
    "Caribbean": "카리브",
    "Central America": "중앙아메리카",
    "South America": "남아메리카",
    "Northern America": "북아메리카",
    "Central Asia": "중앙아시아",
    "Eastern Asia": "동아시아",
    "South-eastern Asia": "동남아시아",
    "Southern Asia": "남아시아",
    "Western Asia": "서아시아",
    "Eastern Europe": "동유럽",
    "Northern Europe": "북유럽",
    "Southern Europe": "남유럽",
    "Western Europe": "서유럽",
    "Australia and New Zealand": "오스트레일리아·뉴질랜드",
    "Melanesia": "멜라네시아",
    "Micronesia": "미크로네시아",
    "Polynesia": "폴리네시아",
}

# Groupings: (slug, name, Korean name, source, address, as of, member country codes).
GROUPINGS = [
    (
        "eu",
        "European Union",
        "유럽연합(EU)",
        "European Union, EU countries",
        "https://european-union.europa.eu/principles-countries-history/eu-countries_en",
        "2026-11-01",
        "at be bg hr cy cz dk ee fi fr de gr hu ie it lv lt lu mt nl pl pt ro sk si es se",
    ),
    (
        "asean",
        "ASEAN",
        "아세안(ASEAN)",
        "Association of Southeast Asian Nations, member states (Timor-Leste admitted "
        "26 October 2025)",
        "https://asean.org/member-states/",
        "2026-11-01",
        "bn kh id la my mm ph sg th tl vn",
    ),
    (
        "oecd",
        "OECD",
        "경제협력개발기구(OECD)",
        "OECD, members and partners",
        "https://www.oecd.org/en/about/members-partners.html",
        "2026-11-01",
        "au at be ca cl co cr cz dk ee fi fr de gr hu is ie il it jp kr lv lt lu mx nl nz no "
        "pl pt sk si es se ch tr gb us",
    ),
    (
        "g20",
        "G20",
        "주요 20개국(G20)",
        "G20, members (its 19 member countries; the EU and the African Union are members too)",
        "https://g20.org/about-the-g20/",
        "2026-11-01",
        "ar au br ca cn fr de in id it jp kr mx ru sa za tr gb us",
    ),
    (
        "apec",
        "APEC",
        "아시아태평양경제협력체(APEC)",
        "APEC, member economies",
        "https://www.apec.org/about-us/about-apec/member-economies",
        "2026-11-01",
        "au bn ca cl cn hk id jp kr my mx nz pg pe ph ru sg tw th us vn",
    ),
]

LEVELS = [
    ("region", "region-code", "region", None),
    ("sub-region", "sub-region-code", "sub-region", "region"),
    ("intermediate-region", "intermediate-region-code", "intermediate-region", "sub-region"),
]


def region_rows(rows: list[dict]) -> list[dict]:
    """The M49 areas, parents before children, each with its member countries."""
    areas: dict[str, dict] = {}
    for kind, code_column, name_column, parent_column in LEVELS:
        for row in rows:
            name = row[name_column]
            if not name:
                continue
            area = areas.setdefault(
                name,
                {
                    "kind": kind,
                    "code": row[code_column],
                    "parent": row[parent_column] if parent_column else "",
                    "countries": [],
                },
            )
            area["countries"].append(row["alpha-2"])
    return [
        {
            "model": "initiatives.region",
            "fields": {
                "slug": slugify(name),
                "name": name,
                "name_ko": KOREAN[name],
                "kind": area["kind"],
                "m49_code": area["code"],
                "parent": [slugify(area["parent"])] if area["parent"] else None,
                "countries": sorted(area["countries"]),
                "source": M49_SOURCE,
                "source_url": M49_URL,
                "as_of": M49_AS_OF,
            },
        }
        for name, area in areas.items()
    ]


def grouping_rows() -> list[dict]:
    return [
        {
            "model": "initiatives.region",
            "fields": {
                "slug": slug,
                "name": name,
                "name_ko": korean,
                "kind": "grouping",
                "m49_code": "",
                "parent": None,
                "countries": sorted(members.split()),
                "source": source,
                "source_url": url,
                "as_of": as_of,
            },
        }
        for slug, name, korean, source, url, as_of, members in GROUPINGS
    ]


class Command(BaseCommand):
    help = "Rebuild fixtures/regions.json from fixtures/reference/m49.csv and the groupings."

    def handle(self, *args, **options):
        with M49_CSV.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        fixture = region_rows(rows) + grouping_rows()
        path = FIXTURES_DIR / "regions.json"
        path.write_text(json.dumps(fixture, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {len(fixture)} regions to {path}.")
