"""Fault injection: the portal under load while its services fail.

Runs gunicorn (2 workers) as in production, with PostgreSQL and Redis reached through
TCP proxies that this script stops (connections refused and cut) and pauses (bytes
held: a hung server), and kills a worker mid-load. Load is a few threads on loopback,
bounded in count and time. For each fault it prints the requests, the server errors,
the slowest answer and how long the portal took to recover, and it exits non-zero
when the portal fell short:

- Redis stopped or hung: every page answers 200 (uncached), none slower than 2 s;
- PostgreSQL hung: /healthz answers 503 within 2 s;
- PostgreSQL stopped: pages answer 503 (never hang), /healthz 503;
- after each fault ends, and after a worker is killed, every page answers 200 again
  within 10 s, with no restart.

Usage (PostgreSQL and Redis on their usual ports; the database is made afresh):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/faults python bench/faults.py
"""

import contextlib
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGES = [
    "/en/",
    "/en/agreements/",
    "/en/meetings/?country=kr",
    "/en/countries/be/",
    "/api/agreements/",
    "/en/feeds/agreements/",
    "/en/search/?q=Belgium",
]
THREADS = 4
REQUEST_TIMEOUT = 15
PHASE_SECONDS = 6
RECOVERY_LIMIT = 10.0


# A TCP proxy that can be stopped and paused ------------------------------------------


class Proxy:
    """Forwards 127.0.0.1:<port> to a target. ``stop()`` refuses and cuts connections,
    as a stopped server does; ``pause()`` keeps them but holds every byte, as a hung
    server does; ``resume()`` / ``start()`` undo either."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.paused = threading.Event()
        self.listener = None
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()

    def start(self):
        self.paused.clear()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(128)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        listener, self.listener = self.listener, None
        if listener:
            listener.close()
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for end in pair:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def pause(self):
        self.paused.set()

    def resume(self):
        self.paused.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client, upstream):
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, upstream)
        selector.register(upstream, selectors.EVENT_READ, client)
        try:
            while True:
                if self.paused.is_set():
                    time.sleep(0.05)
                    continue
                for key, _events in selector.select(timeout=0.1):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            client.close()
            upstream.close()


# Load ----------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float
    path: str
    status: int  # 0: no answer (refused, cut, or timed out)
    seconds: float


@dataclass
class Load:
    base: str
    answers: list[Answer] = field(default_factory=list)
    running: threading.Event = field(default_factory=threading.Event)
    # When each thread's request in flight started.
    asking: dict[int, float] = field(default_factory=dict)

    def start(self):
        self.running.set()
        for n in range(THREADS):
            threading.Thread(target=self._run, args=(n,), daemon=True).start()

    def stop(self):
        self.running.clear()

    def _run(self, offset):
        # A search of its own on every round: a page no cache holds, read from the database.
        paths = [*PAGES, "/healthz", None]
        i = offset
        while self.running.is_set():
            path = paths[i % len(paths)] or f"/en/agreements/?q=fault{offset}x{i}"
            i += 1
            self.asking[offset] = time.monotonic()
            self.answers.append(get(self.base, path))
            del self.asking[offset]


def get(base, path) -> Answer:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, urllib.error.URLError):
        status = 0
    return Answer(started, path, status, time.monotonic() - started)


# The run -------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    answers: list[Answer]
    waiting: int = 0  # requests unanswered for over a second when the fault ended
    recovery: float | None = None
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        pages = [a for a in self.answers if a.path != "/healthz"]
        unavailable = sum(1 for a in pages if a.status == 503)
        errors = sum(1 for a in pages if a.status >= 500 and a.status != 503)
        lost = sum(1 for a in pages if a.status == 0)
        slowest = max((a.seconds for a in pages), default=0.0)
        median = statistics.median([a.seconds for a in pages]) if pages else 0.0
        health = sorted({a.status for a in self.answers if a.path == "/healthz"})
        recovery = "-" if self.recovery is None else f"{self.recovery:.1f} s"
        return (
            f"{self.name:<20} {len(pages):>6} {unavailable:>5} {errors:>5} {lost:>5} "
            f"{self.waiting:>8} {median * 1000:>7.0f} {slowest:>7.2f} "
            f"{str(health):>12} {recovery:>9}"
        )


def during(load: Load, name: str, seconds: float, since: float | None = None) -> Phase:
    """What the load got while a fault lasted ``seconds`` (counted from ``since``, when
    the fault began, if that was before)."""
    start = since or time.monotonic()
    time.sleep(seconds)
    answers = [a for a in list(load.answers) if a.at >= start]
    # Requests unanswered for over a second when the fault ends (a hung service).
    now = time.monotonic()
    waiting = sum(1 for asked in list(load.asking.values()) if now - asked > 1.0)
    return Phase(name, answers, waiting)


def recovered(base: str) -> float | None:
    """Seconds until every page answers 200 again (None: not within the limit)."""
    start = time.monotonic()
    while time.monotonic() - start < RECOVERY_LIMIT:
        if all(get(base, path).status == 200 for path in [*PAGES, "/healthz"]):
            return time.monotonic() - start
        time.sleep(0.2)
    return None


def health_latency(base: str) -> tuple[int, float]:
    answer = get(base, "/healthz")
    return answer.status, answer.seconds


def run(database_url: str, redis_url: str) -> int:
    db = urlsplit(database_url)
    redis = urlsplit(redis_url)
    pg_proxy = Proxy((db.hostname or "127.0.0.1", db.port or 5432))
    redis_proxy = Proxy((redis.hostname or "127.0.0.1", redis.port or 6379))
    pg_proxy.start()
    redis_proxy.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    static_root = tempfile.mkdtemp(prefix="faults-static-")
    server_log = open(Path(static_root) / "gunicorn.log", "w")  # noqa: SIM115 (the server's)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "fault-injection-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "DATABASE_URL": urlunsplit(
            db._replace(netloc=f"{db.username or 'postgres'}@127.0.0.1:{pg_proxy.port}")
        ),
        "REDIS_URL": urlunsplit(redis._replace(netloc=f"127.0.0.1:{redis_proxy.port}")),
        "CACHE_KEY_PREFIX": f"faults-{os.getpid()}",
        "HEALTH_TIMEOUT": "1.5",
        # No recycling of workers after so many requests during the run: the faults
        # are the ones injected (a worker is killed on purpose, below).
        "GUNICORN_MAX_REQUESTS": "0",
    }
    direct = {**env, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    fresh_database(database_url)
    for command in (
        ["migrate", "-v0"],
        ["load_portal_data", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=direct, check=True)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-c",
            str(ROOT / "portal" / "gunicorn.conf.py"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log,
    )
    phases: list[Phase] = []
    try:
        if recovered(base) is None:
            print("the portal did not start", file=sys.stderr)
            return 1
        load = Load(base)
        load.start()
        phases.append(during(load, "normal", 3))

        redis_proxy.stop()
        phase = during(load, "Redis stopped", PHASE_SECONDS)
        redis_proxy.start()
        phase.recovery = recovered(base)
        phases.append(phase)
        expect_all_pages_answer(phase)

        redis_proxy.pause()
        phase = during(load, "Redis hung", PHASE_SECONDS)
        redis_proxy.resume()
        phase.recovery = recovered(base)
        phases.append(phase)
        expect_all_pages_answer(phase)

        began = time.monotonic()
        pg_proxy.pause()
        time.sleep(0.5)
        status, seconds = health_latency(base)
        phase = during(load, "PostgreSQL hung", PHASE_SECONDS, since=began)
        if status != 503 or seconds > 2.0:
            phase.problems.append(
                f"/healthz answered {status} in {seconds:.2f} s (want 503 within 2 s)"
            )
        pg_proxy.resume()
        phase.recovery = recovered(base)
        phases.append(phase)

        began = time.monotonic()
        pg_proxy.stop()
        phase = during(load, "PostgreSQL stopped", PHASE_SECONDS, since=began)
        pages = [a for a in phase.answers if a.path != "/healthz"]
        if any(a.status not in (200, 503) for a in pages):
            phase.problems.append("a page answered other than 200 (cached) or 503")
        if not any(a.status == 503 for a in pages):
            phase.problems.append("no uncached page was asked for: the fault was not seen")
        if any(a.seconds > 5 for a in pages):
            phase.problems.append("a page took over 5 s with the database refusing")
        pg_proxy.start()
        phase.recovery = recovered(base)
        phases.append(phase)

        workers = child_pids(server.pid)
        if workers:
            os.kill(workers[0], signal.SIGKILL)
        phase = during(load, "worker killed", 3)
        phase.recovery = recovered(base)
        phases.append(phase)
        load.stop()
        time.sleep(1)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        pg_proxy.stop()
        redis_proxy.stop()

    print(
        f"{'fault':<20} {'pages':>6} {'503':>5} {'5xx':>5} {'lost':>5} {'waiting':>8} "
        f"{'p50 ms':>7} {'max s':>7} {'/healthz':>12} {'recovery':>9}"
    )
    failed = False
    for phase in phases:
        print(phase.line())
        if any(a.status == 0 for a in phase.answers):
            phase.problems.append("a request got no answer (refused or cut)")
        if any(a.status >= 500 and a.status != 503 for a in phase.answers):
            phase.problems.append("a server error other than 503")
        if phase.name != "normal" and phase.recovery is None:
            phase.problems.append(f"not every page answered 200 within {RECOVERY_LIMIT:.0f} s")
        for problem in phase.problems:
            failed = True
            print(f"  FAULT NOT HANDLED ({phase.name}): {problem}")
    if failed:
        print("gunicorn's log, last lines:")
        lines = Path(server_log.name).read_text(errors="replace").splitlines()
        print("\n".join(lines[-40:]))
    print("fault injection: " + ("FAILED" if failed else "every fault handled"))
    return 1 if failed else 0


def expect_all_pages_answer(phase: Phase):
    pages = [a for a in phase.answers if a.path != "/healthz"]
    bad = [a for a in pages if a.status != 200]
    if bad:
        phase.problems.append(f"{len(bad)} of {len(pages)} pages did not answer 200")
    slow = max((a.seconds for a in pages), default=0.0)
    if slow > 2.0:
        phase.problems.append(f"the slowest page took {slow:.1f} s")


def fresh_database(url: str):
    """Drops and creates the database ``url`` names (never the one the tests use)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in {"", "postgres", "test"}:
        sys.exit(f"refusing to recreate the database {name!r}: name one for the faults")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def child_pids(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in found.stdout.split()]


if __name__ == "__main__":
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/faults")
    redis_url = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/12")
    if not database_url.startswith("postgres"):
        sys.exit("the fault injection runs against PostgreSQL: set DATABASE_URL")
    sys.exit(run(database_url, redis_url))
