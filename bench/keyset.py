"""Deep API pages: a numbered page (OFFSET) against a cursor page (keyset) at the same
depth, and cursor pages far past where page numbers stop. Prints, per address, the
median and p95 of uncached requests, the queries, and the EXPLAIN ANALYZE of the
page's main query (its rows, not the count); bench/analysis.md quotes a run.

    DATABASE_URL=postgres://…/DB   # and the rest of the environment bench/latency.py runs in
    .venv/bin/python bench/keyset.py [samples]
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import portal.wsgi  # noqa: E402, F401
from initiatives.api import keyset  # noqa: E402
from initiatives.models import Meeting, SupportCase  # noqa: E402


def cursor_at(model, depth: int) -> str:
    """The cursor whose page starts at row ``depth`` (1-based) of the unfiltered list."""
    queryset = keyset.in_order(model.objects.published())
    return keyset.cursor(queryset, queryset[depth - 2])


def addresses() -> list[str]:
    meetings = Meeting.objects.published().count()
    cases = SupportCase.objects.published().count()
    return [
        "/api/meetings/?page=50",
        f"/api/meetings/?cursor={cursor_at(Meeting, 50 * 25 - 24)}",
        f"/api/meetings/?cursor={cursor_at(Meeting, min(100_000, meetings - 24))}",
        "/api/support-cases/?page=50",
        f"/api/support-cases/?cursor={cursor_at(SupportCase, min(100_000, cases - 24))}",
    ]


def measure(client, url: str, samples: int) -> None:
    times = []
    for _ in range(samples):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"\n{url[:90]}")
    print(f"  first row {response.json()['results'][0]['slug']}")
    print(
        f"  median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
        f"{len(queries.captured_queries)} queries"
    )
    rows = [q["sql"] for q in queries.captured_queries if " LIMIT " in q["sql"]]
    main = next(sql for sql in rows if "COUNT(" not in sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {main}")
        for (line,) in cursor.fetchall():
            print("   ", line)


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    client = Client(SERVER_NAME="127.0.0.1")
    for url in addresses():
        client.get(url)  # warm: imports, the OpenAPI document the contract reads
        measure(client, url, samples)


if __name__ == "__main__":
    main()
