"""Rows per second of the full-collection exports, in process through Django's test
Client, as bench/latency.py loads the portal (DEBUG off, uncached, gunicorn's start-up).

    DATABASE_URL=postgres://…/a_copy_of_bench_s1 .venv/bin/python bench/exports.py
    .venv/bin/python bench/exports.py /en/meetings/?format=csv   # one address
    BENCH_PROFILE=1 .venv/bin/python bench/exports.py /en/support-cases/?format=csv

Each file is asked for twice: as the first request after an edit writes it, and as
the next one is sent it (a whole collection's file is kept until the data change,
initiatives/kept_files.py). Prints, per file: rows, seconds (and to the first
records), rows/s, the same by this process's CPU time (which other work on a shared
machine disturbs less than the wall clock; the rest is the database's), megabytes,
queries and the process's peak resident memory, then the second request's figures;
with no address given, also writes them to $BENCH_OUT/exports.json for
bench/report.py. The response is consumed chunk by chunk, as a server sends it, so
the memory figure is what a worker holds. ``BENCH_PROFILE`` prints cProfile's top
lines (by own time) for each address instead.
"""

import cProfile
import io
import json
import os
import pstats
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import portal.wsgi  # noqa: E402, F401  (loaded as gunicorn loads it)
from initiatives import cache  # noqa: E402

ADDRESSES = [
    "/en/agreements/?format=csv",
    "/en/meetings/?format=csv",
    "/en/support-cases/?format=csv",
    "/en/agreements/?format=xlsx",
    "/en/meetings/?format=xlsx",
]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export(client: Client, url: str) -> tuple[int, int, int, float]:
    """(rows, bytes, queries, seconds to the first line of records) of one export, its
    body read as a server would send it."""
    size = lines = 0
    first = None
    workbook = io.BytesIO()
    tick = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            if first is None and size:  # the header is the first piece of a CSV
                first = time.perf_counter() - tick
            size += len(chunk)
            lines += chunk.count(b"\n")
            if "xlsx" in url:
                workbook.write(chunk)
    assert response.status_code == 200, (url, response.status_code)
    if "xlsx" in url:
        lines = xlsx_rows(workbook)
    # A CSV line per record (a cell's own line breaks are rare in these collections).
    return lines - 1, size, len(captured.captured_queries), first or time.perf_counter() - tick


def xlsx_rows(workbook: io.BytesIO) -> int:
    """The rows of the workbook's one sheet, header included (its XML's row elements)."""
    with zipfile.ZipFile(workbook) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        with archive.open(sheet) as xml:
            return sum(block.count(b"<row ") for block in iter(lambda: xml.read(1 << 20), b""))


def timed_export(client: Client, url: str) -> dict:
    tick, cpu = time.perf_counter(), time.process_time()
    rows, size, queries, first = export(client, url)
    seconds, cpu = time.perf_counter() - tick, time.process_time() - cpu
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "first_rows_seconds": round(first, 2),
        "rows_per_second": round(rows / seconds) if rows > 0 else None,
        "cpu_rows_per_second": round(rows / cpu) if rows > 0 and cpu else None,
        "megabytes": round(size / 2**20, 1),
        "queries": queries,
        "peak_rss_mib": round(peak_rss_mib()),
    }


def measure(client: Client, url: str) -> dict:
    """The file as the first request after an edit writes it, then as the next one is
    sent it: the kept file (initiatives/kept_files.py), for a whole collection."""
    cache.bump_data_version()  # as an edit does: no kept file is current
    written = timed_export(client, url)
    again = timed_export(client, url)
    print(
        f"{url:34} {written['rows']:>8} rows {written['seconds']:7.2f} s "
        f"(first rows {written['first_rows_seconds']:5.2f} s) "
        f"{written['rows_per_second'] or 0:>9,} rows/s "
        f"(Python's CPU {written['cpu_rows_per_second'] or 0:>9,} rows/s) "
        f"{written['megabytes']:7.1f} MB {written['queries']:>3} q  "
        f"peak RSS {written['peak_rss_mib']:6} MiB | again: {again['seconds']:6.2f} s "
        f"{again['rows_per_second'] or 0:>11,} rows/s {again['queries']:>3} q",
        flush=True,
    )
    return {"url": url, **written, "again": again}


def profile(client: Client, url: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    export(client, url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
    print(f"== {url}\n{out.getvalue()}", flush=True)


def main():
    client = Client(raise_request_exception=True, SERVER_NAME="127.0.0.1")
    if os.environ.get("BENCH_PROFILE"):
        for url in sys.argv[1:] or ADDRESSES:
            profile(client, url)
        return
    results = [measure(client, url) for url in sys.argv[1:] or ADDRESSES]
    if not sys.argv[1:]:  # the benchmark's set, for bench/report.py
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "exports.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
