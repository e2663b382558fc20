"""Write every record and staff account out with natural keys, for ``loaddata`` to read back.

A portable copy: it loads into any freshly migrated database, SQLite or PostgreSQL,
and refers to rows by slug, user name and group name, never by number. What it
leaves out is the change history, whose rows name records by number (``pg_dump``
keeps that; see README.md, "Backups"), the review queue's log of changes, which names
history rows, and the search index, which is made from the records
(``rebuild_search_index`` writes it again after a restore).
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

ACCOUNTS = ["auth.group", "auth.user"]
# Kept only beside the change history, or made from the records.
NOT_EXPORTED = {"ChangeReview", "SearchEntry"}


def record_models() -> list[str]:
    return [
        model._meta.label
        for model in apps.get_app_config("initiatives").get_models()
        if not model.__name__.startswith("Historical") and model.__name__ not in NOT_EXPORTED
    ]


class Command(BaseCommand):
    help = "Dump records and staff accounts with natural keys (restore with loaddata)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output, verbosity, **options):
        call_command(
            "dumpdata",
            *ACCOUNTS,
            *record_models(),
            natural_foreign=True,
            natural_primary=True,
            indent=2,
            output=output,
            stdout=self.stdout,
            verbosity=verbosity,
        )
