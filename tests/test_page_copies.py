"""Each process's copies of cached pages (initiatives/page_copies.py): a repeated hit
asks Redis nothing, a version another process publishes is heard and ends the copies
of older pages, and no copy is served while the subscription is not known to be alive.

On the suite's Redis (``REDIS_URL``) under a key prefix of this module's own; skipped
without Redis, except in CI (``REQUIRE_SERVICES``).
"""

import os
import time
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from bench.faults import Proxy
from initiatives import cache as page_cache
from initiatives import page_copies
from initiatives.models import Ministry
from portal import redis_cache
from tests import factories as f
from tests.redis_commands import commands_sent

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
PREFIX = f"{os.environ.get('CACHE_KEY_PREFIX', 'test')}-{os.getpid()}-page-copies"
# Longer than the listener needs to connect, or to notice that Redis stopped answering
# (TRUST_FOR after its last reply), on a loaded machine.
PATIENCE = 10


@pytest.fixture(autouse=True)
def redis_cache_of_our_own(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_SERVICES"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    use_redis(settings, REDIS_URL)
    yield
    cache.clear()


def use_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": PREFIX,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    redis_cache._down_until.clear()
    cache.clear()


def eventually(condition, what: str):
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"not within {PATIENCE} s: {what}"
        time.sleep(0.05)


def listening():
    """Starts this process's listener for the current cache and waits until it trusts
    the current version."""
    page_cache.data_version()
    eventually(lambda: page_copies.COPIES.trusted_version() is not None, "the listener hears")


@pytest.fixture
def ministry_url():
    f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups")
    return "/en/ministries/mss/"


def test_a_repeated_hit_is_served_without_asking_redis(ministry_url, monkeypatch):
    listening()
    client = Client()
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "miss"
    sent = commands_sent(monkeypatch)
    response = client.get(ministry_url)
    assert response.status_code == 200
    assert response[page_cache.HIT_HEADER] == "hit"
    assert b"Ministry of SMEs and Startups" in response.content
    assert response["Last-Modified"]
    assert sent == []


def test_a_hit_from_redis_is_one_round_trip(ministry_url, monkeypatch, settings):
    settings.LOCAL_PAGE_COPIES_BYTES = 0
    client = Client()
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "miss"
    sent = commands_sent(monkeypatch)
    response = client.get(ministry_url)
    assert response[page_cache.HIT_HEADER] == "hit"
    assert response["Last-Modified"]  # kept with the page, not asked for again
    assert sent == ["MGET"]


def test_an_edit_shows_at_once_in_the_process_that_made_it(ministry_url):
    listening()
    client = Client()
    client.get(ministry_url)
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "hit"
    Ministry.objects.filter(slug="mss").get().save()
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "miss"


def test_a_version_published_by_another_process_ends_the_older_copies(ministry_url):
    listening()
    client = Client()
    client.get(ministry_url)
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "hit"
    # What another worker's edit does: the version goes up in Redis and is published.
    other = redis.Redis.from_url(REDIS_URL)
    version = other.incr(cache.make_key(page_cache.VERSION_KEY))
    other.publish(page_copies.channel(), str(version))
    eventually(lambda: page_copies.COPIES.version == version, "the new version is heard")
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "miss"
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "hit"


def test_clearing_the_cache_ends_every_copy(ministry_url):
    listening()
    client = Client()
    client.get(ministry_url)
    cache.clear()
    assert page_copies.COPIES.pages == {}
    assert client.get(ministry_url)[page_cache.HIT_HEADER] == "miss"


def test_no_copy_is_served_once_redis_stops_answering(settings, ministry_url):
    """A hung Redis (a proxy holding every byte) can no longer tell of an edit made
    elsewhere: the copies stop being trusted within TRUST_FOR of its last reply."""
    address = urlsplit(REDIS_URL)
    proxy = Proxy((address.hostname, address.port or 6379))
    proxy.start()
    try:
        use_redis(settings, f"redis://127.0.0.1:{proxy.port}{address.path or '/0'}")
        listening()
        client = Client()
        client.get(ministry_url)
        assert client.get(ministry_url)[page_cache.HIT_HEADER] == "hit"
        key = next(iter(page_copies.COPIES.pages))
        proxy.pause()
        eventually(lambda: page_copies.get(key) is None, "the copies are no longer trusted")
        response = client.get(ministry_url)
        assert response.status_code == 200
        assert page_cache.HIT_HEADER not in response  # served uncached, as without copies
    finally:
        proxy.resume()
        proxy.stop()
