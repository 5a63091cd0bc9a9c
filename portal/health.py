"""`/healthz`: is this app server able to answer? For load balancers, systemd and the bench.

It checks the database (one query), the shared cache (a write and a read) and, with the database
task backend, the PDF queue: how many jobs wait, how long the oldest has waited, and how many are
running. 200 when the database and the cache answer, else 503; the body says which part failed.
Never cached, by the page cache (settings.PAGE_CACHE_UNCACHED_PATHS) or anyone else.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min, Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.http import require_safe

PROBE_KEY = "healthz:probe"


def _timed(check):
    started = time.perf_counter()
    try:
        details = check()
    except Exception as exc:  # any failure of a dependency is what this page reports
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **(details or {})}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    token = str(time.monotonic_ns())
    cache.set(PROBE_KEY, token, 30)
    if cache.get(PROBE_KEY) != token:
        raise RuntimeError("the cache did not return what was written")


def _tasks():
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return {"backend": backend}
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.aggregate(
        depth=Count("pk", filter=Q(status=TaskResultStatus.READY)),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        oldest=Min("enqueued_at", filter=Q(status=TaskResultStatus.READY)),
        oldest_running=Min("started_at", filter=Q(status=TaskResultStatus.RUNNING)),
    )
    now = timezone.now()

    def age(moment):
        return round((now - moment).total_seconds(), 1) if moment else None

    return {
        "backend": "database",
        "depth": row["depth"],
        "oldest_job_age_seconds": age(row["oldest"]),
        "running": row["running"],
        "longest_running_seconds": age(row["oldest_running"]),
    }


@require_safe
@never_cache
def healthz(request):
    database = _timed(_database)
    report = {
        "database": database,
        "cache": _timed(_cache),
        # The queue lives in the database: without it there is nothing to count.
        "tasks": _timed(_tasks) if database["ok"] else {"ok": False, "error": "no database"},
    }
    healthy = report["database"]["ok"] and report["cache"]["ok"]
    report = {"status": "ok" if healthy else "error", **report}
    return JsonResponse(report, status=200 if healthy else 503)
