# Two commands: `make run` (app with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Newest Python 3.12+ on PATH; pyenv's .python-version (3.13) makes plain python3 right too.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv migrate demo browser-test bench clean check-python serve-prod node-tools

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is required (Django 6.1). Found: $$(python3 --version 2>&1)."; \
		echo "Install it (e.g. 'pyenv install 3.13' then keep the .python-version file here, or 'apt-get install python3.12')"; \
		echo "or run: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
		exit 1; \
	fi

$(VENV)/.installed: pyproject.toml | check-python
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo --articles 6 --claims-per-article 8

run: demo
	@echo "Demo logins (DEMO ONLY): editor / factcheck, reviewer1..reviewer3 / factcheck"
	@echo "Open http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production settings on this machine (DEBUG off, gunicorn, hashed static files) over
# plain HTTP: DJANGO_INSECURE_LOCAL=1 drops the HTTPS redirect and secure cookies and
# refuses any address but loopback. Never for a server; see README "Trying production locally".
PROD_ENV = DJANGO_DEBUG=0 DJANGO_INSECURE_LOCAL=1 \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-local-trial-$$(cat .local-trial-key 2>/dev/null || \
		$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' | tee .local-trial-key)}"
serve-prod: demo
	$(PROD_ENV) $(PY) manage.py collectstatic --no-input -v0
	@echo "Local production trial at http://$(HOST):$(PORT)/ (DEBUG off; this machine only)"
	$(PROD_ENV) $(VENV)/bin/gunicorn -c python:factcheck.gunicorn_conf --bind $(HOST):$(PORT) \
		--workers 2 factcheck.wsgi:application

# The whole suite on SQLite, or on DATABASE_URL when it is set. Browser tests run
# when Chromium is installed (/usr/bin/chromium); .ci/run installs it.
# Spread over the machine's cores with pytest-xdist; XDIST= runs in one process.
XDIST ?= -n auto
test: venv node-tools
	$(PY) -m pytest -p no:cacheprovider $(XDIST) $(PYTEST_ARGS)

# axe-core (package-lock.json) for the accessibility browser tests, from npm when npm is
# here; without it those tests skip, or fail under REQUIRE_BROWSER=1.
node-tools:
	@if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund; \
	fi

browser-test: venv node-tools
	$(PY) -m pytest -p no:cacheprovider -m browser tests/browser $(PYTEST_ARGS)

bench: venv
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .local-trial-key node_modules
