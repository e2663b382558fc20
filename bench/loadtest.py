"""A bounded load test: gunicorn (2 workers) on 127.0.0.1, concurrent clients mixing
lists, filters, search, detail pages, feeds, CSV and the API. Writes bench/LOADTEST.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_load \\
    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/loadtest.py

It runs with the production settings (DEBUG off, HTTPS as a proxy would report it),
migrates and loads the fixtures into DATABASE_URL, builds the static files, and then
runs two phases: the page cache on (as deployed) and off (every request renders).
Each phase stops at LOADTEST_REQUESTS requests or LOADTEST_SECONDS seconds, whichever
comes first. Traffic goes to the loopback address only.
"""

import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"  # loopback only, never another address
CLIENTS = int(os.environ.get("LOADTEST_CLIENTS", "8"))
REQUESTS = int(os.environ.get("LOADTEST_REQUESTS", "1500"))
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "2"))
# How often each kind of address is asked for, as a share of all requests.
SHARES = {"list": 20, "filter": 15, "search": 15, "detail": 25, "feed": 8, "api": 12, "csv": 5}


def production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PYTEST_VERSION"}}
    if not env.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) for the load test's database.")
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_PROXY_SSL_HEADER="1",
        DJANGO_SETTINGS_MODULE="portal.settings",
        **extra,
    )
    return env


def manage(env, *args) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def addresses(env) -> dict[str, list[str]]:
    """The mix, by group: real slugs read from the database the server uses."""
    code = (
        "import django, json; django.setup()\n"
        "from initiatives import models as m\n"
        "kinds = {'agreements': m.Agreement, 'councils': m.Council, 'meetings': m.Meeting,"
        " 'people': m.Person, 'organizations': m.Organization, 'ministries': m.Ministry}\n"
        "print(json.dumps({k: list(v.objects.published().values_list('slug', flat=True)[:30])"
        " for k, v in kinds.items()}))"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    slugs = json.loads(out.stdout)
    details = [f"/en/{kind}/{slug}/" for kind, found in slugs.items() for slug in found]
    return {
        "list": ["/en/", "/en/agreements/", "/en/meetings/", "/en/councils/", "/en/support-cases/",
                 "/en/organizations/", "/en/people/", "/en/countries/", "/en/countries/be/"],
        "filter": ["/en/agreements/?country=be", "/en/agreements/?country=kr&date_from=2024",
                   "/en/meetings/?sort=-held_on", "/en/agreements/?status=signed&kind=mou",
                   "/en/organizations/?country=kr&page=2", "/en/agreements/?ministry=mss"],
        "search": ["/en/search/?q=mou", "/en/search/?q=startup", "/en/search/?q=Belgium",
                   "/en/agreements/?q=korea", "/en/search/?q=KOSME"],
        "detail": details,
        "feed": ["/en/feeds/agreements/", "/en/feeds/meetings/", "/en/feeds/meetings.ics",
                 "/en/feeds/agreements/?country=be"],
        "api": ["/api/agreements/", "/api/meetings/?country=kr", "/api/councils/",
                "/api/agreements/?page_size=100", "/api/countries/"],
        "csv": ["/en/agreements/?format=csv", "/en/meetings/?format=csv&country=be"],
    }  # fmt: skip


def start_gunicorn(env, port) -> subprocess.Popen:
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "portal.wsgi", "--bind", f"{HOST}:{port}",
         "--workers", str(WORKERS), "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def fetch(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def run_phase(port: int, mix: dict[str, list[str]]) -> dict:
    chooser = random.Random(7)  # the same sequence every run
    groups = chooser.choices(list(SHARES), weights=list(SHARES.values()), k=REQUESTS)
    order = [(group, chooser.choice(mix[group])) for group in groups]
    lock = threading.Lock()
    results: list[tuple[str, str, int, float]] = []
    started = time.monotonic()
    deadline = started + SECONDS

    def one(item):
        group, path = item
        if time.monotonic() > deadline:
            return
        begin = time.monotonic()
        try:
            status, _size = fetch(port, path)
        except OSError as problem:
            status = f"{type(problem).__name__}"
        with lock:
            results.append((group, path, status, time.monotonic() - begin))

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(one, order))
    return {"elapsed": time.monotonic() - started, "results": results}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(name: str, phase: dict) -> list[str]:
    results, elapsed = phase["results"], phase["elapsed"]
    errors = [(path, status) for _g, path, status, _t in results if status != 200]
    by_group = defaultdict(list)
    for group, _path, _status, seconds in results:
        by_group[group].append(seconds * 1000)
    lines = [
        f"### {name}",
        "",
        f"{len(results)} requests in {elapsed:.1f} s ({len(results) / elapsed:.0f} requests/s), "
        f"{CLIENTS} concurrent clients; **{len(errors)} errors**"
        + (f": {Counter(errors).most_common(5)}" if errors else "."),
        "",
        "| group | requests | median ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    everything = [t for times in by_group.values() for t in times]
    for group, times in [*sorted(by_group.items()), ("all", everything)]:
        lines.append(
            f"| {group} | {len(times)} | {statistics.median(times):.0f} | "
            f"{percentile(times, 0.95):.0f} | {percentile(times, 0.99):.0f} | {max(times):.0f} |"
        )
    return [*lines, ""]


def git_commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip() or "unknown"


def main() -> int:
    env = production_env()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_portal_data", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    mix = addresses(env)
    report = [
        "# Load test",
        "",
        "Written by `bench/loadtest.py` (see its docstring to run it again). gunicorn with "
        f"{WORKERS} sync workers on {HOST}, production settings (DEBUG off, HTTPS as reported "
        "by a proxy), the fixture data in PostgreSQL; each client draws addresses at random "
        "from the mix below. Each phase stops at "
        f"{REQUESTS} requests or {SECONDS:.0f} s. Commit `{git_commit()}`, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, on a 2-core machine shared "
        f"with other work (load average {os.getloadavg()[0]:.1f} at the start), so the "
        "figures are a floor rather than a promise.",
        "",
        "Mix (share of requests, distinct addresses): "
        + "; ".join(f"{group} {SHARES[group]}% ({len(paths)})" for group, paths in mix.items())
        + ".",
        "",
    ]
    total_errors = 0
    cache_note = "Redis (`REDIS_URL`)" if env.get("REDIS_URL") else "per-process memory"
    for name, seconds in [(f"Page cache on: {cache_note}", "600"), ("Page cache off", "0")]:
        port = free_port()
        server = start_gunicorn({**env, "PAGE_CACHE_SECONDS": seconds}, port)
        try:
            phase = run_phase(port, mix)
        finally:
            stop(server)
        report += summary(name, phase)
        total_errors += sum(1 for *_rest, status, _t in phase["results"] if status != 200)
    (ROOT / "bench" / "LOADTEST.md").write_text("\n".join(report), encoding="utf-8")
    print("\n".join(report))
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
