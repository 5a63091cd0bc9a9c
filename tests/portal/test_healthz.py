"""/healthz: the database, the cache and the task queue, never from a cache."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from publishing.tasks import render_document

pytestmark = pytest.mark.django_db
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_reports_each_part_and_is_never_cached(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 3600
    # The check itself and nothing else: not even the page cache's data version.
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] and "X-Page-Cache" not in response
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["cache"]["ok"] and body["tasks"]["ok"]
    assert "X-Page-Cache" not in client.get("/healthz")


def test_the_task_queue_depth_and_oldest_job(client, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True):
        render_document.enqueue(1)
        render_document.enqueue(2)
    DBTaskResult.objects.filter(args_kwargs__args=[1]).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["depth"] == 2 and tasks["running"] == 0
    assert 299 < tasks["oldest_job_age_seconds"] < 400
    assert tasks["longest_running_seconds"] is None


def test_a_broken_cache_is_a_503_that_says_so(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"]["ok"]
    assert body["cache"] == {"ok": False, "error": "ConnectionError: Connection refused"}


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
