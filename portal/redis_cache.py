"""Django's Redis cache backend, made to fail open, with one client per connection pool.

**Failing open.** The cache only speeds the portal up, so Redis being down or hung
must not take the site down. Every operation runs with short socket timeouts (set in
``CACHES``' OPTIONS) and a Redis error is swallowed: a read misses, a write is
dropped, and the error is logged. After an error the backend stops asking Redis for
``RETRY_AFTER`` seconds (a circuit breaker), so a hung Redis costs one timeout per
process every few seconds rather than one per operation. ``available()`` says
whether the breaker is closed (``/healthz`` reports it).

**One client per pool.** Django's ``RedisCacheClient`` builds a new ``redis.Redis``
for every cache operation. Building one costs more than the round trip to Redis for a
cached page, where a hit is a single MGET (bench/analysis.md). A client is
thread-safe and only wraps its pool, so one per pool serves every request.

**Events.** ``publish()`` sends a message on the cache's channel (named under its key
prefix) and ``subscribe()`` listens to it, for processes that keep something of the
cache's in memory (initiatives/page_copies.py); ``clear()`` publishes ``cleared`` there
and calls ``ON_CLEAR``'s functions in this process.

**Clearing.** ``clear()`` deletes only the cache's own keys when it has a
``KEY_PREFIX`` (``CACHE_KEY_PREFIX``), so users sharing one Redis database, such as
two test runs on one machine, never empty each other's cache. Without a prefix it
empties the database, as Django's does.
"""

import functools
import logging
import re
import time

import redis as redis_py
from django.core.cache.backends import redis

logger = logging.getLogger(__name__)

# Characters that SCAN's MATCH pattern reads as wildcards.
GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")
# After a Redis error, Redis is left alone this long (seconds) before it is tried again.
RETRY_AFTER = 5.0
# When each server (by its address) may next be tried; shared by the process's threads.
_down_until: dict[str, float] = {}
# The channel of publish() and subscribe(), under the cache's key prefix.
EVENTS_CHANNEL = "cache-events"
CLEARED = "cleared"
# Called in this process after clear(): what keeps copies of the cache in memory.
ON_CLEAR: list = []


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


def fails_open(default=None):
    """The operation, or ``default`` when Redis fails or was failing moments ago."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            if not self.available():
                return default() if callable(default) else default
            try:
                return method(self, *args, **kwargs)
            except redis_py.RedisError as error:
                _down_until[self._server_key] = time.monotonic() + RETRY_AFTER
                logger.warning("cache unavailable, serving without it: %s", error)
                return default() if callable(default) else default

        return guarded

    return decorate


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._server_key = ",".join(self._servers)

    def available(self) -> bool:
        """False while the breaker is open: Redis failed less than RETRY_AFTER ago."""
        return time.monotonic() >= _down_until.get(self._server_key, 0.0)

    add = fails_open(False)(redis.RedisCache.add)
    get = fails_open()(redis.RedisCache.get)
    set = fails_open()(redis.RedisCache.set)
    touch = fails_open(False)(redis.RedisCache.touch)
    delete = fails_open(False)(redis.RedisCache.delete)
    get_many = fails_open(dict)(redis.RedisCache.get_many)
    has_key = fails_open(False)(redis.RedisCache.has_key)
    set_many = fails_open(list)(redis.RedisCache.set_many)
    delete_many = fails_open()(redis.RedisCache.delete_many)

    @fails_open()
    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as the portal's version counters expect.
        return super().incr(key, delta, version)

    @fails_open(False)
    def publish(self, message: str) -> bool:
        """Send ``message`` to every subscriber; False when Redis did not take it."""
        self._cache.get_client(write=True).publish(self.make_key(EVENTS_CHANNEL), message)
        return True

    def subscribe(self):
        """A new subscription to the channel (its own connection), confirmed: read it
        with ``get_message()``. Raises when Redis cannot be reached."""
        pubsub = self._cache.get_client(write=True).pubsub()
        pubsub.subscribe(self.make_key(EVENTS_CHANNEL))
        return pubsub

    def clear(self):
        cleared = self.clear_keys()
        for forget in ON_CLEAR:
            forget()
        self.publish(CLEARED)
        return cleared

    @fails_open(False)
    def clear_keys(self):
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(write=True)
        # Keys are "<prefix>:<version>:<key>" (Django's default KEY_FUNCTION).
        pattern = GLOB_SPECIAL.sub(r"\\\1", self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True
