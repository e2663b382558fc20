"""Uncached latency and queries per page, in process through Django's test Client.

Run by bench/run (which sets up the database and the environment); writes
bench/out/latency.json and bench/out/explain.txt for bench/report.py.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
# A page slower than this gets fewer samples, so one slow page cannot stall the run.
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS_PER_PAGE", "15"))
# A page that fails (a query past bench/run's statement_timeout) or is this slow is
# timed once: more samples would only say again that it misses the target.
TOO_SLOW_MS = 5000

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders
from django.core.cache import cache  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# Loaded as gunicorn loads it: Django set up, the start-up heap frozen (portal/wsgi.py).
import portal.wsgi  # noqa: E402, F401
from initiatives import filters  # noqa: E402
from initiatives.models import (  # noqa: E402
    Agreement,
    Council,
    Meeting,
    Ministry,
    Organization,
    Person,
    SupportCase,
)


def a_synthetic(model, **filters) -> str:
    """The slug of a published synthetic record with the most typical links."""
    record = (
        model.objects.published().filter(slug__startswith="syn-", **filters).order_by("pk").first()
    )
    return record.slug if record else "missing"


def pages() -> list[tuple[str, str]]:
    """(group, URL) for every list with typical filters, detail pages, search, API, feeds."""
    ministry = a_synthetic(Ministry, country="kr")
    council = a_synthetic(Council, meetings__isnull=False)
    return [
        ("list", "/en/"),
        ("list", "/en/agreements/"),
        ("list", "/en/agreements/?country=be"),
        ("list", f"/en/agreements/?ministry={ministry}&date_from=2020"),
        ("list", "/en/agreements/?kind=mou&status=in-force&sort=-signed_on"),
        ("list", "/en/agreements/?page=200"),
        ("list", "/en/meetings/"),
        ("list", "/en/meetings/?date_from=2024"),
        ("list", f"/en/meetings/?council={council}&format=online"),
        ("list", "/en/meetings/?country=kr&date_from=2024-01&date_to=2024-06"),
        ("list", "/en/support-cases/"),
        ("list", "/en/support-cases/?country=de&status=resolved"),
        ("list", "/en/support-cases/?sector=Cosmetics&sort=-name"),
        ("list", "/en/councils/?country=kr&kind=consultative-body"),
        ("list", "/en/ministries/?country=kr"),
        ("list", "/en/organizations/?kind=mission"),
        ("list", "/en/people/"),
        ("list", "/en/programs/"),
        ("list", "/en/sources/"),
        ("list", "/en/countries/"),
        ("detail", "/en/agreements/korea-belgium-sme-startup-mou-2026/"),
        ("detail", f"/en/agreements/{a_synthetic(Agreement, councils__isnull=False)}/"),
        ("detail", f"/en/meetings/{a_synthetic(Meeting, participants__isnull=False)}/"),
        ("detail", f"/en/support-cases/{a_synthetic(SupportCase, council__isnull=False)}/"),
        ("detail", f"/en/councils/{council}/"),
        ("detail", f"/en/ministries/{ministry}/"),
        ("detail", f"/en/organizations/{a_synthetic(Organization, kind='mission')}/"),
        ("detail", f"/en/people/{a_synthetic(Person)}/"),
        ("detail", "/en/sources/synthetic-data/"),
        ("detail", "/en/countries/be/"),
        ("detail", "/en/countries/kr/"),
        ("search", "/en/search/?q=Belgium"),
        ("search", "/en/search/?q=cosmetics"),
        ("search", "/en/search/?q=Synthetic+Company+12"),
        ("api", "/api/agreements/"),
        ("api", "/api/agreements/?country=be"),
        ("api", "/api/meetings/?date_from=2024"),
        ("api", "/api/support-cases/?country=de"),
        ("api", f"/api/agreements/{a_synthetic(Agreement)}/"),
        ("api", "/api/countries/"),
        ("feed", "/en/feeds/agreements/"),
        ("feed", "/en/feeds/meetings/?country=kr"),
        ("feed", "/en/feeds/meetings.ics"),
        ("export", "/en/agreements/?country=be&format=csv"),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: Client, url: str) -> dict:
    # The first request finds nothing kept (facet counts, counts per country): as the
    # first visitor after an edit to the tables a page counts does.
    cache.clear()
    tick = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
    first_ms = (time.perf_counter() - tick) * 1000
    result = {
        "url": url,
        "status": response.status_code,
        "bytes": len(body),
        "first_ms": round(first_ms, 1),
    }
    if response.status_code == 404:
        return result | {"note": "404: page not built yet"}
    result["queries"] = len(captured.captured_queries)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    result["slowest_query"] = slowest["sql"] if slowest else ""
    if response.status_code >= 500 or first_ms > TOO_SLOW_MS:
        first_ms = round(first_ms, 1)
        return result | {"samples": 1, "median_ms": first_ms, "p95_ms": first_ms}
    timings = []
    started = time.monotonic()
    while len(timings) < SAMPLES and (
        len(timings) < 3 or time.monotonic() - started < SECONDS_PER_PAGE
    ):
        tick = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response)
        timings.append((time.perf_counter() - tick) * 1000)
    return result | {
        "samples": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
    }


def main_queries() -> list[tuple[str, object]]:
    """(address, the FilterSet's queryset of that list) for the lists' typical filters."""
    council = a_synthetic(Council, meetings__isnull=False)
    lists = [
        ("/en/agreements/?country=be", filters.AgreementFilter, Agreement),
        (
            "/en/agreements/?kind=mou&status=in-force&sort=-signed_on",
            filters.AgreementFilter,
            Agreement,
        ),
        ("/en/agreements/?q=cooperation+12", filters.AgreementFilter, Agreement),
        ("/en/meetings/", filters.MeetingFilter, Meeting),
        ("/en/meetings/?date_from=2024", filters.MeetingFilter, Meeting),
        (f"/en/meetings/?council={council}&format=online", filters.MeetingFilter, Meeting),
        (
            "/en/meetings/?country=kr&date_from=2024-01&date_to=2024-06",
            filters.MeetingFilter,
            Meeting,
        ),
        ("/en/support-cases/", filters.SupportCaseFilter, SupportCase),
        ("/en/support-cases/?country=de&status=resolved", filters.SupportCaseFilter, SupportCase),
        ("/en/support-cases/?sector=Cosmetics&sort=-name", filters.SupportCaseFilter, SupportCase),
        ("/en/organizations/?kind=mission", filters.OrganizationFilter, Organization),
    ]
    queries = []
    for url, filterset_class, model in lists:
        data = QueryDict(url.partition("?")[2])
        queryset = filterset_class(data, queryset=model.objects.published()).qs
        queries.append((url, queryset))
    return queries


def explain_main_queries(out) -> None:
    """Each list's page of rows and its count, as the list's FilterSet builds them."""
    for url, queryset in main_queries():
        rows_sql, rows_params = queryset[:25].values("pk").query.sql_with_params()
        count_sql, count_params = queryset.order_by().values("pk").query.sql_with_params()
        out.write(f"### {url}: the 25 rows of the first page, and the count\n\n```\n")
        for sql, params in [
            (rows_sql, rows_params),
            (f"SELECT COUNT(*) FROM ({count_sql}) page_count", count_params),
        ]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) {sql}", params)
                out.write("\n".join(row[0] for row in cursor.fetchall()) + "\n\n")
        out.write("```\n\n")


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}")
            note = ""
        except DatabaseError:  # past the statement timeout: the plan alone
            cursor.execute(f"EXPLAIN {sql}")
            note = "(ANALYZE cancelled by the statement timeout; the plan without it)\n"
        return note + "\n".join(row[0] for row in cursor.fetchall())


def main():
    OUT.mkdir(exist_ok=True)
    if os.environ.get("BENCH_REUSE_LATENCY"):  # only the EXPLAINs, from the last run's pages
        results = json.loads((OUT / "latency.json").read_text())
    else:
        client = Client(raise_request_exception=False, SERVER_NAME="127.0.0.1")
        results = [report(group, {"group": group} | measure(client, url)) for group, url in pages()]
        (OUT / "latency.json").write_text(json.dumps(results, indent=2))
    with (OUT / "explain.txt").open("w") as out:
        out.write("### The lists' main queries\n\n")
        explain_main_queries(out)
        out.write("### Each page's slowest query\n\n")
        for result in results:
            if result["group"] in ("list", "api", "search") and result.get("slowest_query"):
                out.write(f"### {result['url']} (its slowest query)\n\n```\n")
                out.write(result["slowest_query"][:1500] + "\n\n")
                out.write(explain(result["slowest_query"]) + "\n```\n\n")


def report(group: str, result: dict) -> dict:
    print(
        f"{group:7} {result.get('median_ms', '-'):>8} {result.get('p95_ms', '-'):>8} ms "
        f"(first {result.get('first_ms', '-'):>7}) "
        f"{result.get('queries', '-'):>4} q  {result['status']}  {result['url']}",
        flush=True,
    )
    return result


if __name__ == "__main__":
    main()
