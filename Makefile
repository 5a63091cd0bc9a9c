# Two commands for a newcomer: `make run` (set up, load the demo data, serve) and `make test`.
# Everything else here is a step those two share.

PORT ?= 8000
# `make run` is the local demo server: DEBUG on unless the caller says otherwise.
export DEBUG ?= 1

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY := $(UV) run --frozen python

.PHONY: run serve test setup uv python-deps frontend migrate translations demo-data clean

# Beside the web server, as in production: the task worker (PDFs, mail) and the following
# scheduler. Without EMAIL_HOST the mails are printed here, in this console. Ctrl-C stops all three.
run: setup demo-data
	@trap 'kill 0' INT TERM EXIT; \
	export TASKS_BACKEND=$${TASKS_BACKEND:-database} SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(PY) manage.py db_worker --no-reload --interval 1 & \
	$(PY) manage.py following_scheduler & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production profile: DEBUG off, migrations and collectstatic, the PDF worker and gunicorn
# (gunicorn.conf.py). Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (README, "Running in production").
serve: python-deps frontend translations
	DEBUG=0 $(UV) run --frozen scripts/serve

test: setup
	$(UV) run --frozen pytest

setup: python-deps frontend migrate translations

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet --disable-pip-version-check uv

python-deps: uv
	$(UV) sync --frozen --quiet

frontend: static/build/.built

# Rebuilt only when the lock file, the Sass sources or what documents.css is pruned by (the
# templates and the template tags' markup) change.
static/build/.built: package-lock.json static/src/build.mjs $(wildcard static/src/*.scss static/src/js/*.js) \
		$(wildcard templates/*.html templates/*/*.html templates/*/*/*.html */templatetags/*.py)
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
