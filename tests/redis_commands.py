"""Counting what a test's own thread asks Redis, for the page cache's round trips."""

import threading

import redis


def commands_sent(monkeypatch) -> list:
    """The commands this thread sends Redis from now on, by name; not those of other
    threads (the page copies' listener pings Redis on its own)."""
    sent = []
    execute = redis.Redis.execute_command
    thread = threading.get_ident()

    def counted(self, *args, **options):
        if threading.get_ident() == thread:
            sent.append(args[0])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent
