"""Production settings: HTTPS only, refuses to start half-configured, and /healthz.

Settings are read once per process, so each production case runs Django in a
subprocess with the environment a deployment would give it.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import OperationalError

import portal.health

MANAGE = str(settings.BASE_DIR / "manage.py")
STRONG_KEY = secrets.token_urlsafe(50)
LOCAL_VARIABLES = {
    "PYTEST_VERSION",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
}


def production_env(tmp_path, **overrides) -> dict[str, str]:
    """The variables README.md's Production section asks for; None removes one."""
    # Outside pytest, with none of the developer's own settings.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in LOCAL_VARIABLES and not name.startswith(("DJANGO_", "SECURE_"))
    }
    env.update(
        SECRET_KEY=STRONG_KEY,
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        ALLOWED_HOSTS="portal.example.org",
        CSRF_TRUSTED_ORIGINS="https://portal.example.org",
        SECURE_PROXY_SSL_HEADER="1",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_the_production_variables(tmp_path):
    env = production_env(tmp_path)
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "too-short-to-be-a-secret",
        "django-insecure-" + secrets.token_urlsafe(50),
        "a" * 60,
        "insecure-key-for-local-development-and-tests-only",
    ],
    ids=["missing", "empty", "short", "django-insecure", "few-characters", "development-key"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    result = run_manage("check", env=production_env(tmp_path, SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("name", ["DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(tmp_path, name):
    result = run_manage("check", env=production_env(tmp_path, **{name: None}))
    assert result.returncode != 0
    assert f"{name} must" in result.stderr


def test_production_is_https_only_with_secure_cookies_and_shared_sessions(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n, None) for n in ["
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS', "
        "'SESSION_ENGINE', 'DEBUG']}))"
    )
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="portal.settings")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://portal.example.org"]
    # Database or cache: any web process on any host can read any session.
    assert values["SESSION_ENGINE"] in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    }


def test_production_redirects_plain_http_except_the_health_probe(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "r = c.get('/en/agreements/', HTTP_HOST='portal.example.org'); "
        "print(r.status_code, r.headers.get('Location')); "
        "r = c.get('/healthz', HTTP_HOST='portal.example.org'); print(r.status_code); "
        "r = c.get('/healthz', HTTP_HOST='portal.example.org', HTTP_X_FORWARDED_PROTO='https'); "
        "print(r.status_code, r.headers.get('Strict-Transport-Security'))"
    )
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="portal.settings")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    redirect, probe, secure_probe = result.stdout.splitlines()
    assert redirect == "301 https://portal.example.org/en/agreements/"
    assert probe == "200"
    assert secure_probe.startswith("200 max-age=31536000")


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers_and_is_never_cached(client):
    client.get("/healthz")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers.get("X-Page-Cache") != "hit"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    class DownConnection:
        vendor = "sqlite"  # the probe's plain path: a cursor on the connection

        def cursor(self):
            raise OperationalError("connection refused")

        def close(self):
            pass

    monkeypatch.setattr(portal.health, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_answers_503_when_postgresql_is_unreachable(tmp_path):
    # Nothing listens on port 1: the connection is refused at once.
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:1/portal",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='portal.example.org', "
        "HTTP_X_FORWARDED_PROTO='https'); print(r.status_code)"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "503"


def test_healthz_accepts_only_safe_methods(client):
    assert client.post("/healthz").status_code == 405


def test_the_language_cookie_is_https_only_same_site_and_out_of_scripts_reach(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().post('/i18n/setlang/', {'language': 'ko', 'next': '/'}, "
        "HTTP_HOST='portal.example.org', HTTP_X_FORWARDED_PROTO='https'); "
        "print(r.status_code); print(r.cookies['django_language'].OutputString())"
    )
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="portal.settings")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    status, cookie = result.stdout.splitlines()
    assert status == "302"
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert attributes["django_language"] == "django_language=ko"
    assert "secure" in attributes and "httponly" in attributes
    assert attributes["samesite"] == "SameSite=Lax"


def test_django_trusts_no_forwarded_proto_header_unless_told_to(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.test import Client; print(s.SECURE_PROXY_SSL_HEADER); "
        "r = Client().get('/robots.txt', HTTP_HOST='portal.example.org', "
        "HTTP_X_FORWARDED_PROTO='https'); print(r.status_code)"
    )
    env = production_env(
        tmp_path, DJANGO_SETTINGS_MODULE="portal.settings", SECURE_PROXY_SSL_HEADER=None
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["None", "301"]


# gunicorn, as README.md runs it ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_over(env: dict[str, str], requests: list[dict[str, str]]) -> list[int]:
    """The statuses gunicorn, started with portal/gunicorn.conf.py, gives for GET
    /robots.txt with each set of headers."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-c", "portal/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        statuses = []
        for headers in requests:
            deadline = time.monotonic() + 30
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    connection.request("GET", "/robots.txt", headers=headers)
                    statuses.append(connection.getresponse().status)
                    connection.close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        return statuses
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [("127.0.0.1", [200, 301, 301]), ("10.0.0.7", [301, 301, 301])],
    ids=["from-the-trusted-proxy", "from-anyone-else"],
)
def test_gunicorn_believes_x_forwarded_proto_only_from_the_proxy_it_is_told_to_trust(
    tmp_path, trusted, expected
):
    env = production_env(tmp_path, SECURE_PROXY_SSL_HEADER=None, FORWARDED_ALLOW_IPS=trusted)
    host = {"Host": "portal.example.org"}
    statuses = served_over(
        env,
        [
            {**host, "X-Forwarded-Proto": "https"},
            {**host},
            # gunicorn's default would also believe these; the portal's config does not.
            {**host, "X-Forwarded-Ssl": "on"},
        ],
    )
    assert statuses == expected
