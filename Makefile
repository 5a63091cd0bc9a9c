# Two commands for a newcomer: `make run` (set up, load the demo data, serve) and `make test`.
# Everything else here is a step those two share.

PORT ?= 8000
# `make run` is the local demo server: DEBUG on unless the caller says otherwise.
export DEBUG ?= 1

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY := $(UV) run --frozen python

.PHONY: run test setup uv python-deps frontend migrate translations demo-data clean

run: setup demo-data
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(UV) run --frozen pytest

setup: python-deps frontend migrate translations

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet --disable-pip-version-check uv

python-deps: uv
	$(UV) sync --frozen --quiet

frontend: static/build/.built

# Rebuilt only when the lock file or the Sass sources change.
static/build/.built: package-lock.json static/src/build.mjs $(wildcard static/src/*.scss static/src/js/*.js)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

migrate: python-deps
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0

translations: python-deps
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

# import_plan updates in place: running it on every `make run` neither fails nor duplicates.
demo-data: migrate
	$(PY) manage.py import_plan fixtures/banska-bystrica.yaml
	$(PY) manage.py import_meetings fixtures/banska-bystrica-meetings.yaml
	$(PY) manage.py import_meetings fixtures/banska-bystrica-responses.yaml
	$(PY) manage.py import_monitoring fixtures/banska-bystrica-monitoring.yaml
	$(PY) manage.py create_demo_accounts

clean:
	rm -rf .venv node_modules static/build var
