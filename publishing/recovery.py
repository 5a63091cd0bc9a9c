"""Jobs whose worker died: found, closed and, for PDF renders, queued once more.

django-tasks-db marks a job RUNNING when a worker claims it and SUCCESSFUL or FAILED when the task
returns or raises. A worker killed in between (out of memory, SIGKILL, the machine lost) leaves
the job RUNNING for ever and its PDF row RENDERING. `manage.py recover_tasks` closes such jobs:

- those last claimed by a given worker id, run by that worker before it starts again (its old
  jobs cannot still be running: scripts/serve, deploy/portal-worker.service), and
- those running for longer than a limit, for a worker that never comes back.

Each is marked FAILED (exception `WorkerLost`). Its PDF is queued again, unless it has already
been lost MAX_ATTEMPTS times: a document that kills the worker each time is marked failed, and the
next request for it after delivery.RETRY_AFTER tries again.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from publishing.models import RenderedPdf
from publishing.tasks import render_document

MAX_ATTEMPTS = 2
LOST = "publishing.recovery.WorkerLost"
RENDER_TASK_PATH = render_document.module_path


class WorkerLost(Exception):
    """The worker running the job stopped before the job finished."""


def _pdf_id(job):
    if job.task_path != RENDER_TASK_PATH:
        return None
    args = job.args_kwargs.get("args") or []
    return args[0] if args else None


def _lost_before(pdf_id):
    return sum(
        1
        for job in DBTaskResult.objects.filter(
            task_path=RENDER_TASK_PATH, exception_class_path=LOST
        ).only("args_kwargs", "task_path")
        if _pdf_id(job) == pdf_id
    )


def lost_jobs(worker_id=None, older_than=None):
    """RUNNING jobs last claimed by `worker_id`, or started more than `older_than` ago."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    found = []
    if older_than is not None:
        found += running.filter(started_at__lt=timezone.now() - older_than)
    if worker_id:
        found += [job for job in running if job.worker_ids and job.worker_ids[-1] == worker_id]
    return list({job.pk: job for job in found}.values())


def recover(worker_id=None, older_than=None):
    """Close the lost jobs; returns (jobs closed, PDFs queued again, PDFs given up)."""
    closed = requeued = given_up = 0
    for job in lost_jobs(worker_id, older_than):
        with transaction.atomic():
            # Conditional: a worker that is alive after all may have finished it meanwhile.
            if not DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=LOST,
                traceback=f"{LOST}: worker {job.worker_ids[-1:]} stopped during the job\n",
            ):
                continue
            closed += 1
            pdf_id = _pdf_id(job)
            if pdf_id is None:
                continue
            unfinished = RenderedPdf.objects.filter(
                pk=pdf_id, status__in=(RenderedPdf.Status.QUEUED, RenderedPdf.Status.RENDERING)
            )
            if _lost_before(pdf_id) >= MAX_ATTEMPTS:
                given_up += unfinished.update(
                    status=RenderedPdf.Status.FAILED, error="the worker stopped while rendering"
                )
            elif unfinished.update(status=RenderedPdf.Status.QUEUED, started_at=None):
                requeued += 1
                transaction.on_commit(lambda pdf_id=pdf_id: render_document.enqueue(pdf_id))
    return closed, requeued, given_up


def parse_age(seconds):
    return None if seconds is None else datetime.timedelta(seconds=seconds)
