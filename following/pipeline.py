"""One round of following: read what happened, tell who follows it, compose the mails that are
due, and put back the mails of a worker that died. following.tasks.run_round adds handing the due
mails to the background worker; `manage.py following_scheduler` runs a round every
FOLLOWING_TICK_SECONDS. Every step is safe to run twice or side by side."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from following import items, mails, reminders, routing, sources
from following.models import Notice, OutboxMail, Subscriber, Subscription

# A worker that took a mail and has not finished it after this long is taken to be dead.
LEASE = datetime.timedelta(minutes=5)
WEEK = datetime.timedelta(days=7)


@dataclass
class Round:
    events: int = 0
    notices: int = 0
    mails: int = 0
    reminders: int = 0
    recovered: int = 0
    queued: int = 0

    def __str__(self):
        return (
            f"{self.events} events, {self.notices} notices, {self.mails} mails composed, "
            f"{self.reminders} reminders, {self.recovered} recovered, {self.queued} queued"
        )


def tick(now=None):
    now = now or timezone.now()
    result = Round()
    with transaction.atomic():
        result.events = sources.collect(now)
    with transaction.atomic():
        result.notices = routing.route()
    result.mails = compose_due(now)
    result.reminders = reminders.weekly(now)
    result.recovered = recover(now)
    prune(now)
    return result


def prune(now):
    """Forget addresses and wishes never confirmed while their link worked (and a day more)."""
    cutoff = now - datetime.timedelta(hours=settings.FOLLOWING_CONFIRM_HOURS + 24)
    Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()


def recover(now):
    """Mails a worker took and never finished (it was killed) wait again to be sent."""
    return OutboxMail.objects.filter(
        state=OutboxMail.State.SENDING, claimed_at__lt=now - LEASE
    ).update(state=OutboxMail.State.PENDING, queued_at=None)


# --- Composing --------------------------------------------------------------------------------


def due_subscribers(now):
    """Active subscribers with notices waiting whose mail is due: immediately once the first
    notice is FOLLOWING_BATCH_SECONDS old (the batch window), weekly a week after the last one."""
    window = now - datetime.timedelta(seconds=settings.FOLLOWING_BATCH_SECONDS)
    waiting = (
        Subscriber.objects.filter(confirmed_at__isnull=False, suspended_at__isnull=True)
        .filter(notices__done=False)
        .annotate(first_notice=Min("notices__created_at"))
    )
    immediate = Q(frequency=Subscriber.Frequency.IMMEDIATE, first_notice__lte=window)
    weekly = Q(frequency=Subscriber.Frequency.WEEKLY) & (
        Q(last_digest_at__lte=now - WEEK)
        | Q(last_digest_at__isnull=True, confirmed_at__lte=now - WEEK)
    )
    return list(waiting.filter(immediate | weekly))


def compose_due(now):
    return sum(compose_for(subscriber, now) for subscriber in due_subscribers(now))


def compose_for(subscriber, now):
    """One mail with the subscriber's waiting notices; 1 if a mail was made, else 0.

    The notices are marked done in the same transaction that saves the mail, and only if no other
    round took them meanwhile: each notice goes out in exactly one mail.
    """
    with transaction.atomic():
        notices = list(
            Notice.objects.filter(subscriber=subscriber, done=False).select_related("event")
        )
        if not notices:
            return 0
        weekly = subscriber.frequency == Subscriber.Frequency.WEEKLY
        found = items.render([n.event for n in notices], subscriber.language)
        mail = None
        if found:
            mail = mails.digest(subscriber, found, weekly=weekly)
            mail.save()
        taken = Notice.objects.filter(pk__in=[n.pk for n in notices], done=False).update(
            done=True, mail=mail
        )
        if taken != len(notices):
            transaction.set_rollback(True)  # another round composed them: its mail stands
            return 0
        if weekly:
            Subscriber.objects.filter(pk=subscriber.pk).update(last_digest_at=now)
    return 1 if mail else 0
