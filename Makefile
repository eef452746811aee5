# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

CHROMIUM ?= /usr/bin/chromium

.PHONY: setup browser demo test test-fast test-e2e lint format-check typecheck check messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

leitbild/static/vendor/.built: node_modules/.installed scripts/build_static.py
	$(PY) scripts/build_static.py
	touch $@

messages: $(VENV)/.installed
	cd leitbild && ../$(PY) -m leitbild compilemessages --verbosity 0

setup: $(VENV)/.installed leitbild/static/vendor/.built messages

# Browser tests use Debian's Chromium, never a browser downloaded by a test tool.
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }

# Serves like production (no debug pages, hashed static files, a shared cache) over plain http.
demo: setup
	LEITBILD_ENV=demo $(VENV)/bin/leitbild demo --port $(PORT)

# The whole suite, browser tests included. DATABASE_URL=postgres://… runs it on PostgreSQL.
test: setup browser
	$(PY) -m pytest $(PYTEST_ARGS)

# Without the browser tests, for a quick round while developing.
test-fast: setup
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

test-e2e: setup browser
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check leitbild tests bench scripts

format-check: setup
	$(VENV)/bin/ruff format --check leitbild tests bench scripts

# Lenient mypy with the django-stubs plugin; configuration in pyproject.toml.
typecheck: setup
	$(VENV)/bin/mypy leitbild

# What CI runs before the tests.
check: lint format-check typecheck

clean:
	rm -rf $(VENV) node_modules leitbild/static/vendor
