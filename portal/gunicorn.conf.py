"""gunicorn's settings for the portal: ``gunicorn portal.wsgi -c portal/gunicorn.conf.py``.

Each worker serves requests on a few threads, so that a request stuck on a hung
database or cache does not stop the worker answering others, the health probe first
among them (it gives up on the database after HEALTH_TIMEOUT seconds and answers 503).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# A request taking longer than this is cut off, and the worker restarted.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
