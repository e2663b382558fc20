"""Each query one page runs, slowest first, with its time: where a page's time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/queries.py "/en/agreements/?country=be" [more addresses]
"""

import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(urls: list[str]) -> None:
    client = Client(raise_request_exception=False, SERVER_NAME="127.0.0.1")
    for url in urls:
        client.get(url)  # warm up
        tick = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        total = (time.perf_counter() - tick) * 1000
        in_db = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(f"\n{url}: {response.status_code}, {total:.0f} ms, {in_db:.0f} ms in queries")
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"])):
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")


if __name__ == "__main__":
    main(sys.argv[1:])
