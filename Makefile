# The README's front door: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= learning_platform.settings.dev

.PHONY: install lock run test lint format worker beat migrate seed totp clean

# Exactly the versions CI tested: every package (and the build backend) pinned with its hashes in
# requirements.lock; pip refuses anything missing or altered. `make lock` regenerates it.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# axe-core for the browser tier's accessibility checks, from the npm registry (no CDN); npm ci
# runs again only when the lock file changes.
BROWSER_NODE := tests/browser/node_modules/.installed

$(BROWSER_NODE): tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm is missing: the browser tier needs it for axe-core (apt-get install npm)"; \
	fi

install: $(VENV)/.installed $(BROWSER_NODE)

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver 127.0.0.1:8000

# Every tier: SQLite (with the Celery-worker and browser tiers), then PostgreSQL.
# REQUIRE_ALL_TIERS=1 turns a missing service or browser into a failure instead of a skip.
test: install
	$(PY) -m tests.tiers $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After changing a dependency in pyproject.toml: pin it (and everything it needs) with hashes.
LOCK_VENV := .venv-lock
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet pip-tools==7.7.0
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra test \
		--build-deps-for editable --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

worker: install
	$(VENV)/bin/celery -A learning_platform worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A learning_platform beat --loglevel=info

# The current two-factor code for a demo staff login (DEBUG only): make totp EMAIL=sam@example.org
totp: install
	$(PY) manage.py demo_totp $(EMAIL)

clean:
	rm -rf $(VENV) $(LOCK_VENV) db.sqlite3 media private_media static_collected tests/browser/node_modules
