import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# A request's statement runs at most this long (milliseconds) on PostgreSQL; see settings.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "20000")

application = get_wsgi_application()

# What start-up loads lives as long as the process. Frozen, the garbage collector's
# full passes leave it alone instead of walking it in the middle of a request now and
# then, which cut the slowest requests of the heavier pages (bench/analysis.md).
get_resolver().url_patterns  # noqa: B018  (loads the URLconf, and with it the views)
gc.freeze()
