"""Writes bench/RESULTS.md from what bench/run left in bench/out/.

The hand-written reading of the figures (why a target is missed, what to change)
lives in bench/analysis.md and is copied in after the figures.
"""

import datetime
import json
import os
import platform
import re
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
TARGET_MS = 100
TARGET_RATIO = 0.8


def machine() -> list[str]:
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return [
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} CPUs ({cpu}), {int(memory) // 1024} MiB memory, "
        f"{platform.system()} {platform.release()}",
        f"- PostgreSQL: {(OUT / 'postgres.txt').read_text().strip()}",
        f"- Python {platform.python_version()}",
        *[
            f"- {path.read_text().strip()}"
            for path in [OUT / "loadavg-latency.txt", OUT / "loadavg.txt"]
            if path.exists()
        ],
        "- load averages (1, 5, 15 minutes) well under 1 mean nothing else was running.",
    ]


def wrk_files(name: str) -> list[Path]:
    """The wrk outputs of one load: ``wrk-static-1.txt``… for rounds, or ``wrk-static.txt``."""
    return sorted(OUT.glob(f"wrk-{name}-[0-9].txt")) or [
        path for path in [OUT / f"wrk-{name}.txt"] if path.exists()
    ]


def rounds(name: str) -> list[float]:
    found = (re.search(r"Requests/sec:\s+([\d.]+)", p.read_text()) for p in wrk_files(name))
    return [float(match.group(1)) for match in found if match]


def requests_per_second(name: str) -> float | None:
    """The median of the rounds."""
    measured = rounds(name)
    return statistics.median(measured) if measured else None


def wrk_errors(name: str) -> str:
    lines = [
        line.strip()
        for path in wrk_files(name)
        for line in path.read_text().splitlines()
        if "Non-2xx" in line or "Socket" in line
    ]
    return "; ".join(lines)


def latency_table(results: list[dict]) -> list[str]:
    rows = [
        "| kind | address | status | queries | median ms | p95 ms | samples | p95 < 100 ms "
        "| first ms, nothing kept |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if "p95_ms" not in r:
            note = r.get("note", "")
            rows.append(f"| {r['group']} | `{r['url']}` | {r['status']} | | | | | {note} | |")
            continue
        p95 = r["p95_ms"]
        verdict = (
            "yes" if p95 < TARGET_MS and r["status"] == 200 else f"no ({p95 / TARGET_MS:.1f}×)"
        )
        if r["status"] != 200:
            verdict = f"no: status {r['status']}"
        rows.append(
            f"| {r['group']} | `{r['url']}` | {r['status']} | {r['queries']} | "
            f"{r['median_ms']} | {p95} | {r['samples']} | {verdict} | {r.get('first_ms', '')} |"
        )
    return rows


def load_table() -> list[str]:
    static = requests_per_second("static")
    rows = [
        "| what | address | requests/s (median) | rounds | ratio to the static file | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, what, url in [
        ("static", "static file (WhiteNoise)", "/static/css/portal.<hash>.css"),
        ("cached", "cached page", "/en/agreements/?country=be"),
        ("cached-api", "cached API list", "/api/agreements/?country=be"),
        ("uncached", "uncached filtered list", "/en/agreements/?country=be"),
        ("uncached-api", "uncached API list", "/api/agreements/?country=be"),
    ]:
        rps = requests_per_second(name)
        if rps is None:
            continue
        ratio = f"{rps / static:.2f}" if static else "-"
        each = ", ".join(f"{r:.0f}" for r in rounds(name))
        rows.append(f"| {what} | `{url}` | {rps:.0f} | {each} | {ratio} | {wrk_errors(name)} |")
    return rows


def memory() -> list[str]:
    lines = (OUT / "rss.txt").read_text().split("\n")
    by_server: dict[str, list[int]] = {}
    for line in filter(None, lines):
        server, _pid, mib = line.split()
        by_server.setdefault(server, []).append(int(mib))
    return [
        f"- gunicorn worker RSS after the {server} load: "
        + ", ".join(f"{m} MiB" for m in sizes)
        + f" (mean {statistics.mean(sizes):.0f} MiB)"
        for server, sizes in by_server.items()
    ]


def main(scale: str):
    results = json.loads((OUT / "latency.json").read_text())
    seed = (OUT / "seed.txt").read_text()
    seconds = float(re.search(r"seed_seconds ([\d.]+)", seed).group(1))
    measured = [r for r in results if "p95_ms" in r]
    missed = [r for r in measured if r["p95_ms"] >= TARGET_MS or r["status"] != 200]
    static = requests_per_second("static") or 0
    cached = requests_per_second("cached") or 0
    lines = [
        "# Performance benchmark (issue 6)",
        "",
        "Written by `bench/run` (see its header); the reading of the figures is in the last",
        "section. Re-run with `bench/run` (about 6 minutes at scale 1 on an idle machine).",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        f"## Data: `seed_synthetic --scale {scale}` in {seconds:.0f} s (target: under 120 s)",
        "",
        "```",
        seed.strip(),
        "```",
        "",
        "## Summary",
        "",
        f"- pages measured: {len(measured)}; p95 under {TARGET_MS} ms uncached: "
        f"{len(measured) - len(missed)}; missed: {len(missed)}",
        f"- cached page / static file: {cached / static:.2f}× (target ≥ {TARGET_RATIO})"
        if static
        else "- load test not run",
        "",
        "## Uncached latency and queries per page",
        "",
        "In process through Django's test client, page cache off, DEBUG off, one request",
        "at a time. Each page's first request starts from an empty cache, so it also",
        "computes the figures kept until their tables change (facet counts, counts per",
        "country): it counts the queries and is shown as *first ms*, what the first",
        "visitor after an edit to those tables waits. The samples that follow it are the",
        "median and p95.",
        "",
        *latency_table(results),
        "",
        "## Requests per second under load",
        "",
        "wrk, 2 threads, 16 connections, against gunicorn with 2 workers on 127.0.0.1,",
        "DEBUG off, cache in Redis; the uncached runs use a server with the page cache off.",
        "The static file, the cached page and the cached API list are loaded in turn, three",
        "rounds of 10 s each; the table gives each round and their median.",
        "",
        *load_table(),
        "",
        "## Memory",
        "",
        *memory(),
        "",
        "## EXPLAIN of the main filter queries",
        "",
        "First each list's main queries (its page of rows and its count) as its FilterSet",
        "builds them; then, for each list, search and API address, its slowest query as",
        "the page ran it. All with `EXPLAIN (ANALYZE)`.",
        "",
        (OUT / "explain.txt").read_text(),
    ]
    analysis = BENCH / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text()]
    (BENCH / "RESULTS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1")
