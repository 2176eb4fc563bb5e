# Mutu — every set-up step a fresh machine needs lives here.
#   make demo   set up, then build the demo database (SQLite by default) and run the main job
#   make test   set up, then lint, type-check and run the whole suite on SQLite and PostgreSQL

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MESSAGES := src/mutu/locale/id/LC_MESSAGES/django.mo

.PHONY: help setup system-deps demo test soak lint typecheck test-sqlite test-postgres messages clean

help:
	@echo "make demo   - set up and run the demo (SQLite in .mutu/ unless DATABASE_URL is set)"
	@echo "make test   - set up and run lint, type checks and the suite on SQLite and PostgreSQL"

# Debian packages: the PostgreSQL server (for the test suite), gettext (to compile the
# Indonesian translations), Pango and HarfBuzz with a font (WeasyPrint's PDF rendering),
# Chromium (the browser tests drive it through Playwright). Installed only when missing.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
	           libharfbuzz-subset.so.0:libharfbuzz-subset0 libfontconfig.so.1:libfontconfig1; do \
		ldconfig -p | grep -q "$${lib%%:*}" || missing="$$missing $${lib##*:}"; \
	done; \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

$(MESSAGES): $(INSTALLED) src/mutu/locale/id/LC_MESSAGES/django.po
	cd src/mutu && ../../$(BIN)/mutu compilemessages -v 0

messages: $(MESSAGES)

setup: system-deps $(INSTALLED) messages

demo: setup
	$(BIN)/mutu demo

lint: setup
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: setup
	$(BIN)/mypy

test-sqlite: setup
	@echo "== Test suite on SQLite =="
	$(BIN)/pytest

test-postgres: setup
	@echo "== Database tests again on PostgreSQL (a server started for this run) =="
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest -m database

# The two suites run side by side (scripts/run_together.py): each is one pytest
# process, so on two cores the pair takes about as long as the longer one.
test: lint typecheck
	$(BIN)/python scripts/run_together.py \
	  "sqlite=$(BIN)/pytest" \
	  "postgresql=$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest -m database"
	@echo "== make test: lint, types, SQLite suite and PostgreSQL database tests all passed =="

# The long fault test (docs/security.md, "No data lost"): 50 clients, 10 kills of
# `mutu serve --production`, on SQLite and on a throw-away PostgreSQL server.
soak: setup
	@mkdir -p .mutu
	MUTU_FUZZ_EXAMPLES=6 $(BIN)/pytest -p no:cacheprovider tests/imports/test_fuzz_imports.py tests/web/test_fuzz_forms.py
	$(BIN)/python scripts/fault_submit.py --clients 50 --links 10 --kills 10 --json .mutu/soak-sqlite.json
	$(BIN)/python scripts/with_postgres.py -- bash -c '$(BIN)/python scripts/fault_submit.py \
	  --clients 50 --links 10 --kills 10 --database "$$DATABASE_URL" --json .mutu/soak-postgresql.json'

clean:
	rm -rf $(VENV) .mutu .pytest_cache .mypy_cache .ruff_cache
