"""Each process's own copies of the pages it served from the cache, so that most hits
ask Redis nothing.

A page cache hit costs one round trip to Redis (the page and the current data version
in one ``MGET``), which is most of what separates a cached page from a static file
(bench/analysis.md). Each web process therefore also keeps the pages it served or
stored last in memory, each with the data version it was rendered at, and learns of
every new version as it happens: ``cache.bump_data_version`` publishes the new version
on a Redis channel, and a thread in each process listens (``Listener``). A copy is
served only when its version is the version last heard, so an edit is seen by every
process within the time a published message takes to arrive (well under a
millisecond on one host), as it is seen through Redis itself.

Nothing is served from the copies unless the subscription is known to be alive: the
listener pings Redis every ``PING_EVERY`` seconds, and the copies are trusted only for
``TRUST_FOR`` seconds after the last sign of life (a message or a reply). Redis down,
hung or restarted, the listener not yet connected, or a version this process could not
publish: the copies are dropped, and requests go the usual way (which fails open).

Only the Redis cache has a channel to listen on; with the memory cache (one process)
the copies are off, as a hit there asks no server anyway. ``LOCAL_PAGE_COPIES_BYTES``
bounds the memory they take in each process (0 turns them off).
"""

import logging
import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

from portal.redis_cache import CLEARED, EVENTS_CHANNEL, ON_CLEAR

logger = logging.getLogger(__name__)

# How often the listener pings Redis, and how long after its last sign of life the
# copies are still trusted (a paused or unreachable Redis answers no ping).
PING_EVERY = 0.5
TRUST_FOR = 1.5
# After the subscription fails, how long the listener waits before connecting again.
RECONNECT_AFTER = 1.0


class PageCopies:
    """Pages by key, each ``(version, status, headers, content)``, least recently used
    dropped first; served only at the version last heard while the listener is alive.

    The listener hears the cache it was started for (its servers, and its channel under
    the cache's key prefix): a request made under other settings (in tests) starts a
    listener for that cache in its place.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.size = 0
        self.version = None
        self.alive_at = float("-inf")
        self.listener = None

    # ---- Serving -------------------------------------------------------------------

    def get(self, key: str):
        """The copy of ``key`` at the current version, or None."""
        version = self.trusted_version()
        if version is None:
            return None
        with self.lock:
            entry = self.pages.get(key)
            if entry is None or entry[0] != version:
                return None
            self.pages.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        """Keep ``entry`` when it is at the current version and small enough."""
        size = len(entry[3])
        if size > self.max_bytes // 8 or entry[0] != self.trusted_version():
            return
        with self.lock:
            if entry[0] != self.version:  # a new version was heard meanwhile
                return
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old[3])
            self.pages[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _key, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped[3])

    def trusted_version(self):
        """The version last heard, while the listener's last sign of life is recent.
        Starts a listener in a process that has none for this cache (a new worker)."""
        listener = self.listener
        if listener is None or listener.pid != os.getpid() or listener.name != identity():
            self.start()
            return None
        if time.monotonic() - self.alive_at > TRUST_FOR:
            return None
        return self.version

    def start(self) -> None:
        with self.lock:
            old = self.listener
            if old is not None and old.pid == os.getpid() and old.name == identity():
                return  # another thread started it meanwhile
            # A forked worker inherits the parent's copies but not its thread.
            self.drop(alive=False)
            self.listener = Listener(self, identity())
            self.listener.start()

    # ---- What the listener hears (under the lock) ----------------------------------

    def heard(self, version, *, alive: bool = True) -> None:
        """A version published (or read when subscribing): older copies are dropped.
        ``alive``: heard from Redis through the subscription, a sign of its life."""
        with self.lock:
            if version != self.version:
                self.drop(alive=True)
                self.version = version
            if alive:
                self.alive_at = time.monotonic()

    def alive(self) -> None:
        self.alive_at = time.monotonic()

    def forget(self, *, alive: bool = False) -> None:
        """Drop every copy and trust none until a version is heard again."""
        with self.lock:
            self.drop(alive=alive)

    def drop(self, *, alive: bool) -> None:
        self.pages.clear()
        self.size = 0
        self.version = None
        if not alive:
            self.alive_at = float("-inf")


class Listener(threading.Thread):
    """Subscribes to the cache's channel, then reads the current version; pings Redis
    and hears new versions until the connection fails, then connects again. Ends when
    another listener has taken its place."""

    def __init__(self, copies: PageCopies, name: str):
        super().__init__(name=name, daemon=True)
        self.copies = copies
        self.pid = os.getpid()

    @property
    def current(self) -> bool:
        return self.copies.listener is self

    def run(self) -> None:
        while self.current:
            try:
                self.listen()
            except Exception as error:  # noqa: BLE001 - any failure: trust nothing, retry
                logger.debug("page copies: subscription lost: %s", error)
            if self.current:
                self.copies.forget()
                time.sleep(RECONNECT_AFTER)

    def listen(self) -> None:
        pubsub = cache.subscribe()
        try:
            message = pubsub.get_message(timeout=TRUST_FOR)
            if message is None or message["type"] != "subscribe":
                raise ConnectionError("the subscription was not confirmed")
            pinged = float("-inf")
            while self.current:
                if time.monotonic() - pinged >= PING_EVERY:
                    pubsub.ping()
                    pinged = time.monotonic()
                    if self.copies.version is None:
                        # Subscribed before reading: a version published since is heard.
                        self.copies.heard(current_version(), alive=False)
                message = pubsub.get_message(timeout=PING_EVERY)
                if message is not None and self.current:
                    self.hear(message)
        finally:
            pubsub.close()

    def hear(self, message: dict) -> None:
        if message["type"] == "pong":
            self.copies.alive()
        elif message["type"] == "message":
            data = message["data"]
            if data == CLEARED.encode():
                self.copies.forget(alive=True)
            else:
                self.copies.heard(int(data))


def current_version():
    from .cache import VERSION_KEY

    return cache.get(VERSION_KEY)


def channel() -> str:
    """The cache's channel, under its key prefix: which cache the copies are of."""
    return cache.make_key(EVENTS_CHANNEL)


def identity() -> str:
    """Which cache the copies are of: its servers and its channel."""
    return f"{cache._server_key} {channel()}"


def enabled() -> bool:
    return settings.LOCAL_PAGE_COPIES_BYTES > 0 and hasattr(cache, "subscribe")


COPIES = PageCopies(max_bytes=settings.LOCAL_PAGE_COPIES_BYTES)
ON_CLEAR.append(COPIES.forget)


def get(key: str):
    return COPIES.get(key) if enabled() else None


def put(key: str, entry: tuple) -> None:
    if enabled():
        COPIES.put(key, entry)


def published(version) -> None:
    """A new data version: this process hears it at once, the others through the
    channel. When it cannot be sent, this process keeps no copy until it hears a
    version again (the others' subscriptions fail too while Redis does)."""
    if not enabled():
        return
    if version is None or not cache.publish(str(version)):
        COPIES.forget()
    else:
        COPIES.heard(version, alive=False)
