"""Settings for the SME Globalization Initiatives Portal.

One module, configured by environment variables:

- ``DEBUG``: ``1`` for local development (default off).
- ``SECRET_KEY``: required unless DEBUG is on.
- ``ALLOWED_HOSTS``: comma-separated host names.
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/name``; a local SQLite file
  (``db.sqlite3``) when unset, which production refuses.
- ``REDIS_URL``, ``CACHE_KEY_PREFIX``: the shared cache.
- ``STATIC_ROOT``: where ``collectstatic`` writes (``staticfiles/`` by default).
- ``TRUSTED_PROXY_COUNT``: how many proxies in front of the portal append to
  ``X-Forwarded-For`` (0 by default: the header is ignored).
- HTTPS and the rest of production: see README.md, "Production".

Nothing here knows whether tests are running: the suite runs this configuration,
production cache and static storage included, with what ``make test`` puts in the
environment (README.md, "Run it").
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Anything but local development is production: it refuses to start without what it
# needs (README, Production). The test suite is given all of that by `make test`.
PRODUCTION = not DEBUG

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-key-for-local-development-and-tests-only"
elif PRODUCTION and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: use 50 or more random characters, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) when DEBUG is off.")
if PRODUCTION and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off (PostgreSQL).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. Behind a proxy that ends TLS, either let gunicorn trust the proxy's address
# (FORWARDED_ALLOW_IPS, portal/gunicorn.conf.py), which then reports HTTPS to Django
# itself, or set SECURE_PROXY_SSL_HEADER=1 so that Django reads X-Forwarded-Proto from
# any client: only when nothing but the proxy can reach the web processes and the proxy
# sets that header itself, overwriting any the client sent. Unset, Django trusts none.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# The load balancer probes /healthz over plain HTTP (the pattern has no leading slash).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
# The language chosen in the switcher: sent over HTTPS only, not on other sites'
# requests, and out of reach of scripts (the portal's own read the page, not cookies).
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", PRODUCTION)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp 4, the layout Django 6 adopted): the portal's own
# scripts, styles, images and fonts only; no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

INSTALLED_APPS = [
    # django.contrib.admin, with the two-factor admin site (portal/admin_site.py).
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "initiatives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise and the page cache, so static files and cached pages carry them too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the header middleware, so a refused method's 405 carries the headers too.
    "portal.methods.AllowedMethodsMiddleware",
    # CORS for public reads (CORS_* below); outside the page cache, so cached answers
    # are readable across origins too, and no cached entry holds one origin's headers.
    "corsheaders.middleware.CorsMiddleware",
    # Compresses the public's answers (not staff's: BREACH), cached ones included.
    "portal.compression.PublicGZipMiddleware",
    # ETags, and 304s to If-None-Match and If-Modified-Since, for cached pages too.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers If-None-Match / If-Modified-Since with a 304 for cached and fresh responses
    # alike (the feeds set their own ETag and Last-Modified), so outside the page cache.
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole pages for anonymous visitors; needs no session, so it sits this far out.
    "initiatives.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session verified by an authenticator; the admin admits no other.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a plain 429 page.
    "axes.middleware.AxesMiddleware",
]

# Cross-origin reads (django-cors-headers): any site's scripts may GET the public
# addresses (the API and its schema, feeds, CSV, pages), never with credentials (no
# cookies: what they read is what anyone reads), and never the admin or a form's target.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(?!admin/|(?:en|ko)/admin/|i18n/|(?:en|ko)/i18n/).*$"
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Disposition"]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "initiatives.context_processors.site_navigation",
                "initiatives.context_processors.figures_refreshing",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# Bounded waits on PostgreSQL: a server that does not answer a connection within
# DATABASE_CONNECT_TIMEOUT seconds is reported (a 503 page), and a statement running
# longer than DATABASE_STATEMENT_TIMEOUT milliseconds is cancelled. The web server's
# entry point (portal/wsgi.py) sets the statement limit; management commands, which
# may build indexes over millions of rows, run without one unless it is set.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")
    )
    # No JIT compilation: the portal's queries read a page of rows, and at scale 10
    # PostgreSQL's cost estimates for their counts (subqueries over a million rows it
    # never reads) passed its JIT thresholds, so a 5 ms page of the agreements API spent
    # 4 seconds compiling (bench/analysis.md, "Scale 10").
    server_settings = ["-c jit=off"]
    if statement_timeout := int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0")):
        server_settings.append(f"-c statement_timeout={statement_timeout}")
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(server_settings)
# How long /healthz waits for the database before it answers 503 (seconds).
HEALTH_TIMEOUT = float(os.environ.get("HEALTH_TIMEOUT", "1.5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database that every web process shares, never in one process.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Repeated failed logins lock out that user name from that address for an hour (django-axes).
# Tests log in with client.force_login(): axes refuses authenticate() without a request.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address axes counts by: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that each
# append to X-Forwarded-For, the entry that many places from the right (portal/client_ip.py).
# Entries a client writes itself sit further left and are never read.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"

# Two-factor login to the admin (django-otp): the name authenticator apps show, and a
# wait that doubles after each wrong code (1 s, 2 s, 4 s ...), per device.
OTP_TOTP_ISSUER = "SME Globalization Initiatives Portal"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# Hashed, compressed files listed in a manifest that `collectstatic` writes. With DEBUG
# on, the storage links plain names and WhiteNoise serves them from the app and
# project folders, so `runserver` needs no collectstatic; with DEBUG off (the tests
# included), every {% static %} needs the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The text of each source document the fixtures cite, kept so quotes can be checked.
SOURCE_TEXTS_DIR = BASE_DIR / "fixtures" / "sources"

# Redis when REDIS_URL is set (shared by every web process); else memory, one per process.
# CACHE_KEY_PREFIX lets several users share one Redis database: the cache then reads,
# writes and clears only its own keys (portal/redis_cache.py). `make test` gives each
# run a prefix of its own.
# The Redis cache fails open: an operation that takes longer than CACHE_TIMEOUT seconds,
# or finds Redis down, is given up (a miss), and Redis is left alone for a few seconds.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TIMEOUT = float(os.environ.get("CACHE_TIMEOUT", "0.25"))
CACHES = {
    "default": (
        {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT,
                "socket_timeout": CACHE_TIMEOUT,
                # Not again at once: the breaker in portal/redis_cache.py decides when.
                "retry": Retry(NoBackoff(), 0),
            },
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
    )
}
# How long an anonymous page is kept (any edit invalidates it at once); 0 turns it off.
# Off by default in production without Redis: memory caches of several web processes
# could not all learn of an edit.
PAGE_CACHE_SECONDS = int(
    os.environ.get("PAGE_CACHE_SECONDS", "600" if REDIS_URL or not PRODUCTION else "0")
)
# Memory each web process may give to its own copies of cached pages, which spare a hit
# its round trip to Redis (initiatives/page_copies.py); 0 turns them off.
LOCAL_PAGE_COPIES_BYTES = int(os.environ.get("LOCAL_PAGE_COPIES_BYTES", str(32 * 2**20)))
# Costly figures (facet counts, counts per country, the dashboard) are kept across
# requests only in a cache every web process shares and invalidates: Redis, or the one
# process of a development server. Otherwise each request counts afresh.
KEEP_FIGURES = os.environ.get("KEEP_FIGURES", "1" if REDIS_URL or not PRODUCTION else "0") == "1"
# After an edit, a kept figure is served as it was while one process computes it afresh
# after the response, in a thread of its own (off: in the request's thread, after the
# response is built; the test suite's way). A figure missing an edit older than this
# (its refreshes failing, or no one asking since) is computed by the request itself.
KEPT_REFRESH_IN_BACKGROUND = os.environ.get("KEPT_REFRESH_IN_BACKGROUND", "1") == "1"
KEPT_MAX_STALE_SECONDS = int(os.environ.get("KEPT_MAX_STALE_SECONDS", "300"))
# Where a whole collection's CSV and Excel files are kept until the data change
# (initiatives/kept_files.py): a directory the web processes may write; empty turns
# it off. Kept only where the figures are (KEEP_FIGURES).
KEPT_FILES_DIR = os.environ.get("KEPT_FILES_DIR", str(BASE_DIR / "var" / "files"))
# An agreement with no recorded activity (no council established, meeting held or
# figure reported) for this many months is flagged as quiet.
QUIET_AFTER_MONTHS = int(os.environ.get("QUIET_AFTER_MONTHS", "12"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The public JSON API (initiatives/api/): read-only, anonymous, JSON only. ``format`` is
# a filter of its own (a meeting's format), so it never picks a renderer.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SME Globalization Initiatives Portal API",
    "DESCRIPTION": (
        "Read-only data of the portal: published records only. Filters are the HTML lists' "
        "own (q, country, ministry, kind, status, date_from, date_to, sort); a bad value "
        "gets a 400 saying what was wrong."
    ),
    "VERSION": "1",
    # 3.1: a nullable field is its type or null, which strict validators read as meant.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every status an operation answers, with its body (initiatives/api/contract.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "initiatives.api.contract.postprocess_schema",
    ],
    # Swagger UI's files come from the drf-spectacular-sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        f"{model}{choice}Enum": f"initiatives.models.{model}.{choice}"
        for model, choice in [
            ("Agreement", "Kind"),
            ("Agreement", "Status"),
            ("Council", "Kind"),
            ("Council", "Status"),
            ("Meeting", "Kind"),
            ("Meeting", "Status"),
            ("Organization", "Kind"),
            ("Program", "Kind"),
            ("SupportCase", "Status"),
            ("Alias", "Kind"),
            ("AgreementRelation", "Kind"),
        ]
    },
}
