"""Search latency at scale 1: a short loop over typical queries, uncached, in process.

    DATABASE_URL=postgres://…/scale1 .venv/bin/python bench/search.py [rounds]

Prints, for each query, the matches counted, the median and p95 of the search page
(Django's test Client, the page cache off) and of ``initiatives.search.search`` alone,
then the EXPLAIN of the full-text match of a Korean word. Figures, not a timed test:
the machine need not be quiet, and the figures say as much as it was.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from initiatives.search import search, terms, tsquery  # noqa: E402

QUERIES = [
    "Belgium",
    "korea belgium",
    "Belgium MOU",
    "Startup for All",
    "cosmetics",
    "Synthetic Company 12",
    '"consultative body"',
    "벨기에와",
    "중기부는",
    "Oh Yuong-ju",
    "xylophone quartz",
    "Europe MOU",
    "유럽 협약",
]
# The lists' q, which matches through the same index (the list's own order, paginated).
LISTS = [
    ("initiatives:agreement-list", "belgium mou"),
    ("initiatives:agreement-list", "벨기에와"),
    ("initiatives:meeting-list", "korea"),
    ("initiatives:support-case-list", "cosmetics"),
    ("initiatives:person-list", "Synthetic"),
]


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def timed(function, rounds):
    function()  # warm
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def main(rounds: int):
    client = Client()
    url = reverse("initiatives:search")
    every = []
    print(f"load average before: {load()}")
    print(f"{'query':28} {'matches':>8} {'page p50':>9} {'page p95':>9} {'search p95':>11}")
    for text in QUERIES:
        results = search(text)
        count = f"{results.total}{'+' if results.capped else ''}"

        def get(text=text):
            response = client.get(url, {"q": text})
            assert response.status_code == 200, response.status_code

        page_median, page_p95 = timed(get, rounds)
        _median, search_p95 = timed(lambda text=text: search(text), rounds)
        every.append(page_p95)
        print(f"{text:28} {count:>8} {page_median:9.1f} {page_p95:9.1f} {search_p95:11.1f}")
    print(f"worst page p95: {max(every):.1f} ms over {rounds} rounds each")
    print(f"\n{'list':36} {'page p50':>9} {'page p95':>9}")
    for name, text in LISTS:

        def listed(name=name, text=text):
            response = client.get(reverse(name), {"q": text})
            assert response.status_code == 200, response.status_code

        page_median, page_p95 = timed(listed, rounds)
        label = f"{reverse(name)}?q={text}"
        print(f"{label:36} {page_median:9.1f} {page_p95:9.1f}")
    print(f"load average after: {load()}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM initiatives_searchentry")
            print(f"entries: {cursor.fetchone()[0]:,}")
            cursor.execute(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM initiatives_searchentry "
                "WHERE document @@ to_tsquery('english', %s) LIMIT 1001",
                [tsquery(terms("벨기에와"))],
            )
            print("\nEXPLAIN ANALYZE of 벨기에와:")
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
