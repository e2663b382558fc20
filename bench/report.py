"""Writes the benchmark's results from what bench/run left in bench/out/scale-N/:

- ``bench/results/scale-N.json``: the figures of that scale, with date and machine;
- ``bench/results/scale-N.md``: every figure of that scale (pages, load, exports,
  memory, seed, EXPLAINs);
- ``bench/RESULTS.md``: the targets of issue 20 at the largest scale measured, how
  each figure grows from the smallest to the largest (a table, and the chart
  ``bench/results/growth.svg``), then the hand-written reading in bench/analysis.md.

    .venv/bin/python bench/report.py 10   # after bench/run --scale 10
    .venv/bin/python bench/report.py      # only RESULTS.md, from the committed JSON files
"""

import datetime
import html
import json
import math
import os
import platform
import re
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
TARGET_MS = 100  # p95 of an uncached page
TARGET_AFTER_EDIT_MS = 300  # the first request after an edit
TARGET_RATIO = 0.9  # a cached page's requests per second / the static file's
TARGET_EXPORT_ROWS = 50_000  # rows per second of a full-collection export
TARGET_SEED_SECONDS = 600  # seed_synthetic at scale 10
TARGET_WORKER_MIB = 250


def out_dir(scale: str) -> Path:
    return Path(os.environ.get("BENCH_OUT", BENCH / "out" / f"scale-{scale}"))


# Reading bench/out/scale-N/ --------------------------------------------------------


def machine(out: Path) -> dict:
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
    return {
        "date": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "machine": f"{os.cpu_count()} CPUs ({cpu}), {int(memory) // 1024} MiB memory, "
        f"{platform.system()} {platform.release()}",
        "postgresql": (out / "postgres.txt").read_text().strip(),
        "python": platform.python_version(),
        "load_averages": [
            first_line
            for path in [out / "seed.txt", out / "loadavg-latency.txt", out / "loadavg.txt"]
            if path.exists()
            for first_line in path.read_text().splitlines()[:1]
            if first_line.startswith("load average")
        ],
    }


def wrk_files(out: Path, name: str) -> list[Path]:
    """The wrk outputs of one load: ``wrk-static-1.txt``… for rounds, or ``wrk-static.txt``."""
    return sorted(out.glob(f"wrk-{name}-[0-9].txt")) or [
        path for path in [out / f"wrk-{name}.txt"] if path.exists()
    ]


def wrk_rounds(out: Path, name: str) -> list[float]:
    found = (re.search(r"Requests/sec:\s+([\d.]+)", p.read_text()) for p in wrk_files(out, name))
    return [float(match.group(1)) for match in found if match]


def wrk_errors(out: Path, name: str) -> str:
    return "; ".join(
        line.strip()
        for path in wrk_files(out, name)
        for line in path.read_text().splitlines()
        if "Non-2xx" in line or "Socket" in line
    )


LOADS = [
    ("static", "static file (WhiteNoise)", "/static/css/portal.<hash>.css"),
    ("cached", "cached page", "/en/agreements/?country=be"),
    ("cached-api", "cached API list", "/api/agreements/?country=be"),
    ("uncached", "uncached filtered list", "/en/agreements/?country=be"),
    ("uncached-api", "uncached API list", "/api/agreements/?country=be"),
]


def worker_memory(out: Path) -> dict[str, list[int]]:
    by_server: dict[str, list[int]] = {}
    path = out / "rss.txt"
    for line in filter(None, path.read_text().split("\n") if path.exists() else []):
        server, _pid, mib = line.split()
        by_server.setdefault(server, []).append(int(mib))
    return by_server


def seed(out: Path) -> dict:
    text = (out / "seed.txt").read_text()
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return {
        "seconds": round(float(re.search(r"seed_seconds ([\d.]+)", text).group(1)), 1),
        "peak_rss_mib": round(int(peak.group(1)) / 1024) if peak else None,
        "log": "\n".join(
            line for line in text.splitlines() if not line.startswith("\t") and line.strip()
        ),
    }


def figures(scale: str) -> dict:
    """Every figure of one run, as bench/results/scale-N.json keeps it."""
    out = out_dir(scale)
    pages = json.loads((out / "latency.json").read_text())
    for page in pages:
        page.pop("slowest_query", None)
    exports_path = out / "exports.json"
    return {
        "scale": scale,
        **machine(out),
        "seed": seed(out),
        "pages": pages,
        "load": {
            name: {"median": statistics.median(r), "rounds": r, "errors": wrk_errors(out, name)}
            for name, _what, _url in LOADS
            if (r := wrk_rounds(out, name))
        },
        "worker_rss_mib": worker_memory(out),
        "exports": json.loads(exports_path.read_text()) if exports_path.exists() else [],
    }


# Tables -----------------------------------------------------------------------------


def ratio(run: dict) -> float | None:
    load = run["load"]
    if "static" in load and "cached" in load:
        return load["cached"]["median"] / load["static"]["median"]
    return None


def verdict(met: bool, missed: str = "") -> str:
    return "yes" if met else f"**no**{f' ({missed})' if missed else ''}"


def page_table(run: dict) -> list[str]:
    rows = [
        "| kind | address | status | queries | median ms | p95 ms | p95 < 100 ms "
        "| after an edit of | first after the edit ms | counts current after | "
        "< 300 ms | first ms, nothing kept |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in run["pages"]:
        if "p95_ms" not in r:
            rows.append(
                f"| {r['group']} | `{r['url']}` | {r['status']} | | | | {r.get('note', '')} "
                "| | | | | |"
            )
            continue
        p95, after = r["p95_ms"], r.get("after_edit_ms")
        fast = verdict(p95 < TARGET_MS and r["status"] == 200, f"{p95 / TARGET_MS:.1f}×")
        if r["status"] != 200:
            fast = f"**no**: status {r['status']}"
        lag = f"{r['current_after_s']} s" if r.get("after_edit_outdated") else "at once"
        rows.append(
            f"| {r['group']} | `{r['url']}` | {r['status']} | {r['queries']} | "
            f"{r['median_ms']} | {p95} | {fast} | {r.get('edited', '')} | "
            f"{after if after is not None else ''} | {lag if after is not None else ''} | "
            f"{verdict(after < TARGET_AFTER_EDIT_MS) if after is not None else ''} | "
            f"{r['first_ms']} |"
        )
    return rows


def load_table(run: dict) -> list[str]:
    load = run["load"]
    static = load.get("static", {}).get("median")
    rows = [
        "| what | address | requests/s (median) | rounds | ratio to the static file | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, what, url in LOADS:
        if name not in load:
            continue
        rps = load[name]["median"]
        each = ", ".join(f"{r:.0f}" for r in load[name]["rounds"])
        share = f"{rps / static:.2f}" if static else "-"
        rows.append(f"| {what} | `{url}` | {rps:.0f} | {each} | {share} | {load[name]['errors']} |")
    return rows


def export_table(run: dict) -> list[str]:
    rows = [
        "| file | rows | seconds | first rows after s | rows/s | rows/s by Python's CPU "
        "| MB | queries | peak RSS MiB | the next request: seconds | rows/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in run["exports"]:
        again = e.get("again", {})
        rows.append(
            f"| `{e['url']}` | {e['rows']:,} | {e['seconds']} | {e['first_rows_seconds']} | "
            f"{e['rows_per_second']:,} | {e['cpu_rows_per_second']:,} | {e['megabytes']} | "
            f"{e['queries']} | {e['peak_rss_mib']} | {again.get('seconds', '')} | "
            f"{again.get('rows_per_second', 0):,} |"
        )
    return rows


def scale_report(run: dict, scale: str) -> str:
    seeded = run["seed"]
    memory = [
        f"- gunicorn worker RSS after the {server} load: "
        + ", ".join(f"{m} MiB" for m in sizes)
        + f" (mean {statistics.mean(sizes):.0f} MiB)"
        for server, sizes in run["worker_rss_mib"].items()
    ]
    explain = out_dir(scale) / "explain.txt"
    return "\n".join(
        [
            f"# Benchmark at scale {scale}",
            "",
            "Written by `bench/run --scale "
            f"{scale}` (see its header); the summary over scales is in ../RESULTS.md.",
            "",
            "## Machine",
            "",
            f"- date: {run['date']}",
            f"- machine: {run['machine']}",
            f"- PostgreSQL: {run['postgresql']}",
            f"- Python {run['python']}",
            *[f"- {line}" for line in run["load_averages"]],
            "- load averages (1, 5, 15 minutes) well under 1 mean nothing else was running.",
            "",
            f"## Data: `seed_synthetic --scale {scale}` in {seeded['seconds']:.0f} s"
            + (f", peak memory {seeded['peak_rss_mib']} MiB" if seeded["peak_rss_mib"] else ""),
            "",
            "```",
            seeded["log"],
            "```",
            "",
            "## Latency, queries, and the first request after an edit, per page",
            "",
            "In process through Django's test client, page cache off, DEBUG off, one request",
            "at a time. *first ms, nothing kept* is the page's first request after the cache",
            "is emptied (it computes every kept figure). The samples that follow give the",
            "median and p95. Then one record of the table named is saved, as an editor's",
            "save does, and the next request is timed (*first after the edit*); where it",
            "served the kept figures while they are refreshed after the response, *counts",
            "current after* says how long until they were.",
            "",
            *page_table(run),
            "",
            "## Requests per second under load",
            "",
            "wrk, 2 threads, 16 connections, against gunicorn with 2 workers on 127.0.0.1,",
            "DEBUG off, cache in Redis; the uncached runs use a server with the page cache",
            "off. The static file, the cached page and the cached API list are loaded in turn,",
            "three rounds of 10 s each; the table gives each round and their median.",
            "",
            *load_table(run),
            "",
            "## Full-collection exports",
            "",
            "In process, the response read chunk by chunk as a server sends it: first as the",
            "first request after an edit writes the file, then as the next request is sent",
            "it (the whole collection's file kept until the data change).",
            "",
            *export_table(run),
            "",
            "## Memory",
            "",
            *memory,
            "",
            "## EXPLAIN of the main filter queries",
            "",
            "First each list's main queries (its page of rows and its count) as its FilterSet",
            "builds them; then, for each list, search and API address, its slowest query as",
            "the page ran it. All with `EXPLAIN (ANALYZE)`.",
            "",
            explain.read_text() if explain.exists() else "(not measured)",
        ]
    )


# Over the scales ----------------------------------------------------------------------


def by_url(run: dict) -> dict[str, dict]:
    return {page["url"]: page for page in run["pages"] if "p95_ms" in page}


def growth(small: float | None, large: float | None) -> str:
    if not small or large is None:
        return ""
    return f"{large / small:.1f}×"


def targets(run: dict) -> list[str]:
    pages = list(by_url(run).values())
    slow = [p for p in pages if p["p95_ms"] >= TARGET_MS or p["status"] != 200]
    late = [p for p in pages if p.get("after_edit_ms", 0) >= TARGET_AFTER_EDIT_MS]
    share = ratio(run)
    seed_seconds = run["seed"]["seconds"]
    workers = [m for sizes in run["worker_rss_mib"].values() for m in sizes]
    exports = run["exports"]
    slowest_export = min(exports, key=lambda e: e["rows_per_second"]) if exports else None

    def named(found: list, key: str) -> str:
        return "; ".join(f"`{p['url']}` {p[key]:.0f} ms" for p in found)

    rows = [
        "| target | measured | met |",
        "| --- | --- | --- |",
        f"| every page p95 < {TARGET_MS} ms uncached | {len(pages) - len(slow)} of "
        f"{len(pages)} pages | {verdict(not slow, named(slow, 'p95_ms'))} |",
        f"| first request after an edit < {TARGET_AFTER_EDIT_MS} ms | "
        f"{len(pages) - len(late)} of {len(pages)} pages | "
        f"{verdict(not late, named(late, 'after_edit_ms'))} |",
        f"| cached page ≥ {TARGET_RATIO}× the static file | "
        + (f"{share:.2f}×" if share else "not measured")
        + f" | {verdict(bool(share) and share >= TARGET_RATIO)} |",
    ]
    if exports:
        rate = slowest_export["rows_per_second"]
        kept = min(e.get("again", {}).get("rows_per_second", 0) for e in exports)
        rows += [
            f"| full-collection export ≥ {TARGET_EXPORT_ROWS:,} rows/s, or a prebuilt file | "
            f"from the kept file: slowest {kept:,} rows/s | "
            f"{verdict(kept >= TARGET_EXPORT_ROWS)} |",
            f"| … as the first request after an edit writes it | slowest "
            f"`{slowest_export['url']}` {rate:,} rows/s; fastest "
            f"{max(e['rows_per_second'] for e in exports):,} | "
            f"{verdict(rate >= TARGET_EXPORT_ROWS)} |",
        ]
    rows += [
        f"| `seed_synthetic --scale {run['scale']}` < {TARGET_SEED_SECONDS} s | "
        f"{seed_seconds:.0f} s | {verdict(seed_seconds < TARGET_SEED_SECONDS)} |",
        f"| memory per worker < {TARGET_WORKER_MIB} MiB | gunicorn workers after the loads: "
        + (f"largest {max(workers)} MiB" if workers else "not measured")
        + f" | {verdict(bool(workers) and max(workers) < TARGET_WORKER_MIB)} |",
    ]
    if exports:
        peak = max(e["peak_rss_mib"] for e in exports)
        rows.append(
            f"| … the process that wrote the exports | peak {peak} MiB (it also holds each "
            "workbook whole, to count its rows) | "
            f"{verdict(peak < TARGET_WORKER_MIB)} |"
        )
    return rows


def growth_table(runs: list[dict]) -> list[str]:
    small = runs[0]
    scales = [run["scale"] for run in runs]
    header = " | ".join(f"p95 ms at {s}" for s in scales)
    after = " | ".join(f"after an edit ms at {s}" for s in scales)
    rows = [
        f"| address | queries at {scales[0]} → {scales[-1]} | {header} | growth | {after} "
        "| growth |",
        "| --- | --- | "
        + " | ".join("---" for _ in scales)
        + " | --- | "
        + " | ".join("---" for _ in scales)
        + " | --- |",
    ]
    pages_of = [by_url(run) for run in runs]
    for url, first in pages_of[0].items():
        last = pages_of[-1].get(url)
        if not last:
            continue
        p95s = " | ".join(str(p.get(url, {}).get("p95_ms", "")) for p in pages_of)
        afters = " | ".join(str(p.get(url, {}).get("after_edit_ms", "")) for p in pages_of)
        rows.append(
            f"| `{url}` | {first['queries']} → {last['queries']} | {p95s} | "
            f"{growth(first['p95_ms'], last['p95_ms'])} | {afters} | "
            f"{growth(first.get('after_edit_ms'), last.get('after_edit_ms'))} |"
        )
    rows += ["", "| figure | " + " | ".join(f"at {s}" for s in scales) + " | growth |"]
    rows.append("| --- | " + " | ".join("---" for _ in scales) + " | --- |")

    def line(what: str, values: list) -> None:
        shown = " | ".join("" if v is None else f"{v:,.2f}".rstrip("0").rstrip(".") for v in values)
        rows.append(f"| {what} | {shown} | {growth(values[0], values[-1])} |")

    line("seed_synthetic, seconds", [run["seed"]["seconds"] for run in runs])
    line("seed_synthetic, peak MiB", [run["seed"]["peak_rss_mib"] for run in runs])
    line("cached page / static file", [ratio(run) for run in runs])
    for name in ("static", "cached", "uncached"):
        line(
            f"requests/s, {name}",
            [run["load"].get(name, {}).get("median") for run in runs],
        )
    for url in [e["url"] for e in small["exports"]]:
        found = [next((e for e in run["exports"] if e["url"] == url), {}) for run in runs]
        line(f"`{url}` rows/s, written", [e.get("rows_per_second") for e in found])
        line(f"`{url}` rows/s, kept", [e.get("again", {}).get("rows_per_second") for e in found])
    line(
        "largest worker RSS, MiB",
        [max((m for s in run["worker_rss_mib"].values() for m in s), default=None) for run in runs],
    )
    return rows


def growth_chart(runs: list[dict]) -> str:
    """An SVG of each page's p95 at each scale, on a logarithmic axis, with the target."""
    pages_of = [by_url(run) for run in runs]
    urls = [url for url in pages_of[0] if url in pages_of[-1]]
    colours = ["#9aa5b1", "#1f4e79", "#c0504d"]
    label_width, plot_width, bar, gap = 360, 420, 6, 6
    row_height = bar * len(runs) + gap
    top = 40
    height = top + row_height * len(urls) + 30
    low, high = 1, 10_000

    def x(ms: float) -> float:
        ms = min(max(ms, low), high)
        return label_width + plot_width * math.log10(ms / low) / math.log10(high / low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + plot_width + 50}" '
        f'height="{height}" font-family="sans-serif" font-size="10">',
        "<title>p95 per page at each scale (ms, logarithmic)</title>",
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for i, run in enumerate(runs):
        parts.append(
            f'<rect x="{label_width + i * 110}" y="8" width="10" height="10" '
            f'fill="{colours[i % len(colours)]}"/>'
            f'<text x="{label_width + i * 110 + 14}" y="17">scale {html.escape(run["scale"])}'
            "</text>"
        )
    for ms in (1, 10, 100, 1000, 10_000):
        parts.append(
            f'<line x1="{x(ms):.1f}" y1="{top - 6}" x2="{x(ms):.1f}" y2="{height - 24}" '
            f'stroke="{"#c00" if ms == TARGET_MS else "#ddd"}"/>'
            f'<text x="{x(ms):.1f}" y="{height - 10}" text-anchor="middle">{ms:,} ms</text>'
        )
    for row, url in enumerate(urls):
        y = top + row * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar * len(runs) / 2 + 3}" '
            f'text-anchor="end">{html.escape(url[:58])}</text>'
        )
        for i, pages in enumerate(pages_of):
            if url in pages:
                parts.append(
                    f'<rect x="{label_width}" y="{y + i * bar}" '
                    f'width="{x(pages[url]["p95_ms"]) - label_width:.1f}" height="{bar - 1}" '
                    f'fill="{colours[i % len(colours)]}"/>'
                )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def summary(runs: list[dict]) -> str:
    largest = runs[-1]
    lines = [
        "# Performance benchmark",
        "",
        "Written by `bench/report.py` from the figures `bench/run --scale N` left in",
        "`bench/results/scale-N.json`; every figure of a scale, with its EXPLAINs, is in",
        "`bench/results/scale-N.md`. The reading of the figures (why a target is missed,",
        "what was changed and measured) is the last section, from bench/analysis.md.",
        "",
        "## Runs",
        "",
        *[
            f"- scale {run['scale']}: {run['date']}; {run['machine']}; {run['postgresql']}"
            f"; Python {run['python']}; " + "; ".join(run["load_averages"])
            for run in runs
        ],
        "",
        f"## Targets at scale {largest['scale']}",
        "",
        *targets(largest),
    ]
    if len(runs) > 1:
        lines += [
            "",
            f"## Growth from scale {runs[0]['scale']} to scale {largest['scale']}",
            "",
            "Each page's p95 uncached and its first request after an edit (ms), the queries",
            "it runs, and the other figures, at each scale; *growth* is the largest scale's",
            "figure over the smallest's.",
            "",
            "![p95 per page at each scale](results/growth.svg)",
            "",
            *growth_table(runs),
        ]
    analysis = BENCH / "analysis.md"
    if analysis.exists():
        lines += ["", analysis.read_text()]
    return "\n".join(lines)


def main(scale: str | None):
    RESULTS.mkdir(exist_ok=True)
    if scale:
        run = figures(scale)
        (RESULTS / f"scale-{scale}.json").write_text(json.dumps(run, indent=1) + "\n")
        (RESULTS / f"scale-{scale}.md").write_text(scale_report(run, scale))
    runs = sorted(
        (json.loads(path.read_text()) for path in RESULTS.glob("scale-*.json")),
        key=lambda run: float(run["scale"]),
    )
    if len(runs) > 1:
        (RESULTS / "growth.svg").write_text(growth_chart(runs))
    (BENCH / "RESULTS.md").write_text(summary(runs))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
