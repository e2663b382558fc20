# The two commands a fresh clone needs:
#   make run    set up, load the data and serve http://127.0.0.1:8000 on SQLite
#   make test   set up and run the test suite (PostgreSQL when DATABASE_URL says so)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MANAGE := DEBUG=1 $(BIN)/python manage.py

.PHONY: run test setup test-tools messages data lint check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

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

test: setup test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/python -m ruff check .

check: setup
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
