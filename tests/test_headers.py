"""Security headers on every kind of response, and markup the Content Security Policy allows."""

import re
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

import initiatives.views.dashboard
from tests.factories import authenticator, current_code, log_in_verified
from tests.site_walk import walk


@pytest.fixture
def portal_data(portal_data_for_module, db):
    """Loaded once for this module; what a test writes is rolled back after it."""


EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# Feeds, exports and the API, wherever the pages do not link to them yet.
EXTRA_STARTS = [
    "/en/agreements/?format=csv",
    "/en/feeds/agreements/",
    "/en/feeds/meetings/",
    "/en/feeds/meetings.ics",
    "/api/",
    "/api/agreements/",
    "/api/schema/",
    "/api/docs/",
    "/sitemap.xml",
    "/robots.txt",
]


def problems_with_headers(response) -> list[str]:
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in EXPECTED.items()
        if response.headers.get(name) != value
    ]
    policy = directives(response.headers.get("Content-Security-Policy", ""))
    for name, sources in {
        "default-src": {"'self'"},
        "script-src": {"'self'"},
        "style-src": {"'self'"},
        "object-src": {"'none'"},
        "frame-ancestors": {"'none'"},
    }.items():
        if policy.get(name) != sources:
            problems.append(f"CSP {name}: {policy.get(name)}")
    return problems


def directives(header: str) -> dict[str, set[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = set(sources)
    return {} if not header else parsed


def assert_secure(responses: dict) -> None:
    failures = {url: problems_with_headers(r) for url, r in responses.items()}
    assert {url: found for url, found in failures.items() if found} == {}


@pytest.fixture
def staff_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    return log_in_verified(Client(), user)


def test_every_public_page_feed_export_and_api_response_carries_the_headers(client, portal_data):
    responses = walk(client, ["/en/", *EXTRA_STARTS])
    kinds = {r.headers.get("Content-Type", "").split(";")[0] for r in responses.values()}
    assert {"text/html", "text/csv", "application/json", "application/atom+xml"} <= kinds
    assert len(responses) > 20
    assert_secure(responses)


@pytest.mark.django_db
def test_errors_redirects_and_the_health_probe_carry_the_headers(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(initiatives.views.dashboard.DashboardView, "get", broken)
    quiet = Client(raise_request_exception=False)
    responses = {
        "404": client.get("/en/agreements/no-such-agreement/"),
        "500": quiet.get("/en/"),
        "301 append slash": client.get("/en/agreements"),
        "405": client.post("/en/agreements/"),
        "400 bad host": client.get("/en/agreements/", HTTP_HOST="evil.example"),
        "healthz": client.get("/healthz"),
        "HEAD": client.head("/en/countries/"),
    }
    assert [r.status_code for r in responses.values()] == [404, 500, 301, 405, 400, 200, 200]
    assert_secure(responses)


@pytest.mark.django_db
def test_static_files_carry_the_headers():
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/css/portal.css")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert_secure({"/static/css/portal.css": response})


def test_admin_pages_carry_the_headers(client, staff_client):
    responses = {
        "login": client.get(reverse("admin:login")),
        "index": staff_client.get(reverse("admin:index")),
        "changelist": staff_client.get(reverse("admin:initiatives_agreement_changelist")),
        "add": staff_client.get(reverse("admin:initiatives_agreement_add")),
    }
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 200)
    assert_secure(responses)


def test_cached_pages_still_carry_the_headers(client, portal_data):
    first, second = client.get("/en/agreements/"), client.get("/en/agreements/")
    assert first.content == second.content
    assert_secure({"first": first, "second": second})


# Markup the policy would block -------------------------------------------------------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
DATA_BLOCK = re.compile(r"""type=["']application/(ld\+)?json["']""", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


def blocked_markup(html: str) -> list[str]:
    """What a policy of 'self' scripts and styles refuses to run or apply."""
    found = [
        f"inline script <script{attrs}>"
        for attrs in SCRIPT_TAG.findall(html)
        if "src=" not in attrs and not DATA_BLOCK.search(attrs)
    ]
    found += [f"event handler {m.group().strip()}" for m in INLINE_HANDLER.finditer(html)]
    found += ["javascript: URL" for _ in re.finditer(r"javascript:", html, re.IGNORECASE)]
    found += [f"style attribute {m}" for m in re.findall(r"""\sstyle\s*=\s*["'][^"']*""", html)]
    found += ["<style> block" for _ in re.finditer(r"<style\b", html, re.IGNORECASE)]
    return found


def test_public_pages_have_no_inline_script_or_style(client, portal_data):
    # /api/docs/ is Swagger UI's own page, checked for scripts alone below.
    responses = walk(client, ["/en/", "/en/search/?q=mou", "/en/agreements/no-such-agreement/"])
    html = {
        url: blocked_markup(r.content.decode())
        for url, r in responses.items()
        if r.headers.get("Content-Type", "").startswith("text/html")
    }
    assert {url: found for url, found in html.items() if found} == {}


def script_problems(html: str) -> list[str]:
    return [
        problem
        for problem in blocked_markup(html)
        if problem.startswith(("inline script", "event handler", "javascript:"))
    ]


@pytest.mark.django_db
def test_api_docs_page_runs_under_the_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert script_problems(response.content.decode()) == []


def test_admin_pages_have_no_inline_script(staff_client, portal_data):
    # The Django admin keeps its data in data- attributes and JSON blocks, so it runs
    # under a 'self' policy; a project template must not bring inline script back.
    agreement = initiatives.models.Agreement.objects.first()
    urls = [
        reverse("admin:index"),
        reverse("admin:initiatives_agreement_changelist"),
        reverse("admin:initiatives_agreement_add"),
        reverse("admin:initiatives_agreement_change", args=[agreement.pk]),
        reverse("admin:initiatives_agreement_delete", args=[agreement.pk]),
    ]
    found = {}
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        scripts = script_problems(response.content.decode())
        if scripts:
            found[url] = scripts
    assert found == {}


# A real browser, reporting what the policy blocked ----------------------------------

CHROMIUM = shutil.which("chromium")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="needs /usr/bin/chromium")
@pytest.mark.django_db(transaction=True)
def test_a_browser_reports_no_policy_violation_on_pages_and_admin(live_server):
    from playwright.sync_api import sync_playwright

    from tests.factories import portal_world

    world = portal_world(size=2)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    device = authenticator(root)
    public = ["/en/", "/en/agreements/?country=be", world["agreements"][0].get_absolute_url()]
    admin = [
        reverse("admin:initiatives_agreement_changelist"),
        reverse("admin:initiatives_agreement_add"),
        reverse("admin:initiatives_agreement_change", args=[world["agreements"][0].pk]),
    ]
    violations = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and violations.append((page.url, message.text))
            ),
        )
        for url in public:
            page.goto(live_server.url + url)
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", "root")
        page.fill("#id_password", "x" * 20)
        page.fill("#id_otp_token", current_code(device))
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + reverse("admin:index"))
        for url in admin:
            page.goto(live_server.url + url)
        # The admin's own scripts loaded and ran under the policy.
        assert page.evaluate("typeof window.django?.jQuery") == "function"
        # Swagger UI starts from its own script file and reads the schema.
        page.goto(live_server.url + "/api/docs/")
        page.wait_for_selector(".swagger-ui .information-container", timeout=20_000)
        browser.close()
    # Swagger UI's page keeps a <style> block of its own: cosmetic, and not ours to change.
    assert [(url, text) for url, text in violations if "/api/docs/" not in url] == []
    assert [text for _url, text in violations if "script" in text] == []


# Methods ------------------------------------------------------------------------------

UNEXPECTED_METHODS = ["TRACE", "PUT", "PATCH", "DELETE", "CONNECT", "PROPFIND", "BREW"]


def test_unexpected_methods_are_refused_with_a_405_on_every_kind_of_address(client, portal_data):
    addresses = [
        "/",
        "/en/",
        "/ko/agreements/",
        "/en/agreements/",
        "/en/agreements/?format=csv",
        "/en/agreements/korea-belgium-sme-startup-mou-2026/",
        "/en/countries/kr/",
        "/en/search/?q=korea",
        "/en/feeds/agreements/",
        "/en/feeds/meetings.ics",
        "/sitemap.xml",
        "/robots.txt",
        "/api/",
        "/api/agreements/",
        "/api/schema/",
        "/api/docs/",
        "/healthz",
        "/static/css/portal.css",
        "/i18n/setlang/",
        "/admin/login/",
        "/no-such-page/",
    ]
    responses = {}
    for url in addresses:
        for method in UNEXPECTED_METHODS:
            response = client.generic(method, url, HTTP_X_SECRET="echo-me")
            assert response.status_code == 405, (method, url, response.status_code)
            assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST", (method, url)
            assert b"echo-me" not in response.content
            responses[f"{method} {url}"] = response
    assert_secure(responses)


def test_the_api_docs_answer_options_without_a_server_error(client):
    assert client.options("/api/docs/").status_code == 405
    assert client.options("/api/schema/").status_code < 500
    assert client.options("/api/agreements/").status_code == 200
