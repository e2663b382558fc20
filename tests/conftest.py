import os

import pytest
from django.core.management import call_command
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
