"""Serving a PDF: the cached file when there is one, else a queued rendering and a page that says
it is being prepared. Repeat requests for an unchanged document are served from MEDIA_ROOT/reports.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from publishing.models import RenderedPdf
from publishing.tasks import render_document

# A rendering not finished this long after it was asked for is taken to have died with its
# worker (or failed) and is queued again by the next request for the document.
RETRY_AFTER = datetime.timedelta(minutes=10)


def request_pdf(document, before_queueing=lambda: None):
    """The cached RenderedPdf for the document, queueing its rendering when there is none yet,
    its file has gone, or an earlier attempt failed or died long enough ago. The caller serves
    the file when the row is READY and otherwise says that it is being prepared.

    `before_queueing()` runs only when a render would be queued, and may raise to refuse it
    (the rate limit on renders: serving a cached file or a pending job costs nothing)."""
    key = document.key()
    row = RenderedPdf.objects.filter(key=key).first()
    if row is None:
        pending = _pending(document)
        if pending is not None:
            # At most one job per document in the queue: a visitor asking again while the data
            # changes under a slow render waits for that one, and then gets a fresh key.
            return pending
        before_queueing()
        try:
            with transaction.atomic():
                row = RenderedPdf.objects.create(
                    key=key,
                    kind=document.kind,
                    plan=document.plan,
                    object_id=document.object_id,
                    language=document.language,
                    as_of=document.as_of,
                    base_url=document.base_url,
                )
        except IntegrityError:
            # Someone asked for the same document a moment ago; theirs is queued already.
            return RenderedPdf.objects.get(key=key)
        return _enqueue(row)
    if row.status == RenderedPdf.Status.READY:
        if row.file and row.file.storage.exists(row.file.name):
            return row
        before_queueing()
        return _requeue(row, RenderedPdf.Status.READY)  # the file was removed from disk
    if row.requested_at < timezone.now() - RETRY_AFTER:
        before_queueing()
        return _requeue(row, row.status)
    return row


def _pending(document):
    """A live queued or rendering job for the same document (any data key), or None."""
    return (
        RenderedPdf.objects.filter(
            kind=document.kind,
            plan=document.plan,
            object_id=document.object_id,
            language=document.language,
            as_of=document.as_of,
            base_url=document.base_url,
            status__in=(RenderedPdf.Status.QUEUED, RenderedPdf.Status.RENDERING),
            requested_at__gte=timezone.now() - RETRY_AFTER,
        )
        .order_by("-requested_at")
        .first()
    )


def _requeue(row, from_status):
    requeued = RenderedPdf.objects.filter(pk=row.pk, status=from_status).update(
        status=RenderedPdf.Status.QUEUED, requested_at=timezone.now(), started_at=None, error=""
    )
    if not requeued:  # another request did it first
        row.refresh_from_db()
        return row
    return _enqueue(row)


def _enqueue(row):
    # After commit: a worker must find the row it is asked to render.
    transaction.on_commit(lambda: render_document.enqueue(row.pk))
    # With the immediate backend the task has run by now; the row may even be gone, if the data
    # changed during rendering: then the in-memory row (queued) makes the caller ask again.
    return RenderedPdf.objects.filter(pk=row.pk).first() or row


def prune(older_than):
    """Delete cached PDFs rendered before `older_than`; returns how many went."""
    rows = list(RenderedPdf.objects.filter(requested_at__lt=older_than))
    for row in rows:
        if row.file:
            row.file.storage.delete(row.file.name)
        row.delete()
    return len(rows)
