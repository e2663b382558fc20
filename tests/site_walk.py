"""Walk the public site the way a visitor or a crawler does: follow every same-site link.

The headers, escaping and hostile-input tests use it to reach every kind of page,
feed, export and API response that exists, without a list of URLs to keep in step.
"""

import json
import re
from collections import deque
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404

from initiatives.cache import resolve_path

LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#]+)""")
# Absolute addresses in feeds and API bodies, e.g. http://testserver/en/agreements/x/.
ABSOLUTE = re.compile(r"https?://testserver(/[^\s\"'<>]*)")
NOT_PUBLIC = ("/admin/",)
# A page's x-default alternate (in its head and the sitemap) is its address without a
# language prefix, which redirects to the reader's language (tests/test_i18n.py): the
# walk reaches the page itself by its /en/ and /ko/ addresses.
X_DEFAULT = re.compile(r"""<(?:xhtml:)?link\b[^>]*hreflang=["']x-default["'][^>]*>""")


def route_key(url: str) -> tuple:
    """One address per route and set of parameter names: enough to meet every kind (in
    whichever language the walk meets it first; /en/… and /ko/… share their routes)."""
    parts = urlsplit(url)
    match = resolve_path(parts.path)
    return match.view_name, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def path_key(url: str) -> tuple:
    """One address per path and set of parameter names: every record's page."""
    parts = urlsplit(url)
    return parts.path, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def links(response) -> list[str]:
    content_type = response.headers.get("Content-Type", "")
    if response.status_code >= 300 or not content_type.startswith(
        (
            "text/html",
            "application/atom+xml",
            "application/rss+xml",
            "application/json",
            "application/xml",
            "text/xml",
        )
    ):
        return []
    text = X_DEFAULT.sub("", body(response).decode("utf-8", "replace"))
    found = [found.replace("&amp;", "&") for found in LINK.findall(text)]
    # Absolute addresses too are escaped in HTML and XML (a feed's link to a list
    # filtered twice: ?council=x&amp;sub_bodies=exclude).
    found += [found.replace("&amp;", "&") for found in ABSOLUTE.findall(text.replace("\\/", "/"))]
    if content_type.startswith("application/json"):
        found += [
            value for value in re.findall(r'"(/[^"\s]*)"', text) if not value.startswith("//")
        ]
    return [url for url in found if url.startswith("/") and not url.startswith("//")]


def walk(
    client,
    start: list[str],
    *,
    key: Callable[[str], tuple] = route_key,
    limit: int = 400,
) -> dict:
    """Every address reached from ``start`` (at most ``limit``), with its response."""
    seen, responses = set(), {}
    queue = deque(start)
    while queue and len(responses) < limit:
        url = queue.popleft()
        if url.startswith(NOT_PUBLIC) or "/static/" in url:
            continue
        try:
            marker = key(url)
        except Resolver404:
            continue
        if marker in seen:
            continue
        seen.add(marker)
        response = client.get(url)
        responses[url] = response
        queue.extend(links(response))
    return responses


def body(response) -> bytes:
    """The whole body, streamed responses (CSV exports) included; read once, kept."""
    if not hasattr(response, "walked_body"):
        response.walked_body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    return response.walked_body


def json_body(response):
    return json.loads(body(response).decode("utf-8"))
