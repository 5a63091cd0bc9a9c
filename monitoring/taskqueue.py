"""A database backend for the django-tasks API, and the worker loop that runs its tasks.

django-tasks 0.12 no longer ships `django_tasks.backends.database` (it moved to the separate
django-tasks-db package). This module does the same small job: `enqueue()` stores a row, and
`manage.py run_tasks` claims rows one at a time with a conditional UPDATE, which works the same
on PostgreSQL and SQLite and lets several workers run side by side. Swapping in django-tasks-db
later is a change of the TASKS setting only.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskContext, TaskError, TaskResult
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.utils import get_exception_traceback, get_module_path, get_random_id

logger = logging.getLogger(__name__)


class DatabaseBackend(BaseTaskBackend):
    supports_get_result = True
    supports_priority = True

    def enqueue(self, task, args, kwargs):
        from monitoring.models import QueuedTask

        self.validate_task(task)
        row = QueuedTask.objects.create(
            task_path=task.module_path,
            queue_name=task.queue_name,
            priority=task.priority,
            args=list(args),
            kwargs=dict(kwargs),
        )
        return self._result(row, task)

    def get_result(self, result_id):
        from monitoring.models import QueuedTask

        try:
            row = QueuedTask.objects.get(pk=result_id)
        except (QueuedTask.DoesNotExist, ValueError) as exc:
            raise TaskResultDoesNotExist(result_id) from exc
        return self._result(row, import_string(row.task_path))

    def _result(self, row, task):
        errors = []
        if row.exception_class_path:
            errors.append(
                TaskError(exception_class_path=row.exception_class_path, traceback=row.traceback)
            )
        result = TaskResult(
            task=task,
            id=str(row.pk),
            status=TaskResultStatus(row.status),
            enqueued_at=row.enqueued_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            last_attempted_at=row.started_at,
            args=row.args,
            kwargs=row.kwargs,
            backend=self.alias,
            errors=errors,
            worker_ids=[row.worker_id] if row.worker_id else [],
        )
        object.__setattr__(result, "_return_value", row.return_value)
        return result


def claim_next(worker_id, queue_names):
    """Mark the oldest ready task as running for this worker and return it; None when idle."""
    from monitoring.models import QueuedTask

    ready = QueuedTask.objects.filter(status=TaskResultStatus.READY, queue_name__in=queue_names)
    for pk in ready.values_list("pk", flat=True)[:5]:
        # Only one worker's UPDATE matches the READY row; the others see 0 rows and move on.
        claimed = QueuedTask.objects.filter(pk=pk, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_id=worker_id
        )
        if claimed:
            return QueuedTask.objects.get(pk=pk)
    return None


def run_one(row):
    """Run a claimed task and record its outcome on the row."""
    task = import_string(row.task_path)
    try:
        if task.takes_context:
            result = task.get_backend().get_result(str(row.pk))
            value = task.call(TaskContext(task_result=result), *row.args, **row.kwargs)
        else:
            value = task.call(*row.args, **row.kwargs)
    except Exception as exc:
        logger.exception("task %s (%s) failed", row.pk, row.task_path)
        row.status = TaskResultStatus.FAILED
        row.exception_class_path = get_module_path(type(exc))
        row.traceback = get_exception_traceback(exc)
    else:
        row.status = TaskResultStatus.SUCCESSFUL
        row.return_value = value
    row.finished_at = timezone.now()
    row.save(
        update_fields=["status", "return_value", "exception_class_path", "traceback", "finished_at"]
    )
    return row


def work(queue_names=("default",), *, once=False, interval=1.0, max_tasks=None):
    """Run tasks until interrupted; with once=True, until the queue is empty. Returns the count."""
    worker_id = get_random_id()
    done = 0
    while max_tasks is None or done < max_tasks:
        with transaction.atomic():
            row = claim_next(worker_id, queue_names)
        if row is None:
            if once:
                break
            time.sleep(interval)
            continue
        run_one(row)
        done += 1
    return done
