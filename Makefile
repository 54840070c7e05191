# Two commands set everything up on a fresh machine: `make run` and `make test`.

PY_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v python$(PY_VERSION) || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings read these too: in development SITE_URL follows the address served.
export HOST PORT

.PHONY: install run serve test lint format lock bench bench-restart clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 12) else \
		f"Python 3.12 or newer is needed; {sys.executable} is {v.major}.{v.minor}. " \
		"Install Python $(PY_VERSION) (e.g. pyenv install $(PY_VERSION)) or run make PYTHON=/path/to/python3.13")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

.env:
	cp .env.example .env
	@echo "Created .env from .env.example (development settings)."

install: $(VENV)/.installed .env

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Task worker (scheduled publishing, email) and site on http://$(HOST):$(PORT)/ - Ctrl-C stops both."
	@bin/keep-running $(MANAGE) run_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST):$(PORT)

# Production-like serving with the settings in the environment (or .env): gunicorn, the task
# worker (started again if it stops) and a health watch that logs a warning when the task queue
# is stuck. Set DEBUG=false and the rest of the production settings (README, "Deployment").
GUNICORN_WORKERS ?= 3
serve: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	@bin/keep-running $(MANAGE) run_worker & worker=$$!; \
		bin/keep-running $(MANAGE) watch_health & watch=$$!; \
		trap 'kill $$worker $$watch 2>/dev/null; wait $$worker $$watch' EXIT INT TERM; \
		$(BIN)/gunicorn newsroom.wsgi --workers $(GUNICORN_WORKERS) --bind $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-pin every dependency after editing pyproject.toml (or to take upgrades).
lock: install
	$(BIN)/uv pip compile pyproject.toml --python-version $(PY_VERSION) --generate-hashes \
		--quiet --upgrade -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version $(PY_VERSION) \
		--generate-hashes --quiet --upgrade -o requirements-dev.lock

bench: install
	$(BIN)/python bench/run.py

# 60 s of wrk against an article page under `make serve`, with PostgreSQL (a private server,
# never the shared one) restarted at 20 s. Results: bench/RESULTS.md.
bench-restart: install
	$(BIN)/python bench/restart.py

clean:
	rm -rf $(VENV) db.sqlite3* test-db.sqlite3* media private-media staticfiles
