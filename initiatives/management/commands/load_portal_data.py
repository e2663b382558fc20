"""Load the portal's fixtures without touching what editors have done.

``loaddata`` overwrites every row whose natural key it finds. This command adds only
the fixture rows it has never loaded before, and keeps a ledger of them
(LoadedFixtureRow). So it can run on every deploy: a second run changes nothing, and
records that editors added, corrected, renamed or deleted stay as the editors left
them. A row new to the fixtures whose record already exists (matched by natural key)
is not overwritten either. ``--overwrite`` restores the fixtures' version of every
row, re-adding any that were deleted.
"""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from initiatives import search_index
from initiatives.models import LoadedFixtureRow

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# In dependency order: countries first, everything citing them after.
DEFAULT_FIXTURES = ["countries.json", "portal.json"]


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
            # Rows are loaded raw, which writes no search entries: write them all now.
            search_index.rebuild()
        if verbosity:
            verb = "Saved" if overwrite else "Added"
            self.stdout.write(f"{verb} {added} records; left {kept} as they are.")

    def load(self, path, pending, overwrite) -> tuple[int, int]:
        saved = skipped = 0
        rows = [row for row, _entry in pending]
        try:
            for item in serializers.deserialize("python", rows):
                if not overwrite and self.exists(item.object):
                    skipped += 1  # the editors' version of a record the fixture now describes
                    continue
                item.save()
                saved += 1
        except serializers.base.DeserializationError as error:
            raise CommandError(
                f"{path.name}: {error}. A record it refers to may have been renamed or deleted."
            ) from error
        return saved, skipped

    @staticmethod
    def exists(instance) -> bool:
        manager = type(instance)._default_manager
        return instance.pk is not None and manager.filter(pk=instance.pk).exists()
