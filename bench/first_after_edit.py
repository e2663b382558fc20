"""The first request after an edit: how long a visitor waits for a page whose kept
figures (facet counts, records per country, the dashboard's) an edit has outdated.

For each page: two requests to keep its figures, one record of a table it reads saved
through the ORM (so the signals bump the table's version, as an editor's save does),
then the timed request. Where the figures are refreshed after the response
(``X-Kept-Figures: stale``), the page is asked again every 0.2 s until they are
current, which says how long the counts lag; then a last request, with everything kept.

    DATABASE_URL=postgres://…/copy_of_a_seeded_database   # this writes: use a copy
    .venv/bin/python bench/first_after_edit.py [--explain]

Uncached pages (``PAGE_CACHE_SECONDS=0``) and the cache of REDIS_URL, with DEBUG off,
as bench/latency.py. ``--explain`` prints EXPLAIN ANALYZE of the three slowest queries
of each first request after an edit.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import portal.wsgi  # noqa: E402, F401  (loaded as gunicorn loads it)
from initiatives.models import Agreement, Country, Meeting, SupportCase  # noqa: E402

# (address, the model whose table the edit touches): the table behind each page's
# costliest kept figure.
PAGES = [
    ("/en/", Meeting),
    ("/en/meetings/", Meeting),
    ("/en/support-cases/", SupportCase),
    ("/en/support-cases/?country=de&status=resolved", SupportCase),
    ("/en/agreements/", Agreement),
    ("/en/countries/", SupportCase),
    ("/api/countries/", Country),
]
# The target for the first request after an edit.
TARGET_MS = 300
# How long to wait for figures refreshed after the response before giving up.
REFRESH_WAIT_SECONDS = 120


def edit(model) -> None:
    """Save one published record unchanged, as an editor's save would."""
    record = (
        model.objects.published().order_by("pk").first()
        if hasattr(model.objects, "published")
        else model.objects.order_by("pk").first()
    )
    record.save()


def timed(client: Client, url: str) -> tuple[float, object, list]:
    tick = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - tick) * 1000, response, captured.captured_queries


def stale(response) -> bool:
    return response.get("X-Kept-Figures") == "stale"


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def settled(client: Client, url: str):
    """The page once its kept figures are current (none being refreshed, so no refresh
    left from the page before competes with the timed request); how long that took."""
    started = time.perf_counter()
    _ms, response, _queries = timed(client, url)
    while stale(response) and time.perf_counter() - started < REFRESH_WAIT_SECONDS:
        time.sleep(0.2)
        _ms, response, _queries = timed(client, url)
    return response, time.perf_counter() - started


def measure(client: Client, url: str, model, show_plans: bool) -> None:
    settled(client, url)
    timed(client, url)
    edit(model)
    first_ms, response, queries = timed(client, url)
    lag = f"{settled(client, url)[1]:.1f} s" if stale(response) else "-"
    kept_ms, _response, kept_queries = timed(client, url)
    print(
        f"{first_ms:8.0f} ms first after an edit of {model._meta.db_table:28} "
        f"{len(queries):3} q | counts current after {lag:>7} | kept {kept_ms:5.0f} ms "
        f"{len(kept_queries):3} q | {url}",
        flush=True,
    )
    if show_plans:
        for query in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"\n-- {float(query['time']) * 1000:.0f} ms\n{query['sql'][:800]}\n")
            print(explain(query["sql"]) + "\n", flush=True)
    elif first_ms > TARGET_MS:  # what the request waited for
        slowest = max(queries, key=lambda q: float(q["time"]))
        ms = float(slowest["time"]) * 1000
        print(f"   its slowest query, {ms:.0f} ms: {slowest['sql'][:300]}")


def main() -> None:
    client = Client(SERVER_NAME="127.0.0.1")
    for url, model in PAGES:
        measure(client, url, model, "--explain" in sys.argv)


if __name__ == "__main__":
    main()
