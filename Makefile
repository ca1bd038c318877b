# eventmgr — `make run` serves the demo, `make test` runs every test on SQLite and on PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := eventmgr

.PHONY: help setup run test test-sqlite test-postgres test-drills test-fast lint system-packages document-packages bench bench-quick bench-peers clean

# pytest-xdist workers per suite run; each worker has its own databases (tests/database.py).
WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -n $(WORKERS) --dist worksteal
# A marker expression for test-sqlite and test-postgres, e.g. MARKS="not slow".
MARKS ?=

help:
	@echo "make run          set up, migrate, load the demo and serve http://127.0.0.1:5000"
	@echo "make test         lint, the suite on SQLite and on PostgreSQL (both at once), then the drills"
	@echo "make test-fast    the suite on SQLite without browser and slow tests"
	@echo "make bench        benchmarks at x0.1, x1 and x10 (bench/README.md)"
	@echo "make bench-peers  eventmgr beside pretalx and a bare Flask app, interleaved"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# axe-core for the accessibility browser test, from tests/browser/axe/package-lock.json.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund --silent
	touch $(AXE)

# ical.js, the calendar clients' parser, reading our ICS in tests/interop/test_icaljs.py.
ICALJS := tests/interop/icaljs/node_modules/ical.js/package.json
$(ICALJS): tests/interop/icaljs/package-lock.json
	cd tests/interop/icaljs && npm ci --no-audit --no-fund --silent
	touch $(ICALJS)

# Debian packages the tests need: chromium for the browser tests, PostgreSQL for the second run,
# npm for axe-core and ical.js,
# and the document packages below.
system-packages: document-packages
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# What the app needs for the PDF of every document: LibreOffice Writer (no GUI) converting the
# DOCX, Times-metric fonts (Liberation Serif), and poppler to read PDFs back as text and pages.
document-packages:
	@missing=""; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -q "Liberation Serif" || missing="$$missing fonts-liberation2"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; \
	fi

run: $(STAMP) document-packages
	@MAIL_BACKEND=$${MAIL_BACKEND:-file} $(BIN)/flask db upgrade
	@$(BIN)/flask demo load
	@echo ""
	@echo "eventmgr is running at http://127.0.0.1:5000  (Ctrl-C to stop)"
	@echo "Outgoing mail is written as .eml files to instance/outbox/."
	@MAIL_BACKEND=$${MAIL_BACKEND:-file} $(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check .

# The two database runs go side by side, without the slow drills; each one's report is printed
# whole when it ends. Then the drills, on SQLite and then on PostgreSQL, with the machine to
# themselves: they race gunicorn workers against timeouts that a busy machine would exceed.
# make fails if any part fails (every part runs).
test: $(STAMP) system-packages $(AXE) $(ICALJS) lint
	@echo "The suite without the drills, on SQLite and on PostgreSQL at once; each prints its report when it ends."
	@status=0; \
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres MARKS="not slow" || status=1; \
	$(MAKE) --no-print-directory test-drills || status=1; \
	exit $$status

test-sqlite: $(STAMP) $(AXE) $(ICALJS)
	@echo "== The suite on SQLite $(if $(MARKS),($(MARKS)))"
	$(PYTEST) $(if $(MARKS),-m "$(MARKS)")

test-postgres: $(STAMP) $(AXE) $(ICALJS)
	@echo "== The suite on PostgreSQL $(if $(MARKS),($(MARKS)))"
	bash .ci/with-postgres.sh $(PYTEST) $(if $(MARKS),-m "$(MARKS)")

test-drills: $(STAMP)
	@echo "== The drills on SQLite, then on PostgreSQL"
	@status=0; \
	$(BIN)/pytest -q -m slow || status=1; \
	bash .ci/with-postgres.sh $(BIN)/pytest -q -m slow || status=1; \
	exit $$status

test-fast: $(STAMP)
	$(PYTEST) -m "not browser and not slow" -x

bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes 0.1,1,10

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --sizes 0.1

# eventmgr beside pretalx (installed into its own venv on first use) and the bare-Flask floor.
bench-peers: $(STAMP)
	$(BIN)/python -m bench.peers

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
