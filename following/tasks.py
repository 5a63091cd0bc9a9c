"""Background tasks, enqueued through the django-tasks API (settings.TASKS picks the backend),
and handing the outbox's due mails to them."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from following import delivery, pipeline
from following.models import OutboxMail


@task()
def send_mail(mail_id):
    """Send one outbox mail (following.delivery.send); its state says whether it went."""
    return delivery.send(mail_id)


def run_round(now=None):
    """A round of the pipeline, then every due mail handed to the worker."""
    now = now or timezone.now()
    result = pipeline.tick(now)
    result.queued = dispatch(now)
    return result


def dispatch(now):
    """Enqueue a send task for each due mail not handed over lately (a worker that was handed
    one and died gets it again after the lease); returns how many."""
    due = OutboxMail.objects.filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - pipeline.LEASE),
        state=OutboxMail.State.PENDING,
        # Mails made during this round are due too, though made after its `now`.
        next_attempt_at__lte=max(now, timezone.now()),
    ).values_list("pk", flat=True)
    queued = 0
    for pk in list(due):
        if OutboxMail.objects.filter(pk=pk, state=OutboxMail.State.PENDING).update(queued_at=now):
            send_mail.enqueue(pk)
            queued += 1
    return queued


def queue_now(mail):
    """Hand a mail just saved to the worker once the transaction that saved it commits."""

    def enqueue():
        if OutboxMail.objects.filter(pk=mail.pk, queued_at__isnull=True).update(
            queued_at=timezone.now()
        ):
            send_mail.enqueue(mail.pk)

    transaction.on_commit(enqueue)
