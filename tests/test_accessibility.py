"""Every kind of page, in English and in Korean, has no accessibility violation axe-core finds.

Drives Debian's Chromium (/usr/bin/chromium, never `playwright install`) with Playwright
against pytest-django's live_server holding the portal's own data, and runs axe-core
(the npm package: `npm install --no-save --prefix . axe-core vnu-jar`) in each page with
its default rules: WCAG 2.x A and AA, and best practices. Run alone with `pytest -m browser`.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(
        not AXE.exists(), reason="no axe-core: `npm install --no-save --prefix . axe-core vnu-jar`"
    ),
    pytest.mark.django_db(transaction=True),
]

# Swagger UI (drf-spectacular-sidecar's bundle) draws the API docs page in the browser; these
# rules fail inside its own widgets (pale method badges, buttons within buttons, its heading
# levels, a title block outside its own <main>), which the portal does not control.
# Everything else on that page is checked.
THIRD_PARTY_RULES = {
    "api-docs": ["color-contrast", "nested-interactive", "heading-order", "region"],
}

# Pages drawn by script after loading: checked once this element is there.
READY = {"api-docs": "#swagger-ui .opblock"}

# Every violation, with the elements it was found on.
RUN_AXE = """async (skipped) => {
  const rules = Object.fromEntries(skipped.map(id => [id, {enabled: false}]));
  const result = await axe.run(document, {resultTypes: ["violations"], rules});
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ") + "  " + n.failureSummary),
  }));
}"""


def every_kind_of_page() -> dict[str, str]:
    """One address for each kind of page the portal has, from its own data."""
    from initiatives.models import (
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

    pages = {"dashboard": reverse("initiatives:dashboard")}
    for model in [Agreement, Ministry, Council, Meeting, SupportCase]:
        pages.update(kinds_of(model))
    for model in [Organization, Person, Program, Source]:
        pages.update(kinds_of(model))
    agreements = reverse("initiatives:agreement-list")
    meetings = reverse("initiatives:meeting-list")
    pages.update(
        {
            "agreement-list-filtered": f"{agreements}?country=be&country=kr&sort=-signed_on",
            "agreement-list-with-problems": f"{agreements}?country=zz&date_from=2024-13&page=x",
            "agreement-list-nothing-matches": f"{agreements}?q=no-such-agreement-anywhere",
            "meeting-list-filtered": f"{meetings}?format=hybrid&date_from=2024&date_to=2025",
            "organization-list-by-kind": reverse("initiatives:organization-list") + "?kind=mission",
            "country-list": reverse("initiatives:country-list"),
            "country-list-searched": reverse("initiatives:country-list") + "?q=bel",
            "country": reverse("initiatives:country-detail", args=["be"]),
            "region-list": reverse("initiatives:region-list"),
            "region": reverse("initiatives:region-detail", args=["europe"]),
            "search-with-results": reverse("initiatives:search") + "?q=MOU",
            "search-nothing-found": reverse("initiatives:search") + "?q=zzzzqqq",
            "search-empty": reverse("initiatives:search"),
            "not-found": "/en/agreements/no-such-agreement/",
            "api-docs": reverse("api:docs"),
            "admin-login": reverse("admin:login"),
        }
    )
    return pages


def kinds_of(model) -> dict[str, str]:
    name = model.route_name
    record = model.objects.published().order_by("slug").first()
    pages = {f"{name}-list": reverse(f"initiatives:{name}-list")}
    if record is not None:
        pages[name] = record.get_absolute_url()
    return pages


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are
    # still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_no_page_has_an_accessibility_violation(browser, live_server, portal_data, language):
    # The Content Security Policy allows no inline script; the test's own axe is let in.
    context = browser.new_context(
        base_url=live_server.url,
        locale="ko-KR" if language == "ko" else "en-GB",
        extra_http_headers={"Accept-Language": language},
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    axe = AXE.read_text()
    problems = []
    for name, url in every_kind_of_page().items():
        # A page's language is its address's prefix; the others follow Accept-Language.
        url = re.sub(r"^/en/", f"/{language}/", url)
        response = page.goto(url)
        assert response is not None and response.status in (200, 404), f"{name}: {url}"
        if name in READY:
            page.wait_for_selector(READY[name])
        if page.get_attribute("html", "lang") != language:
            problems.append(f"{name} ({url}): <html lang> is not {language!r}")
        page.add_script_tag(content=axe)
        for violation in page.evaluate(RUN_AXE, THIRD_PARTY_RULES.get(name, [])):
            problems.append(
                f"{name} ({url}): {violation['id']} [{violation['impact']}] {violation['help']}\n"
                + "\n".join(f"    {target}" for target in violation["targets"])
            )
    context.close()
    assert not problems, f"{len(problems)} violations in {language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_header_is_one_row_on_a_laptop_with_every_section_beside_the_name(
    browser, live_server, portal_data, language
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1366, "height": 900},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.goto(reverse("initiatives:region-list"))
    header = page.locator(".site-header").bounding_box()
    links = page.locator(".site-menu nav a")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    regions = page.locator(f'.site-menu nav a[href="{reverse("initiatives:region-list")}"]').count()
    name = page.locator(".site-name").bounding_box()
    search = page.locator(".site-search").bounding_box()
    context.close()
    # One row of 44-pixel controls and the padding around it, not two.
    assert header["height"] < 80
    assert len({round(box["y"]) for box in boxes}) == 1
    assert all(box["width"] > 0 for box in boxes)
    assert regions == 1
    assert name["x"] + name["width"] <= boxes[0]["x"] < boxes[-1]["x"] < search["x"]


@pytest.mark.parametrize("width", [390, 1024])
def test_the_sections_fold_behind_menu_where_they_do_not_fit_in_one_row(
    browser, live_server, portal_data, width
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 844}
    )
    page = context.new_page()
    page.goto(reverse("initiatives:dashboard"))
    regions = page.locator(f'.site-menu nav a[href="{reverse("initiatives:region-list")}"]')
    hidden_before = not regions.is_visible()
    page.click(".site-menu > summary")
    shown_after = regions.is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert hidden_before and shown_after
    assert overflow == 0
