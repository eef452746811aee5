# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: setup demo test test-e2e lint messages clean

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

demo: setup
	$(VENV)/bin/leitbild demo --port $(PORT)

test: setup
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

test-e2e: setup
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check leitbild tests bench scripts

clean:
	rm -rf $(VENV) node_modules leitbild/static/vendor
