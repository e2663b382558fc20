"""Write the search index again from the records (initiatives/search_index.py).

Saves keep the index in step on their own; this is for rows written without signals
(a raw SQL change, a restored dump) and after changing what an entry holds.
"""

import time

from django.core.management.base import BaseCommand

from initiatives import cache, search_index


class Command(BaseCommand):
    help = "Write every search entry again from the published records."

    def handle(self, *args, verbosity, **options):
        started = time.monotonic()
        written = search_index.rebuild()
        cache.bump_everything()
        if verbosity:
            self.stdout.write(f"Wrote {written} entries in {time.monotonic() - started:.1f}s.")
