# MACE: the two commands of the README are `make run` and `make test`.
# Each sets up what it needs on a fresh machine: the virtual environment at .venv,
# the pinned Python packages (requirements*.lock, with hashes), the pinned npm packages
# (package-lock.json), the compiled GOV.UK assets and, for the tests, Debian's chromium.

PYTHON ?= python3.11
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 2026
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint check-deploy install assets chromium system-libraries validator903 load bench lock clean

run: install assets system-libraries
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) seed_demo --seed $(SEED) --if-empty
	@DEBUG=1 $(MANAGE) demo_logins --url http://$(HOST):$(PORT)/
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The tests start Python processes of their own (manage.py commands, import workers, the
# DfE validator): their compiled modules are kept under build/ and shared, as a machine
# that says not to write them (PYTHONDONTWRITEBYTECODE) has each process compile Django
# and MACE afresh, about 3 s a process.
test: install assets chromium system-libraries validator903
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/build/pycache $(BIN)/pytest $(PYTEST_ARGS)

lint: install assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy mace
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# Django's deployment checks against the production settings, failing on any warning.
check-deploy: install assets
	DEBUG=0 SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=mace.example.org \
		$(MANAGE) check --deploy --fail-level WARNING

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: $(BIN)/python requirements-dev.lock
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip sync --quiet --python $(BIN)/python requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

ASSET_SOURCES := $(wildcard mace/frontend/scss/*.scss) mace/frontend/copy-assets.mjs
build/static/mace/mace.css: node_modules/.installed $(ASSET_SOURCES)
	npm run --silent build

assets: build/static/mace/mace.css

# The DfE's SSDA903 validator, in its own environment (it pins pandas 1.5 and numpy 1.24);
# the SSDA903 export's test runs it as a separate process.
VALIDATOR903 := .venv-903
validator903: $(VALIDATOR903)/.installed

$(VALIDATOR903)/.installed: $(BIN)/python tools/validator903/requirements.lock
	test -x $(VALIDATOR903)/bin/python || UV_PYTHON_DOWNLOADS=never $(BIN)/uv venv --quiet --python $(PYTHON) $(VALIDATOR903)
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip sync --quiet --python $(VALIDATOR903)/bin/python tools/validator903/requirements.lock
	touch $@

# The bounded load run (issue 8; not part of `make test`): gunicorn on PostgreSQL, locust on
# loopback. USERS (50), DURATION (5m), SPAWN_RATE (5), WORKERS (4) may be set.
LOAD_VENV := .venv-load
$(LOAD_VENV)/.installed: $(BIN)/python tools/load/requirements.lock
	test -x $(LOAD_VENV)/bin/python || UV_PYTHON_DOWNLOADS=never $(BIN)/uv venv --quiet --python $(PYTHON) $(LOAD_VENV)
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip sync --quiet --python $(LOAD_VENV)/bin/python tools/load/requirements.lock
	touch $@

load: install assets system-libraries $(LOAD_VENV)/.installed
	tools/load/run.sh

# The benchmark of issue 9 (not part of `make test`): SCALE=small (a few minutes), authority,
# regional or national; prints each figure as `name: value`.
SCALE ?= small
bench: install assets
	SCALE=$(SCALE) tools/bench/run.sh

# Pango, which WeasyPrint uses to lay out PDF documents.
system-libraries:
	@ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null)

chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Re-pin after changing pyproject.toml: writes both lock files with hashes.
lock: $(BIN)/python
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header -q --extra dev -o requirements-dev.lock
	$(BIN)/uv pip compile tools/validator903/requirements.in --python-version 3.11 --generate-hashes --no-header -q -o tools/validator903/requirements.lock
	$(BIN)/uv pip compile tools/load/requirements.in --python-version 3.11 --generate-hashes --no-header -q -o tools/load/requirements.lock

clean:
	rm -rf $(VENV) $(VALIDATOR903) $(LOAD_VENV) node_modules build staticfiles
