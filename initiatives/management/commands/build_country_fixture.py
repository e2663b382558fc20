"""Write fixtures/countries.json from ISO 3166-1 (via pycountry, with its Korean names)."""

import gettext
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rebuild fixtures/countries.json from ISO 3166-1 (needs the pycountry package)."

    def handle(self, *args, **options):
        try:
            import pycountry
        except ImportError as error:
            raise CommandError("Install pycountry first: pip install pycountry") from error
        korean = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["ko"], fallback=True
        )
        rows = [
            {
                "model": "initiatives.country",
                "pk": country.alpha_2.lower(),
                "fields": {
                    "name": getattr(country, "common_name", country.name),
                    "name_ko": korean.gettext(country.name)
                    if korean.gettext(country.name) != country.name
                    else "",
                },
            }
            for country in sorted(pycountry.countries, key=lambda c: c.alpha_2)
        ]
        path = Path(settings.BASE_DIR) / "fixtures" / "countries.json"
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {len(rows)} countries to {path}.")
