"""Whole-page cache for anonymous GET requests: pages, feeds and the API.

Every stored page carries the global data version it was rendered at. Any save,
delete or change of links on an initiatives model bumps the version, so the next
request after an edit or a publish renders afresh: nothing stale is ever served, and
no one has to work out which pages an edit touches. The page and the current version
are read in one round trip; an outdated page is replaced when it is next stored.

Only requests without a live session are served from the cache (a cookie that names
no session is ignored), and only complete 200 responses that set no cookie and are not
marked private or no-store are stored (streamed CSV exports are not; nor is a page
that reports a bad filter). A page's key is its path and its parameters in a
canonical order, so two addresses asking the same question share one entry; a
parameter that no public page reads is redirected away rather than given an entry of
its own. With the local-memory backend each process has its own cache and its own
version, so only one process may serve: use Redis for more.

A page's key also holds its representation as the view would negotiate it: the API's
renderer for the request's ``Accept`` (the schema as JSON or YAML), HTML for pages,
whose format is a parameter. A request for a representation the API does not have is
never served from the cache: the view answers it, with a 406.

Every answer on these addresses carries the HTTP caching headers (``http_headers``):
``Last-Modified`` (the last change of data, or the release), an ``ETag`` (for streamed
exports, from the data version and the key), ``Cache-Control`` (public and short for
the public, ``private`` for staff) and ``Vary``. ``ConditionalGetMiddleware``, outside
this one, answers 304 to ``If-None-Match`` and ``If-Modified-Since``, cached pages included.

Each process also keeps copies of the pages it served last (``page_copies``), and
hears of every new version through Redis: most hits then ask Redis nothing.

The cache fails open (portal/redis_cache.py): with Redis down, pages are served
uncached and figures are counted afresh.

Costly figures behind the pages (facet counts, records per country, the dashboard)
are kept longer and more narrowly: each table has a version of its own, and a kept
figure stays good until a table its queries read changes (``kept_until_tables_change``).
An edit to a programme leaves the support cases' facet counts alone. After an edit to a
table a figure reads, requests are served the figure as it was, marked so (a note on
the page, ``X-Kept-Figures: stale``, and not kept by any cache), while one process
computes it afresh after the response; it lags the edit by seconds, and never by more
than ``KEPT_MAX_STALE_SECONDS`` (bench/analysis.md, "The first visit after an edit,
kept fast").
"""

import functools
import hashlib
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language_from_path, get_language_from_request
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request

from . import page_copies

VERSION_KEY = "portal:data-version"
CHANGED_AT_KEY = "portal:data-changed-at"
HIT_HEADER = "X-Page-Cache"
# When this process started: a release may change any page, so nothing is older.
STARTED_AT = time.time()


def data_version() -> int | None:
    """The current data version; None when the cache cannot tell (Redis is down)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, so a lost version never falls back to one used before.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
        page_copies.published(version)
    return version


def bump_data_version() -> None:
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted)
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    page_copies.published(version)
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)


def last_modified() -> float:
    """When the public data last changed, or this release started, or the day began
    (pages flag what has lapsed or gone quiet by today's date), whichever is latest."""
    changed_at = cache.get(CHANGED_AT_KEY)
    if changed_at is None:
        # Unknown (a new cache, or Redis down): say now, which is never too early.
        changed_at = time.time()
        cache.add(CHANGED_AT_KEY, changed_at, timeout=None)
    today = time.time() // 86400 * 86400
    return max(changed_at, STARTED_AT, today)


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
# When a table reached a version (``bump_table_version``), kept for KEPT_MAX_STALE_SECONDS.
TABLE_CHANGED_AT_KEY = "portal:table-changed-at:"
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
    """Count a change of ``table``, noting when the table reached its new version (how
    long a figure kept at the version before has been outdated)."""
    try:
        version = cache.incr(TABLE_VERSION_KEY + table)
    except ValueError:  # no version yet (or evicted)
        cache.add(TABLE_VERSION_KEY + table, time.time_ns(), timeout=None)
        return
    if version is not None:  # None: the cache is out
        changed_at_key = f"{TABLE_CHANGED_AT_KEY}{table}:{version}"
        cache.set(changed_at_key, time.time(), settings.KEPT_MAX_STALE_SECONDS + 60)


def outdated_for(versions: dict[str, int], current: dict[str, int]) -> float | None:
    """How long a figure kept at ``versions`` has been outdated: since the first change
    it misses, the earliest of its tables' next versions; None when that is no longer
    known (long ago, or the cache lost it)."""
    keys = [
        f"{TABLE_CHANGED_AT_KEY}{table}:{version + 1}"
        for table, version in versions.items()
        if current.get(table) != version
    ]
    found = cache.get_many(keys)
    if not keys or len(found) < len(keys):
        return None
    return time.time() - min(found.values())


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
        _state_readers().append(self)
        return self

    def __exit__(self, *exc):
        _state_readers().remove(self)
        return self.wrapper.__exit__(*exc)


def kept_until_tables_change(key: str, compute: Callable, timeout: int, *, may_lag: bool = True):
    """``compute()``'s result, kept under ``key`` until a table its queries read changes.

    ``may_lag=False`` for what a page shows as the record's own text (a city's Korean
    name), cheap to read again, which must follow an edit at once: it is computed here
    as soon as a table it read changes.

    Once a table changes, a request still gets the figure it kept (an outdated one) at
    once, and the figure is computed afresh after the response (``refresh_after_response``),
    by one process at a time; the page says its counts are being brought up to date.
    Where nothing is kept (a cold cache), outside a request (a command, the refresh
    itself), inside another kept figure's computation, or once the first change the
    kept figure misses is ``KEPT_MAX_STALE_SECONDS`` old (its refreshes failing, or no
    one asking since), it is computed here and now, as before: counts never lag an edit
    by more than that.

    The versions are read before computing, so a change made meanwhile makes the kept
    result stale at once rather than hiding behind it.
    """
    if not settings.KEEP_FIGURES:
        return compute()
    entry = cache.get(key)
    if entry is not None:
        versions, value = entry
        current = table_versions(versions)
        if current == versions:
            for reader in _state_readers():  # a figure computed from this one reads its tables
                reader.tables.update(versions)
            return value
        if may_lag and may_serve_outdated(versions, current):
            _state.pending.setdefault(key, (compute, timeout))
            return value
    return keep(key, compute, timeout)


def keep(key: str, compute: Callable, timeout: int):
    """Compute the figure, keep it with the versions of the tables it read, and return it."""
    before = table_versions(app_tables())
    if None in before.values():  # the cache cannot tell what changed: keep nothing
        return compute()
    with TablesRead() as read:
        value = compute()
    # A result that read no table (a query Django answered without asking) is kept
    # until any table changes, not for ever.
    versions = {table: before[table] for table in read.tables} if read.tables else before
    cache.set(key, (versions, value), timeout)
    return value


# ---- Outdated figures served while they are refreshed (stale-while-revalidate) ----

# Held by the process refreshing a figure; it lapses if that process dies meanwhile.
REFRESH_LOCK_KEY = "portal:kept-refreshing:"
REFRESH_LOCK_SECONDS = 10 * 60
# The header that says a response holds outdated figures (for the API, which has no note).
STALE_HEADER = "X-Kept-Figures"

logger = logging.getLogger(__name__)
# Per thread: ``pending`` ({key: (compute, timeout)} of the figures this request served
# outdated; None outside a request) and ``readers`` (the TablesRead blocks open).
_state = threading.local()


def _state_readers() -> list:
    """The TablesRead blocks open in this thread, innermost last: a kept figure read
    inside one counts as read by each."""
    if not hasattr(_state, "readers"):
        _state.readers = []
    return _state.readers


def may_serve_outdated(versions: dict[str, int], current: dict[str, int]) -> bool:
    """Whether a request may serve a figure kept at ``versions``: only inside a request,
    not while computing another figure (which would keep the outdated one as current),
    and only until the first change it misses is ``KEPT_MAX_STALE_SECONDS`` old."""
    if getattr(_state, "pending", None) is None or _state_readers():
        return False
    age = outdated_for(versions, current)
    return age is not None and age <= settings.KEPT_MAX_STALE_SECONDS


def figures_refreshing() -> bool:
    """Whether this request served a kept figure that is being brought up to date."""
    return bool(getattr(_state, "pending", None))


def request_started_handler(**kwargs) -> None:
    """From here to the response, outdated figures may be served (and are noted)."""
    _state.pending = {}


def request_finished_handler(**kwargs) -> None:
    """After the response: refresh the figures the request served outdated."""
    pending, _state.pending = getattr(_state, "pending", None), None
    if pending:
        refresh_after_response(pending, translation.get_language())


def refresh_after_response(pending: dict, language: str | None) -> None:
    """Refresh in a thread of its own, so that the worker answers the next request at
    once; in the same thread when ``KEPT_REFRESH_IN_BACKGROUND`` is off (the test suite,
    whose data only its own connection sees)."""
    if not settings.KEPT_REFRESH_IN_BACKGROUND:
        refresh_all(pending, language)
        return
    thread = threading.Thread(
        target=refresh_in_background, args=(pending, language), name="kept-refresh", daemon=True
    )
    thread.start()


def refresh_in_background(pending: dict, language: str | None) -> None:
    """The refresh thread: the database connections it opened are its own to close."""
    try:
        refresh_all(pending, language)
    finally:
        connections.close_all()  # this thread's own connections


def refresh_all(pending: dict, language: str | None) -> None:
    with translation.override(language):
        for key, (compute, timeout) in pending.items():
            try:
                refresh(key, compute, timeout)
            except Exception:  # the next request finds it outdated and tries again
                logger.exception("Refreshing the kept figure %s failed", key)


def refresh(key: str, compute: Callable, timeout: int) -> bool:
    """Compute and keep ``key``'s figure unless another process is at it (a lock in the
    cache) or it has been refreshed meanwhile; whether this call computed it."""
    lock, token = REFRESH_LOCK_KEY + key, uuid.uuid4().hex
    if not cache.add(lock, token, REFRESH_LOCK_SECONDS):
        return False
    try:
        entry = cache.get(key)
        if entry is not None and table_versions(entry[0]) == entry[0]:
            return False
        keep(key, compute, timeout)
        return True
    finally:
        if cache.get(lock) == token:
            cache.delete(lock)


def connect_signals() -> None:
    """Called from the app's ready(): any change to an initiatives model bumps the version."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(data_changed, dispatch_uid="portal-page-cache")
    request_started.connect(request_started_handler, dispatch_uid="portal-kept-figures")
    request_finished.connect(request_finished_handler, dispatch_uid="portal-kept-figures")


def resolve_path(path: str):
    """``resolve(path)`` in the language of its prefix (/ko/…), whatever language is
    active: the page cache runs before LocaleMiddleware activates the request's, and
    the language-prefixed addresses resolve only in their own language."""
    with translation.override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        return resolve(path)


@functools.lru_cache(maxsize=4096)
def renderers_of(path: str) -> tuple | None:
    """The renderers of the API view at ``path``; None for a page, which has one."""
    try:
        match = resolve_path(path)
    except Resolver404:
        return None
    view = getattr(match.func, "cls", None)
    renderers = getattr(view, "renderer_classes", None)
    return tuple(renderer() for renderer in renderers) if renderers else None


NEGOTIATION = DefaultContentNegotiation()


def representation(request) -> str | None:
    """The media type the view will answer with, by the request's ``Accept`` as the API
    negotiates it; "html" for pages (their format is a parameter); None when the API
    has nothing the request accepts (the view answers 406)."""
    renderers = renderers_of(request.path_info)
    if renderers is None:
        return "html"
    try:
        renderer, _media_type = NEGOTIATION.select_renderer(Request(request), renderers)
    except NotAcceptable:
        return None
    return renderer.media_type


@functools.cache
def public_parameters() -> frozenset[str]:
    """Every query parameter a public page, export, feed or API answer reads."""
    from .registry import COLLECTIONS

    # "p" is a sitemap page; "cursor" where an API page starts (api/keyset.py).
    names = {"page", "page_size", "cursor", "format", "q", "kind", "sort", "lang", "p"}
    for collection in COLLECTIONS:
        names |= set(collection.filterset.base_filters)
    return frozenset(names)


def canonical_query(request) -> list[tuple[str, list[str]]]:
    """The public parameters, in name order, each with its values in order: the same
    question asked in another order has the same key."""
    known = public_parameters() if reads_filters_only(request) else set(request.GET)
    return sorted((name, sorted(values)) for name, values in request.GET.lists() if name in known)


@functools.lru_cache(maxsize=4096)
def route_of(path: str) -> tuple[str, str, str] | None:
    """(namespace, URL name, view name) of ``path``, or None: resolved once per address
    for the page cache, which runs before Django resolves the request itself."""
    try:
        match = resolve_path(path)
    except Resolver404:
        return None
    return match.namespace, match.url_name, match.view_name


def reads_filters_only(request) -> bool:
    """Whether the page reads no parameters but the lists' filters and pages (the API's
    documentation reads its own)."""
    route = route_of(request.path_info)
    return route is not None and route[2] not in OWN_PARAMETERS


def page_key(request) -> str:
    """What changes the answer: address, parameters, language and representation."""
    parts = [
        request.scheme,
        request.META.get("HTTP_HOST", ""),
        request.path,
        repr(canonical_query(request)),
        # The prefix's language for a page (/ko/…), else the cookie's, ?lang='s or
        # Accept-Language's (the API), as LocaleMiddleware chooses.
        request_language(request),
        repr(representation(request)),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"portal:page:{digest}"


def request_language(request) -> str:
    """The language LocaleMiddleware will answer ``request`` in."""
    return chosen_language(request) or get_language_from_request(request, check_path=True)


def chosen_language(request) -> str | None:
    """The language ``?lang=`` asks for on an address without a language prefix (the
    API), when it is one the portal has."""
    if get_language_from_path(request.path_info):
        return None
    asked = request.GET.get("lang", "")
    return asked if asked in dict(settings.LANGUAGES) else None


def without_unknown_parameters(request) -> str | None:
    """The address without the parameters no public page reads, when it has any."""
    known = public_parameters()
    if all(name in known for name in request.GET) or not reads_filters_only(request):
        return None
    kept = request.GET.copy()
    for name in list(kept):
        if name not in known:
            del kept[name]
    query = kept.urlencode()
    return f"{request.path}?{query}" if query else request.path


def signed_in(request) -> bool:
    """Whether the request's session cookie names a session: a made-up cookie does not,
    so it neither skips the cache nor costs more than one look-up."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    if not hasattr(request, "_signed_in"):  # asked again for the headers, and gzip
        request._signed_in = import_module(settings.SESSION_ENGINE).SessionStore().exists(key)
    return request._signed_in


def may_use_cache(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    return not signed_in(request)


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


def cached_path(request) -> bool:
    """Public pages, exports, feeds and the API; never the admin or the health probe."""
    route = route_of(request.path_info)
    return route is not None and (route[0] in CACHED_NAMESPACES or route[1] in CACHED_ROUTES)


# The URL namespaces and routes whose answers the page cache keeps.
CACHED_NAMESPACES = {"initiatives", "api", "feeds"}
CACHED_ROUTES = {"sitemap", "sitemap-section", "robots"}
# Views that read parameters of their own (Swagger UI's ?script=, the schema's ?lang=).
OWN_PARAMETERS = {"api:schema", "api:docs"}


# How long a browser or a shared cache may keep a public answer, and serve it while it
# asks again; edits show at once on the portal itself, within this time elsewhere.
PUBLIC_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300


def http_headers(request, response) -> None:
    """The caching headers of a public address's answer (module docstring)."""
    if request.method not in ("GET", "HEAD"):
        return
    if renderers_of(request.path_info) is not None:
        patch_vary_headers(response, ["Accept"])
    if response.status_code != 200:
        return
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(last_modified())
    if response.streaming and not response.has_header("ETag"):
        # A streamed export's content is not known before it is sent: it is fixed by
        # the data version, the address, the language and the representation.
        version = data_version()
        if version is not None:
            day = int(time.time() // 86400)
            digest = hashlib.sha256(f"{version}\n{day}\n{page_key(request)}".encode())
            digest = digest.hexdigest()
            response["ETag"] = f'W/"{digest[:32]}"'
    user = getattr(request, "user", None)
    if signed_in(request) or (user is not None and user.is_authenticated):
        patch_cache_control(response, private=True, no_cache=True)
    elif not response.has_header("Cache-Control") and not response.cookies:
        # Staff send a session cookie and must never get a shared cache's public copy.
        patch_vary_headers(response, ["Cookie"])
        patch_cache_control(
            response,
            public=True,
            max_age=PUBLIC_MAX_AGE,
            stale_while_revalidate=STALE_WHILE_REVALIDATE,
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
        if not cached_path(request):
            return self.get_response(request)
        response = self.serve(request)
        http_headers(request, response)
        return response

    def render(self, request):
        """The view's answer; one holding outdated kept figures is marked so, and neither
        the page cache nor a browser keeps it (the figures are current moments later)."""
        response = self.get_response(request)
        if figures_refreshing():
            response[STALE_HEADER] = "stale"
            patch_cache_control(response, no_store=True)
        return response

    def serve(self, request):
        if not may_use_cache(request):
            return self.render(request)
        canonical = without_unknown_parameters(request)
        if canonical is not None:
            return HttpResponsePermanentRedirect(canonical)
        if representation(request) is None:  # the view answers 406
            return self.render(request)
        key = page_key(request)
        entry = page_copies.get(key)
        if entry is not None:
            return self.hit(entry)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or data_version()
        if version is None:  # the cache is unavailable: serve without it
            return self.render(request)
        if key in found and found[key][0] == version:
            page_copies.put(key, found[key])
            return self.hit(found[key])
        response = self.render(request)
        if may_store(request, response):
            # Stored with its caching headers, so a hit need not ask for Last-Modified.
            http_headers(request, response)
            # The version read before rendering: a change meanwhile makes this entry stale.
            entry = (version, response.status_code, dict(response.items()), response.content)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            page_copies.put(key, entry)
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def hit(entry) -> HttpResponse:
        _version, status, headers, content = entry
        response = HttpResponse(content, status=status, headers=headers)
        response[HIT_HEADER] = "hit"
        return response
