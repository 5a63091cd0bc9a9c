"""gunicorn settings for the portal (`make serve`, deploy/portal-web.service). Each value can be
changed from the environment, so one file serves a laptop, a VM and a container."""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}").split(",")
# Sync workers: the pages are CPU-bound and short. Two per core plus one by default.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A page takes milliseconds; anything near this is a bug, and the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Replace each worker now and then, so that a slow leak never grows into an outage. Not too
# often: while the arbiter replaces a worker (up to a second) the others carry its load, which
# showed as p99 latencies of a second at 2,000 (bench/README.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Loading the app before forking shares its memory between the workers. Database connections
# are opened lazily per worker, so none is shared across the fork.
preload_app = True
# The address nginx (deploy/nginx-portal.conf) connects from; it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access logs cost a little per request; nginx keeps its own. GUNICORN_ACCESS_LOG=- turns them on.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "portal")
