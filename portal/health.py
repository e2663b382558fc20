"""``/healthz``: what a load balancer probes to decide whether to send this process traffic.

- 200 ``ok`` when the database answers within ``HEALTH_TIMEOUT`` seconds and the
  cache works;
- 200 ``degraded`` when the database answers but the cache does not: the portal then
  serves every page uncached, slower but whole, so the process should keep traffic;
- 503 when the database does not answer in time (down, or hung): nothing can be served.

The database is asked over a connection of its own, opened with a connect timeout and
a statement timeout, so a hung server gives a quick 503 rather than a hung probe.
"""

import secrets
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def within(seconds: float, check) -> bool:
    """``check()``'s answer, or False when it has none within ``seconds``. The check goes
    on in its thread until its own timeouts end it; the probe does not wait for it."""
    answer = []
    thread = threading.Thread(target=lambda: answer.append(check()), daemon=True)
    thread.start()
    thread.join(seconds)
    return bool(answer and answer[0])


def database_answers() -> bool:
    timeout = settings.HEALTH_TIMEOUT
    if connection.vendor != "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                return cursor.fetchone() == (1,)
        except DatabaseError:
            return False
        finally:
            connection.close()  # this thread's own connection
    params = connection.get_connection_params()
    params["connect_timeout"] = 2  # libpq's least; within() answers sooner
    params["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    try:
        probe = connection.get_new_connection(params)
    except Exception:  # psycopg raises its own errors here, before Django wraps them
        return False
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False
    finally:
        probe.close()


def cache_works() -> bool:
    token = secrets.token_hex(8)
    cache.set("portal:healthz", token, 10)
    return cache.get("portal:healthz") == token


@never_cache
@require_safe
def healthz(request):
    if not within(settings.HEALTH_TIMEOUT, database_answers):
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if not cache_works():
        return HttpResponse(
            "degraded: cache unavailable, pages served uncached\n", content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")
