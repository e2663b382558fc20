"""Screenshots of every page kind at a phone's width (390 px) and a laptop's (1,366 px).

    make screenshots            (or: .venv/bin/python bench/screenshots.py [--out DIR])

Serves the local database (`make data` fills it) with Django's runserver on a free
port, opens each page kind in Debian's Chromium (/usr/bin/chromium) through
Playwright, and writes one full-page PNG per page and width into screenshots/.
Pages: the dashboard, a filtered list, a detail page of each collection, a country,
search, the feeds page, in English (and Korean with --korean).
"""

import argparse
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"phone": 390, "desktop": 1366}


def page_addresses() -> dict[str, str]:
    """One address per page kind, from the records in the local database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    from initiatives.models import Country
    from initiatives.registry import COLLECTIONS

    pages = {
        "dashboard": reverse("initiatives:dashboard"),
        "list-agreements-filtered": reverse("initiatives:agreement-list")
        + "?country=be&kind=mou&sort=-signed_on",
        "list-meetings": reverse("initiatives:meeting-list"),
        "search": reverse("initiatives:search") + "?q=startup",
        "countries": reverse("initiatives:country-list"),
    }
    country = Country.objects.filter(code="be").first() or Country.objects.first()
    if country:
        pages["country"] = country.get_absolute_url()
    for collection in COLLECTIONS:
        record = collection.model.objects.published().order_by("pk").first()
        if record:
            pages[f"detail-{collection.route_name}"] = record.get_absolute_url()
    with contextlib.suppress(NoReverseMatch):  # the page about feeds, where there is one
        pages["feeds"] = reverse("initiatives:feeds")
    return pages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer within {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--base-url", help="an already running server (else one is started)")
    parser.add_argument("--korean", action="store_true", help="also every page in Korean")
    parser.add_argument("--only", help="page kinds whose name contains this")
    parser.add_argument("--print", action="store_true", help="as the page prints")
    parser.add_argument("--fold", action="store_true", help="only what the first screen shows")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = page_addresses()
    if args.only:
        pages = {k: v for k, v in pages.items() if args.only in k}

    server = None
    base = args.base_url
    if not base:
        port = free_port()
        env = dict(os.environ, DEBUG="1")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz")
        from playwright.sync_api import sync_playwright

        languages = ["en", "ko"] if args.korean else ["en"]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for language in languages:
                for width in WIDTHS.values():
                    context = browser.new_context(
                        viewport={"width": width, "height": 844 if width < 600 else 900},
                        locale=language,
                        extra_http_headers={"Accept-Language": language},
                        is_mobile=width < 600,
                        has_touch=width < 600,
                        device_scale_factor=1,
                    )
                    page = context.new_page()
                    if args.print:
                        page.emulate_media(media="print")
                    for name, address in pages.items():
                        # A page's language is its address's prefix (/en/…, /ko/…).
                        address = re.sub(r"^/en/", f"/{language}/", address)
                        page.goto(base + address, wait_until="load", timeout=30_000)
                        medium = "-print" if args.print else ""
                        path = out / f"{name}-{language}-{width}{medium}.png"
                        page.screenshot(path=str(path), full_page=not args.fold)
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                    context.close()
            browser.close()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
