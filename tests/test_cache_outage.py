"""With Redis down or hung the portal keeps working, uncached: pages answer, editors
save, and the health probe says the cache is degraded. (tests/faults.py does the same
against real services behind a proxy, under load; this is the quick, in-process check.)
"""

import socket
import time

import pytest
from django.core.cache import cache
from django.test import Client

from initiatives import cache as page_cache
from initiatives.models import Ministry
from portal import redis_cache
from tests import factories as f
from tests.admin_forms import admin_url, form_data
from tests.redis_commands import commands_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_redis():
    """A server that takes connections and never answers, as a hung Redis does."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


@pytest.fixture
def stopped_redis():
    """An address where nothing listens, as when Redis is stopped."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


def use_redis_at(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    settings.KEEP_FIGURES = True
    redis_cache._down_until.clear()


@pytest.mark.parametrize("outage", ["stopped_redis", "hung_redis"])
def test_pages_are_served_uncached_while_redis_is_out(request, settings, monkeypatch, outage):
    use_redis_at(settings, request.getfixturevalue(outage))
    f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups")
    redis_cache._down_until.clear()  # the save found Redis out: the requests find it anew
    sent = commands_sent(monkeypatch)
    client = Client()
    for url in [
        "/en/",
        "/en/ministries/",
        "/en/ministries/mss/",
        "/api/ministries/",
        "/sitemap.xml",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert page_cache.HIT_HEADER not in response
    # One failure opens the breaker: the other requests do not ask (or wait on) Redis at
    # all. (A second try is allowed if the requests outlast RETRY_AFTER on a slow machine.)
    assert 1 <= len(sent) <= 2, sent


def test_the_breaker_leaves_redis_alone_then_tries_again(settings, hung_redis, monkeypatch):
    use_redis_at(settings, hung_redis)
    started = time.monotonic()
    assert cache.get("anything") is None
    assert time.monotonic() - started >= 0.2  # the one timeout
    assert not cache.available()
    started = time.monotonic()
    assert cache.get_many(["a", "b"]) == {} and cache.set("a", 1) is None
    assert time.monotonic() - started < 0.05
    clock = time.monotonic() + redis_cache.RETRY_AFTER + 1
    monkeypatch.setattr(redis_cache.time, "monotonic", lambda: clock)
    assert cache.available()


def test_a_refresh_due_when_redis_goes_down_is_left_for_later(settings, stopped_redis):
    """Without the lock no process may refresh; the next request, finding nothing kept,
    counts for itself."""
    use_redis_at(settings, stopped_redis)
    computed = []
    assert page_cache.refresh("probe", lambda: computed.append(1), 60) is False
    assert computed == []
    page_cache.request_started_handler()
    try:
        assert page_cache.kept_until_tables_change("probe", lambda: 7, 60) == 7
        assert not page_cache.figures_refreshing()
    finally:
        page_cache.request_finished_handler()


def test_an_editor_saves_while_redis_is_down(settings, stopped_redis):
    use_redis_at(settings, stopped_redis)
    ministry = f.MinistryFactory(slug="mss", name="Ministry of SMEs and Startups")
    client = f.log_in_verified(Client(), f.AccountFactory(role="editor"))
    url = admin_url(ministry, "change")
    data = form_data(client, url, name="Ministry of SMEs and Startups (renamed)")
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert Ministry.objects.get(slug="mss").name.endswith("(renamed)")


def test_the_health_probe_says_the_cache_is_degraded(settings, stopped_redis):
    use_redis_at(settings, stopped_redis)
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content.startswith(b"degraded")


def test_the_health_probe_is_ok_with_a_working_cache():
    response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
