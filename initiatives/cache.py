"""Whole-page cache for anonymous GET requests: pages, feeds and the API.

Every stored page carries the global data version it was rendered at. Any save,
delete or change of links on an initiatives model bumps the version, so the next
request after an edit or a publish renders afresh: nothing stale is ever served, and
no one has to work out which pages an edit touches. The page and the current version
are read in one round trip; an outdated page is replaced when it is next stored.

Only anonymous requests without a session are served from the cache, and only
complete 200 responses that set no cookie and are not marked private are stored
(streamed CSV exports are not). With the local-memory backend each process has its
own cache and its own version, so only one process may serve: use Redis for more.

Costly figures behind the pages (facet counts, records per country, the dashboard)
are kept longer and more narrowly: each table has a version of its own, and a kept
figure stays good until a table its queries read changes (``kept_until_tables_change``).
An edit to a programme leaves the support cases' facet counts alone.
"""

import hashlib
import re
import time
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_request

VERSION_KEY = "portal:data-version"
HIT_HEADER = "X-Page-Cache"
# Requests carrying these cookies may see something personal (a login, a message).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
FORMATS = {
    "application/json": "json",
    "text/csv": "csv",
    "application/atom+xml": "atom",
    "text/calendar": "ics",
}


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, so a lost version never falls back to one used before.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_data_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted)
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def data_changed(sender, **kwargs) -> None:
    # m2m_changed comes from the through model, which is in the app too.
    if getattr(getattr(sender, "_meta", None), "app_label", "") != "initiatives":
        return
    table = sender._meta.db_table

    def bump() -> None:
        bump_data_version()
        bump_table_version(table)

    # Now, so this request and the next see fresh data; and again after commit, so a
    # page rendered by another process before the commit is not kept either.
    bump()
    transaction.on_commit(bump)


def bump_everything() -> None:
    """After writes that send no signals (bulk inserts, raw deletes)."""
    bump_data_version()
    for table in app_tables():
        bump_table_version(table)


# ---- Figures kept until a table they read changes ----

TABLE_VERSION_KEY = "portal:table-version:"
QUOTED_NAME = re.compile(r'"(\w+)"')


def app_tables() -> set[str]:
    """Every table of the app, the many-to-many ones Django creates included."""
    models = apps.get_app_config("initiatives").get_models(include_auto_created=True)
    return {model._meta.db_table for model in models}


def table_versions(tables: Iterable[str]) -> dict[str, int]:
    """The current version of each table, starting any that has none from the clock."""
    keys = {table: TABLE_VERSION_KEY + table for table in tables}
    found = cache.get_many(keys.values())
    for key in keys.values():
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return {table: found[key] for table, key in keys.items()}


def bump_table_version(table: str) -> None:
    try:
        cache.incr(TABLE_VERSION_KEY + table)
    except ValueError:  # no version yet (or evicted)
        cache.add(TABLE_VERSION_KEY + table, time.time_ns(), timeout=None)


class TablesRead:
    """Collects the portal's tables named in the queries run inside the block."""

    def __init__(self):
        self.known = app_tables()
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        self.tables.update(set(QUOTED_NAME.findall(sql)) & self.known)
        return execute(sql, params, many, context)

    def __enter__(self):
        self.wrapper = connection.execute_wrapper(self)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self.wrapper.__exit__(*exc)


def kept_until_tables_change(key: str, compute: Callable, timeout: int):
    """``compute()``'s result, kept under ``key`` until a table its queries read changes.

    The versions are read before computing, so a change made meanwhile makes the kept
    result stale at once rather than hiding behind it.
    """
    entry = cache.get(key)
    if entry is not None:
        versions, value = entry
        if table_versions(versions) == versions:
            return value
    before = table_versions(app_tables())
    with TablesRead() as read:
        value = compute()
    # A result that read no table (a query Django answered without asking) is kept
    # until any table changes, not for ever.
    versions = {table: before[table] for table in read.tables} if read.tables else before
    cache.set(key, (versions, value), timeout)
    return value


def connect_signals() -> None:
    """Called from the app's ready(): any change to an initiatives model bumps the version."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(data_changed, dispatch_uid="portal-page-cache")


def response_format(request) -> str:
    accept = request.headers.get("Accept", "")
    for media_type, name in FORMATS.items():
        if media_type in accept:
            return name
    return "html"


def page_key(request) -> str:
    """What changes the answer: address, query string, language and format."""
    parts = [
        request.scheme,
        request.META.get("HTTP_HOST", ""),
        request.path,
        request.META.get("QUERY_STRING", ""),
        get_language_from_request(request),
        response_format(request),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"portal:page:{digest}"


def may_use_cache(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    return not any(name in request.COOKIES for name in PERSONAL_COOKIES)


def may_store(request, response) -> bool:
    user = getattr(request, "user", None)
    cache_control = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and not cache_control & {"private", "no-cache", "no-store"}
    )


class AnonymousPageCacheMiddleware:
    """Serves and stores whole responses for the public; placed right after WhiteNoise.

    Being near the outside, it sees the response after every inner middleware has
    added its headers and cookies, and a cache hit skips sessions, authentication
    and the view altogether.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or data_version()
        if key in found and found[key][0] == version:
            _version, status, headers, content = found[key]
            response = HttpResponse(content, status=status, headers=headers)
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if may_store(request, response):
            # The version read before rendering: a change meanwhile makes this entry stale.
            entry = (version, response.status_code, dict(response.items()), response.content)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            response[HIT_HEADER] = "miss"
        return response
