"""Django's Redis cache backend, with one client object per connection pool.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every cache operation.
Building one costs more than the round trip to Redis for a cached page, where a hit
is a single MGET (bench/analysis.md). A client is thread-safe and only wraps its pool,
so one per pool serves every request of the process.

``clear()`` deletes only the cache's own keys when it has a ``KEY_PREFIX``
(``CACHE_KEY_PREFIX``), so users sharing one Redis database, such as two test runs
on one machine, never empty each other's cache. Without a prefix it empties the
database, as Django's does.
"""

import re

from django.core.cache.backends import redis

# Characters that SCAN's MATCH pattern reads as wildcards.
GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def clear(self):
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
