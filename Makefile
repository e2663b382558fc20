# The two commands a fresh clone needs:
#   make run    set up, load the data and serve http://127.0.0.1:8000 on SQLite
#   make test   set up and run the test suite (PostgreSQL when DATABASE_URL says so)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MANAGE := DEBUG=1 $(BIN)/python manage.py

# Installs come from the lock files, which pin every package with its hashes;
# pyproject.toml keeps the ranges the portal is known to work with. `make lock`
# writes the locks again with this version of uv (from PyPI, in a venv of its own);
# `make lock UPGRADE=1` moves every pin to the newest release the ranges allow.
PIP_VERSION := 26.3
UV_VERSION := 0.13.8
LOCK_VENV := .venv-lock
LOCKS := requirements.lock requirements-dev.lock
UV_COMPILE = $(LOCK_VENV)/bin/uv pip compile pyproject.toml --quiet --universal \
	--python-version 3.11 --generate-hashes $(if $(UPGRADE),--upgrade)

# The suite runs the production cache: Redis at this address, under a key prefix of
# its own run. `make test REDIS_URL=` runs it on the memory cache instead.
REDIS_URL ?= redis://127.0.0.1:6379/13

.PHONY: run test setup test-tools messages data lint check lock clean screenshots lighthouse

$(STAMP): requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock

# The HTML checker and axe-core for the page tests; without npm those tests skip.
$(NODE_STAMP): package.json package-lock.json
	if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the HTML and accessibility checks will be skipped"; fi

messages: $(STAMP)
	if [ -d locale ]; then $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0; fi

setup: $(STAMP) messages

test-tools: $(NODE_STAMP)

data: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_portal_data

run: data
	$(MANAGE) runserver 127.0.0.1:8000

# The suite runs the settings production runs (DEBUG off), given through the
# environment: a throwaway secret key, the local host names, plain HTTP for the test
# client, the static files collected into a temporary STATIC_ROOT for the manifest
# storage, and the Redis cache under a key prefix unique to this run, so that runs
# sharing a Redis database never touch each other's keys.
test: setup test-tools
	@set -e; \
	static_root=$$(mktemp -d); trap 'rm -rf "$$static_root"' EXIT; \
	export SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	export DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}"; \
	export DEBUG=0 ALLOWED_HOSTS=localhost,127.0.0.1,[::1] SECURE_SSL_REDIRECT=0; \
	export STATIC_ROOT="$$static_root" REDIS_URL="$(REDIS_URL)"; \
	export CACHE_KEY_PREFIX=test-$$(uname -n)-$$$$-$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(4))'); \
	if [ -z "$$REDIS_URL" ]; then \
	  : "One process's memory cache: production keeps pages only with Redis"; \
	  export PAGE_CACHE_SECONDS=$${PAGE_CACHE_SECONDS:-600} KEEP_FIGURES=$${KEEP_FIGURES:-1}; \
	fi; \
	echo "make test: DEBUG off, REDIS_URL=$${REDIS_URL:-none} CACHE_KEY_PREFIX=$$CACHE_KEY_PREFIX, static files in $$static_root"; \
	$(BIN)/python manage.py collectstatic --noinput -v0; \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every page kind at 390 px and 1,366 px, in English and Korean, into screenshots/
# (Debian's Chromium through Playwright; the local database, filled by `make data`).
screenshots: data
	$(BIN)/python bench/screenshots.py --korean

# Lighthouse on each page kind in both languages, served as production serves them
# (needs PostgreSQL, Redis and /usr/bin/chromium; README, "Lighthouse").
lighthouse: setup test-tools
	.ci/lighthouse

lint: setup
	$(BIN)/python -m ruff check .

check: setup
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules db.sqlite3 staticfiles
