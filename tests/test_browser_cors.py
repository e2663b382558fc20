"""A page on another origin reads the public API, a feed and a CSV export with fetch() in
a real Chromium, and cannot read the admin or send credentials.

The other origin is a page served from another port by a plain HTTP server in this
process; the portal runs on pytest-django's live_server. Run alone with `pytest -m browser`.
"""

import http.server
import threading
from functools import partial

import pytest
from django.urls import reverse

from tests import factories as f
from tests.test_browser_editor import CHROMIUM, browser  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.django_db(transaction=True),
]

OTHER_SITE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Another site</title></head><body><p>Another site</p></body></html>"""


@pytest.fixture
def other_origin(tmp_path):
    """http://127.0.0.1:<port>/: a page of another site (another port is another origin)."""
    (tmp_path / "index.html").write_text(OTHER_SITE)
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


READ = """async ([url, credentials]) => {
  try {
    const response = await fetch(url, {credentials});
    return {status: response.status, body: (await response.text()).slice(0, 2000)};
  } catch (error) {
    return {error: String(error)};
  }
}"""


def test_a_page_on_another_origin_reads_the_public_data(browser, live_server, other_origin):  # noqa: F811
    f.AgreementFactory(slug="cors-visible-mou", name="An MOU read from another site")
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(other_origin)
    portal = live_server.url

    api = page.evaluate(READ, [f"{portal}/api/agreements/", "omit"])
    assert api.get("status") == 200, api
    assert "cors-visible-mou" in api["body"]

    csv = page.evaluate(
        READ, [f"{portal}{reverse('initiatives:agreement-list')}?format=csv", "omit"]
    )
    assert csv.get("status") == 200, csv
    assert "An MOU read from another site" in csv["body"]

    feed = page.evaluate(READ, [f"{portal}{reverse('feeds:agreements')}", "omit"])
    assert feed.get("status") == 200 and "<feed" in feed["body"], feed

    schema = page.evaluate(READ, [f"{portal}/api/schema/", "omit"])
    assert schema.get("status") == 200, schema

    # Never with credentials, and never the admin.
    with_cookies = page.evaluate(READ, [f"{portal}/api/agreements/", "include"])
    assert "error" in with_cookies, with_cookies
    admin = page.evaluate(READ, [f"{portal}/admin/login/", "omit"])
    assert "error" in admin, admin
