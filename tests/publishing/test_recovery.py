"""A job whose worker died is closed and its PDF queued again (or given up), never left running."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from publishing import recovery
from publishing.models import RenderedPdf
from publishing.tasks import render_document

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def rendering(monitoring_world, settings, django_capture_on_commit_callbacks):
    """A PDF whose render a worker ("w1") claimed and then died in."""
    settings.TASKS = DATABASE
    row = RenderedPdf.objects.create(
        key="k" * 64,
        kind="step",
        plan=monitoring_world.plan,
        language="en",
        base_url="https://portal.example/",
        status=RenderedPdf.Status.RENDERING,
    )
    with django_capture_on_commit_callbacks(execute=True):
        render_document.enqueue(row.pk)
    job = DBTaskResult.objects.get()
    job.claim("w1")
    return row, job


def recover(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return recovery.recover(**kwargs)


def test_a_restarting_worker_closes_its_lost_job_and_queues_the_pdf_again(
    rendering, django_capture_on_commit_callbacks
):
    row, job = rendering
    assert recover(django_capture_on_commit_callbacks, worker_id="w2") == (0, 0, 0)
    assert recover(django_capture_on_commit_callbacks, worker_id="w1") == (1, 1, 0)
    job.refresh_from_db()
    assert job.status == "FAILED" and job.exception_class_path == recovery.LOST
    row.refresh_from_db()
    assert row.status == RenderedPdf.Status.QUEUED
    again = DBTaskResult.objects.get(status="READY")
    assert again.args_kwargs["args"] == [row.pk]


def test_a_job_running_too_long_is_closed_and_a_pdf_lost_twice_is_given_up(
    rendering, django_capture_on_commit_callbacks
):
    row, _job = rendering
    hour = datetime.timedelta(hours=1)
    assert recover(django_capture_on_commit_callbacks, older_than=hour) == (0, 0, 0)
    DBTaskResult.objects.update(started_at=timezone.now() - 2 * hour)
    assert recover(django_capture_on_commit_callbacks, older_than=hour) == (1, 1, 0)
    second = DBTaskResult.objects.get(status="READY")
    second.claim("w1")
    RenderedPdf.objects.filter(pk=row.pk).update(status=RenderedPdf.Status.RENDERING)
    assert recover(django_capture_on_commit_callbacks, worker_id="w1") == (1, 0, 1)
    row.refresh_from_db()
    assert row.status == RenderedPdf.Status.FAILED
    assert not DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).exists()


def test_the_command_needs_a_worker_or_an_age(rendering, capsys):
    with pytest.raises(Exception, match="--worker-id"):
        call_command("recover_tasks")
    call_command("recover_tasks", worker_id="w1")
    assert "1 lost job(s) closed; 1 PDF(s) queued again" in capsys.readouterr().out
