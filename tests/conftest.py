import os

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django.live_server_helper import LiveServer


@pytest.fixture(scope="session", autouse=True)
def run_cache():
    """The suite's cache is the configured one: Redis when REDIS_URL is set.

    `make test` gives each run a CACHE_KEY_PREFIX of its own, and clearing the cache
    deletes only the keys under it (portal/redis_cache.py), so runs sharing a Redis
    database keep out of each other's way. The run's keys go when it ends.
    """
    from django.core.cache import cache, caches

    from portal.redis_cache import RedisCache

    if isinstance(caches["default"], RedisCache) and not caches["default"].key_prefix:
        pytest.exit(
            "REDIS_URL without CACHE_KEY_PREFIX: clearing the cache would empty the whole "
            "Redis database. Run the suite with `make test`, which sets both.",
            returncode=3,
        )
    try:
        cache.get("run-cache-probe")
    except Exception as error:
        pytest.exit(
            f"The cache is unreachable ({error}); start Redis, or run "
            "`make test REDIS_URL=` to test on the memory cache.",
            returncode=3,
        )
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def refresh_kept_figures_in_the_request_thread():
    """Outdated kept figures are refreshed after the response in the request's own
    thread, not a thread of their own: the test's data is visible only to its connection
    (its transaction), and a test sees the refresh done when the request returns."""
    from django.conf import settings

    settings.KEPT_REFRESH_IN_BACKGROUND = False


@pytest.fixture(scope="session", autouse=True)
def kept_files_in_a_directory_of_the_run(tmp_path_factory):
    """Whole-collection files are kept in this run's own directory, not the checkout's."""
    from django.conf import settings

    settings.KEPT_FILES_DIR = str(tmp_path_factory.mktemp("kept-files"))


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with static files served as in production.

    Its own static handler answers /static/ from the app folders under plain names
    before the portal sees the request, while the manifest storage links the hashed
    names that only the collected STATIC_ROOT holds (`make test` collects it). Passing
    every request on lets the portal's WhiteNoise serve them, as it does in production.
    """
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.static_handler = lambda handler: handler
    server.start()
    yield server
    server.stop()


@pytest.fixture
def portal_data(db):
    """The portal's fixture data, loaded the way a deployment loads it."""
    call_command("load_portal_data", verbosity=0)


@pytest.fixture(scope="module")
def portal_data_for_module(django_db_setup, django_db_blocker):
    """The portal's fixture data, loaded once for a module and rolled back at its end.

    A module opts in by overriding ``portal_data`` with
    ``def portal_data(portal_data_for_module, db): ...``. The load runs in a transaction
    opened before any test's, after migrations (PostgreSQL's search triggers included);
    each test then runs in a savepoint inside it, so what a test writes is still undone
    after it, and the next module starts from an empty database.
    """
    with django_db_blocker.unblock():
        loaded = transaction.atomic()
        loaded.__enter__()
        call_command("load_portal_data", verbosity=0)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        loaded.__exit__(None, None, None)


def pytest_collection_modifyitems(items):
    """In a module that loads the data once, its tests without the data run first,
    before the load, so they still start from an empty database.

    Only the module's places in the run are swapped among themselves: pytest-django's
    own order (transactional tests last, since they flush the database) stays.
    """

    def once(item) -> bool:
        return "portal_data_for_module" in getattr(item, "fixturenames", ())

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        return bool(
            (marker and marker.kwargs.get("transaction"))
            or "transactional_db" in names
            or "live_server" in names
        )

    places = {}
    for index, item in enumerate(items):
        if not transactional(item):
            places.setdefault(getattr(item, "module", None), []).append(index)
    for indexes in places.values():
        group = [items[index] for index in indexes]
        if any(once(item) for item in group):
            for index, item in zip(indexes, sorted(group, key=once), strict=True):
                items[index] = item


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages: a rolled-back database sends no signal.

    On Redis with a key prefix this deletes the run's own keys only (see run_cache).
    """
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever an earlier one activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Each test starts with no content types cached from an earlier test.

    A test that flushes the database inside its transaction (a restore) has the content
    types made again under new keys, and Django's cache keeps those keys after the
    rollback removes them: a later test's change review would then point at a content
    type that is not there, and drop out of every query that joins it.
    """
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
