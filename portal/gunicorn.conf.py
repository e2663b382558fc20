"""gunicorn's settings for the portal: ``gunicorn portal.wsgi -c portal/gunicorn.conf.py``.

Each value can be changed through the environment (README.md, "Production").

Each worker serves requests on a few threads, so that a request stuck on a hung
database or cache does not stop the worker answering others, the health probe first
among them (it gives up on the database after HEALTH_TIMEOUT seconds and answers 503).

Behind a proxy that ends TLS, gunicorn reports a request as HTTPS to Django only when
it came from an address in ``FORWARDED_ALLOW_IPS`` and that address's
``X-Forwarded-Proto`` says ``https``; from any other address the header is not trusted.
Name the proxy's or load balancer's addresses there (comma-separated; ``*`` trusts
everyone and is only for a host that nothing but the proxy can reach).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# A worker that stops answering the arbiter this long is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")

# The proxies whose X-Forwarded-Proto is believed: by default only one on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The one header the proxy sets; gunicorn's default also believes X-Forwarded-Protocol
# and X-Forwarded-SSL, which a proxy that does not set them would pass on from a client.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
