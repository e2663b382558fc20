"""Load the portal's fixtures without touching what editors have done.

``loaddata`` overwrites every row whose natural key it finds. This command adds only
the fixture rows it has never loaded before, and keeps a ledger of them
(LoadedFixtureRow). So it can run on every deploy: a second run changes nothing, and
records that editors added, corrected, renamed or deleted stay as the editors left
them. A row new to the fixtures whose record already exists (matched by natural key)
is not overwritten either. ``--overwrite`` restores the fixtures' version of every
row, re-adding any that were deleted.

Sources hold their text: a source row naming a ``text_file`` gets the text of
``fixtures/sources/<text_file>`` (its SHA-256 must match the row's ``content_hash``),
and every citation is checked against its source's text before anything is saved: a
quote not in the text stops the load with the closest passage shown. Sources loaded
before they held text get it on the next run.

Korean names of public record (``fixtures/reference/names_ko.json``: a Korean public
body's statutory name, with the statute that gives it) are entered once each into
the record's ``name_ko`` and ``name_ko_reference``, and kept in the same ledger: a
record whose Korean name an editor set, changed or cleared keeps the editor's. Each
entry is ledgered by its content, so an entry added to the file (or corrected there)
is entered into a database that loaded the file before.

Korean names of cities (``fixtures/reference/cities_ko.json``: a city's standard
Korean name with its reference) become ``CityName`` rows the same way: each entry
once, never over a city's name an editor entered or changed.
"""

import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from initiatives import search_index
from initiatives.models import Citation, CityName, Country, LoadedFixtureRow, Source
from initiatives.quotes import quote_problem
from initiatives.source_text import content_hash

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCE_TEXTS = FIXTURES_DIR / "sources"
# In dependency order: countries first, their regions, everything citing them after.
DEFAULT_FIXTURES = ["countries.json", "regions.json", "portal.json"]
KOREAN_NAMES = FIXTURES_DIR / "reference" / "names_ko.json"
# The ledger's label for the entries of KOREAN_NAMES.
KOREAN_NAMES_LEDGER = "reference:names_ko"
CITY_NAMES = FIXTURES_DIR / "reference" / "cities_ko.json"
CITY_NAMES_LEDGER = "reference:cities_ko"


def fingerprint(row: dict) -> tuple[str, str, str]:
    """(model label, the row as canonical JSON, its SHA-256) of one fixture row."""
    text = json.dumps(row, sort_keys=True, ensure_ascii=False)
    return row["model"], text, hashlib.sha256(text.encode()).hexdigest()


class Command(BaseCommand):
    help = "Add the portal's fixture rows that were never loaded; keep everything else."

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures",
            nargs="*",
            help=f"Fixture files (default: {', '.join(DEFAULT_FIXTURES)} in fixtures/).",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Restore the fixtures' version of every row, losing editors' changes.",
        )

    def handle(self, *args, fixtures, overwrite, verbosity, **options):
        paths = [Path(f) for f in fixtures] or [FIXTURES_DIR / name for name in DEFAULT_FIXTURES]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"No fixture file at {', '.join(missing)}.")
        added = kept = 0
        with transaction.atomic():
            ledger = set(LoadedFixtureRow.objects.values_list("model", "row_hash"))
            for path in paths:
                pending = []
                for row in json.loads(path.read_text(encoding="utf-8")):
                    label, text, row_hash = fingerprint(row)
                    if (label, row_hash) in ledger and not overwrite:
                        kept += 1
                    else:
                        pending.append(
                            (row, LoadedFixtureRow(model=label, row=text, row_hash=row_hash))
                        )
                saved, skipped = self.load(path, pending, overwrite)
                added, kept = added + saved, kept + skipped
                LoadedFixtureRow.objects.bulk_create(
                    [
                        entry
                        for _row, entry in pending
                        if (entry.model, entry.row_hash) not in ledger
                    ]
                )
                ledger.update((entry.model, entry.row_hash) for _row, entry in pending)
            filled = self.fill_source_texts()
            # Only a full load enters them: a load of named files is about those files.
            named = self.enter_korean_names(ledger, overwrite) if not fixtures else 0
            cities = self.enter_city_names(ledger, overwrite) if not fixtures else 0
            if added or filled or named:
                # Rows are loaded raw, which writes no search entries: write them all now.
                search_index.rebuild()
        if verbosity:
            verb = "Saved" if overwrite else "Added"
            self.stdout.write(f"{verb} {added} records; left {kept} as they are.")
            if filled:
                self.stdout.write(f"Stored the text of {filled} sources.")
            if named:
                self.stdout.write(f"Entered the Korean names of record of {named} records.")
            if cities:
                self.stdout.write(f"Entered the Korean names of {cities} cities.")

    def load(self, path, pending, overwrite) -> tuple[int, int]:
        saved = skipped = 0
        rows = [row for row, _entry in pending]
        try:
            for item in serializers.deserialize("python", rows):
                if not overwrite and self.exists(item.object):
                    skipped += 1  # the editors' version of a record the fixture now describes
                    continue
                if isinstance(item.object, Source):
                    self.hold_text(path, item.object)
                elif isinstance(item.object, Citation):
                    self.check_quote(path, item.object)
                item.save()
                saved += 1
        except serializers.base.DeserializationError as error:
            raise CommandError(
                f"{path.name}: {error}. A record it refers to may have been renamed or deleted."
            ) from error
        return saved, skipped

    @staticmethod
    def hold_text(path, source) -> None:
        """Give a fixture source the text of its file, which its hash must describe."""
        if not source.text_file:
            return
        text_path = SOURCE_TEXTS / source.text_file
        if not text_path.exists():
            raise CommandError(f"{path.name}: source {source.slug}: no text at {text_path}.")
        source.text = text_path.read_text(encoding="utf-8")
        computed = content_hash(source.text)
        if source.content_hash and source.content_hash != computed:
            raise CommandError(
                f"{path.name}: source {source.slug}: {text_path.name} has SHA-256 {computed}, "
                f"the fixture says {source.content_hash}."
            )
        source.content_hash = computed

    @staticmethod
    def check_quote(path, citation) -> None:
        """Refuse a citation whose quote is not in its source's text (the source, loaded
        before its citations, holds it by now)."""
        source = Source.objects.filter(pk=citation.source_id).only("slug", "text").first()
        if source is None:
            return  # the deserializer reports a missing source itself
        if problem := quote_problem(citation.quote, source.text):
            raise CommandError(f"{path.name}: citation from {source.slug}: {problem}")

    @staticmethod
    def enter_korean_names(ledger, overwrite) -> int:
        """Give the records KOREAN_NAMES lists their Korean name and its reference, each
        entry once; the number of records given one. A record that already has another
        Korean name keeps it (unless ``overwrite``), as does one whose entry was entered
        before: an editor may have changed or cleared it since."""
        named = 0
        entries = []
        for row in json.loads(KOREAN_NAMES.read_text(encoding="utf-8")):
            text = json.dumps(row, sort_keys=True, ensure_ascii=False)
            row_hash = hashlib.sha256(text.encode()).hexdigest()
            if (KOREAN_NAMES_LEDGER, row_hash) in ledger and not overwrite:
                continue
            model = apps.get_model(row["model"])
            record = model._base_manager.filter(slug=row["slug"]).first()
            if record is None:
                continue  # renamed or deleted by an editor, or not loaded: nothing to name
            if overwrite or not record.name_ko or record.name_ko == row["name_ko"]:
                record.name_ko = row["name_ko"]
                record.name_ko_reference = row["reference"]
                record.save(update_fields=["name_ko", "name_ko_reference"])
                named += 1
            entries.append(LoadedFixtureRow(model=KOREAN_NAMES_LEDGER, row=text, row_hash=row_hash))
        LoadedFixtureRow.objects.bulk_create(
            [entry for entry in entries if (entry.model, entry.row_hash) not in ledger]
        )
        ledger.update((entry.model, entry.row_hash) for entry in entries)
        return named

    @staticmethod
    def enter_city_names(ledger, overwrite) -> int:
        """Enter each city of CITY_NAMES with its Korean name and reference, once; the
        number entered. A city an editor already named keeps the editor's name (unless
        ``overwrite``); one whose entry was entered before is left as it now stands."""
        entered = 0
        entries = []
        countries = set(Country.objects.values_list("code", flat=True))
        for row in json.loads(CITY_NAMES.read_text(encoding="utf-8")):
            text = json.dumps(row, sort_keys=True, ensure_ascii=False)
            row_hash = hashlib.sha256(text.encode()).hexdigest()
            if (CITY_NAMES_LEDGER, row_hash) in ledger and not overwrite:
                continue
            country = row.get("country") or None
            if country is not None and country not in countries:
                continue  # countries not loaded: nothing to name it in yet
            named = {"name_ko": row["name_ko"], "reference": row["reference"]}
            city = CityName.objects.filter(name=row["city"], country_id=country).first()
            if city is None:
                CityName.objects.create(name=row["city"], country_id=country, **named)
                entered += 1
            elif overwrite or city.name_ko == row["name_ko"]:
                city.name_ko, city.reference = named["name_ko"], named["reference"]
                city.save(update_fields=["name_ko", "reference"])  # signals: caches move on
                entered += 1
            entries.append(LoadedFixtureRow(model=CITY_NAMES_LEDGER, row=text, row_hash=row_hash))
        LoadedFixtureRow.objects.bulk_create(
            [entry for entry in entries if (entry.model, entry.row_hash) not in ledger]
        )
        ledger.update((entry.model, entry.row_hash) for entry in entries)
        return entered

    @staticmethod
    def fill_source_texts() -> int:
        """Store the text of sources loaded before sources held their text."""
        filled = 0
        for source in Source.objects.filter(text="").exclude(text_file=""):
            text_path = SOURCE_TEXTS / source.text_file
            if text_path.exists():
                source.text = text_path.read_text(encoding="utf-8")
                source.save(update_fields=["text"])
                filled += 1
        return filled

    @staticmethod
    def exists(instance) -> bool:
        manager = type(instance)._default_manager
        return instance.pk is not None and manager.filter(pk=instance.pk).exists()
