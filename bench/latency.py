"""Uncached latency and queries per page, in process through Django's test Client.

Run by bench/run (which sets up the database and the environment); writes
latency.json and explain.txt in $BENCH_OUT (bench/out/scale-N) for bench/report.py.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
# Only the pages whose address starts with one of these (comma-separated), to measure
# a change again; best with BENCH_OUT set elsewhere, so the full run's figures stay.
ONLY = tuple(filter(None, os.environ.get("BENCH_PAGES", "").split(",")))
# A page slower than this gets fewer samples, so one slow page cannot stall the run.
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS_PER_PAGE", "15"))

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders
from django.core.cache import cache  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from first_after_edit import edit, settled, stale  # noqa: E402

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
    Program,
    Source,
    SupportCase,
)


def a_synthetic(model, **filters) -> str:
    """The slug of a published synthetic record with the most typical links."""
    record = (
        model.objects.published().filter(slug__startswith="syn-", **filters).order_by("pk").first()
    )
    return record.slug if record else "missing"


def pages() -> list[tuple[str, str, type]]:
    """(group, URL, the model whose table an edit touches) for every list with typical
    filters, detail pages, search, countries and regions, API, feeds. The model is the
    largest table the page counts, so the edit outdates its costliest kept figure."""
    ministry = a_synthetic(Ministry, country="kr")
    council = a_synthetic(Council, meetings__isnull=False)
    return [
        ("list", "/en/", Meeting),
        ("list", "/en/agreements/", Agreement),
        ("list", "/en/agreements/?country=be", Agreement),
        ("list", f"/en/agreements/?ministry={ministry}&date_from=2020", Agreement),
        ("list", "/en/agreements/?kind=mou&status=in-force&sort=-signed_on", Agreement),
        ("list", "/en/agreements/?page=200", Agreement),
        ("list", "/en/meetings/", Meeting),
        ("list", "/en/meetings/?date_from=2024", Meeting),
        ("list", "/en/meetings/?date_from=2024&sort=-date", Meeting),
        ("list", f"/en/meetings/?council={council}&format=online", Meeting),
        ("list", "/en/meetings/?country=kr&date_from=2024-01&date_to=2024-06", Meeting),
        ("list", "/en/support-cases/", SupportCase),
        ("list", "/en/support-cases/?country=de&status=resolved", SupportCase),
        ("list", "/en/support-cases/?sector=Cosmetics&sort=-name", SupportCase),
        ("list", "/en/councils/?country=kr&kind=consultative-body", Council),
        ("list", "/en/ministries/?country=kr", Ministry),
        ("list", "/en/organizations/?kind=mission", Organization),
        ("list", "/en/people/", Person),
        ("list", "/en/programs/", Program),
        ("list", "/en/sources/", Source),
        ("list", "/en/countries/", SupportCase),
        ("list", "/en/regions/", SupportCase),
        ("detail", "/en/agreements/korea-belgium-sme-startup-mou-2026/", Agreement),
        ("detail", f"/en/agreements/{a_synthetic(Agreement, councils__isnull=False)}/", Agreement),
        ("detail", f"/en/meetings/{a_synthetic(Meeting, participants__isnull=False)}/", Meeting),
        (
            "detail",
            f"/en/support-cases/{a_synthetic(SupportCase, council__isnull=False)}/",
            SupportCase,
        ),
        ("detail", f"/en/councils/{council}/", Meeting),
        ("detail", f"/en/ministries/{ministry}/", Agreement),
        ("detail", f"/en/organizations/{a_synthetic(Organization, kind='mission')}/", Council),
        ("detail", f"/en/people/{a_synthetic(Person)}/", Meeting),
        ("detail", "/en/sources/synthetic-data/", Meeting),
        ("detail", "/en/countries/be/", SupportCase),
        ("detail", "/en/countries/kr/", SupportCase),
        ("detail", "/en/regions/europe/", SupportCase),
        ("search", "/en/search/?q=Belgium", SupportCase),
        ("search", "/en/search/?q=cosmetics", SupportCase),
        ("search", "/en/search/?q=Synthetic+Company+12", SupportCase),
        ("api", "/api/agreements/", Agreement),
        ("api", "/api/agreements/?country=be", Agreement),
        ("api", "/api/meetings/?date_from=2024", Meeting),
        ("api", "/api/meetings/?page=50", Meeting),
        ("api", "/api/support-cases/?country=de", SupportCase),
        ("api", f"/api/agreements/{a_synthetic(Agreement)}/", Agreement),
        ("api", "/api/countries/", SupportCase),
        ("feed", "/en/feeds/agreements/", Agreement),
        ("feed", "/en/feeds/meetings/?country=kr", Meeting),
        ("feed", "/en/feeds/meetings.ics", Meeting),
        ("export", "/en/agreements/?country=be&format=csv", Agreement),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: Client, url: str, model) -> dict:
    # The first request finds nothing kept (facet counts, counts per country): as the
    # first visitor after the cache is emptied.
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
    # A page that fails (a query past bench/run's statement timeout) is timed once: more
    # samples would only say so again. A slow first request (the kept figures computed)
    # is not a reason to stop: the requests after it are the page's usual time.
    if response.status_code >= 500:
        first_ms = round(first_ms, 1)
        return result | {"samples": 1, "median_ms": first_ms, "p95_ms": first_ms}
    settled(client, url)  # the first request's figures, should it have served some outdated
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
        **after_an_edit(client, url, model),
    }


def after_an_edit(client: Client, url: str, model) -> dict:
    """The first request after an editor saves a record of ``model``: its time, whether
    it served kept figures while they are refreshed, and how long until they are current
    (the page is asked again every 0.2 s meanwhile, as bench/first_after_edit.py does)."""
    edit(model)
    tick = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        b"".join(response)
    after_edit_ms = (time.perf_counter() - tick) * 1000
    outdated = stale(response)
    lag = round(settled(client, url)[1], 1) if outdated else None
    return {
        "edited": model._meta.db_table,
        "after_edit_ms": round(after_edit_ms, 1),
        "after_edit_outdated": outdated,
        "current_after_s": lag,
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
    OUT.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_REUSE_LATENCY"):  # only the EXPLAINs, from the last run's pages
        results = json.loads((OUT / "latency.json").read_text())
    else:
        client = Client(raise_request_exception=False, SERVER_NAME="127.0.0.1")
        results = [
            report(group, {"group": group} | measure(client, url, model))
            for group, url, model in pages()
            if not ONLY or url.startswith(ONLY)
        ]
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
    after = result.get("after_edit_ms", "-")
    if result.get("after_edit_outdated"):
        after = f"{after} (current after {result['current_after_s']} s)"
    print(
        f"{group:7} {result.get('median_ms', '-'):>8} {result.get('p95_ms', '-'):>8} ms "
        f"(first {result.get('first_ms', '-'):>7}, after an edit {after}) "
        f"{result.get('queries', '-'):>4} q  {result['status']}  {result['url']}",
        flush=True,
    )
    return result


if __name__ == "__main__":
    main()
