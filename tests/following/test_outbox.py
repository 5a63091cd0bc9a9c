"""The outbox: a worker killed mid-batch sends nothing twice and drops nothing; temporary SMTP
errors are retried with back-off; an address that keeps bouncing is suspended."""

import datetime

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone

from following import delivery, pipeline
from following.models import Notice, OutboxMail, Subscriber
from following.tasks import run_round
from tests.following.conftest import later
from tests.following.test_digest import report, subscribe

pytestmark = pytest.mark.django_db
READERS = ["a@example.org", "b@example.org", "c@example.org"]


class Killed(KeyboardInterrupt):
    """The worker process dying: nothing after it runs, no handler catches it."""


class DyingConnection(EmailBackend):
    """Django's SMTP backend that dies at its `die_at`-th message, before handing it over."""

    def __init__(self, die_at, **kwargs):
        super().__init__(**kwargs)
        self.die_at, self.count = die_at, 0

    def send_messages(self, messages):
        self.count += 1
        if self.count == self.die_at:
            raise Killed
        return super().send_messages(messages)


def three_mails(step):
    for address in READERS:
        subscribe("step", step.plan, email=address, step=step)
    report(step, "One change, three readers.")
    pipeline.tick(later())  # composed, not yet handed to a worker
    return list(OutboxMail.objects.order_by("pk").values_list("pk", flat=True))


def test_a_worker_killed_mid_batch_sends_nothing_twice_and_drops_nothing(step, smtp, started):
    mails = three_mails(step)
    assert len(mails) == 3
    connection = DyingConnection(die_at=2)
    with pytest.raises(Killed):
        for pk in mails:
            delivery.send(pk, connection=connection)
    states = dict(OutboxMail.objects.values_list("pk", "state"))
    assert [states[pk] for pk in mails] == ["sent", "sending", "pending"]
    assert len(smtp.messages) == 1
    # A new worker: the pending mail goes at once; the one the dead worker held, after the lease.
    run_round()
    assert len(smtp.messages) == 2
    run_round(timezone.now() + pipeline.LEASE + datetime.timedelta(seconds=1))
    assert sorted(m["To"] for m in smtp.messages) == READERS
    assert set(OutboxMail.objects.values_list("state", flat=True)) == {"sent"}
    # And nothing more, whatever happens next.
    run_round(timezone.now() + 3 * pipeline.LEASE)
    assert len(smtp.messages) == 3
    message_ids = [m["Message-ID"] for m in smtp.messages]
    assert len(set(message_ids)) == 3


def test_a_kill_while_composing_loses_no_notice(step, smtp, started, monkeypatch):
    subscribe("step", step.plan, step=step)
    report(step, "Composed after a crash.")
    pipeline.tick()  # routed, inside the batch window

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr("following.mails.digest", die)
    with pytest.raises(Killed):
        pipeline.tick(later())
    monkeypatch.undo()
    assert OutboxMail.objects.count() == 0
    assert Notice.objects.filter(done=False).count() == 1
    run_round(later())
    [message] = smtp.messages
    assert "Composed after a crash." in message.get_body(("plain",)).get_content()


def test_a_temporary_error_is_retried_later_and_then_given_up(step, smtp, started, settings):
    settings.FOLLOWING_MAX_ATTEMPTS = 3
    settings.FOLLOWING_RETRY_SECONDS = 60
    subscribe("step", step.plan, step=step)
    smtp.defer.add("reader@example.org")
    report(step, "Deferred.")
    now = later()
    pipeline.tick(now)
    [mail] = OutboxMail.objects.all()
    assert delivery.send(mail.pk, now=now) == "pending"
    mail.refresh_from_db()
    assert mail.attempts == 1 and "451" in mail.last_error
    assert mail.next_attempt_at == now + datetime.timedelta(seconds=60)
    assert delivery.send(mail.pk, now=now + datetime.timedelta(seconds=59)) is None  # not due
    assert delivery.send(mail.pk, now=now + datetime.timedelta(seconds=60)) == "pending"
    mail.refresh_from_db()
    assert mail.next_attempt_at == now + datetime.timedelta(seconds=60 + 120)  # doubled
    assert delivery.send(mail.pk, now=now + datetime.timedelta(seconds=180)) == "failed"
    assert Subscriber.objects.get().bounce_count == 1
    assert smtp.messages == []


def test_a_deferred_mail_goes_once_the_server_takes_it(step, smtp, started):
    subscribe("step", step.plan, step=step)
    smtp.defer.add("reader@example.org")
    report(step, "Second time lucky.")
    now = later()
    pipeline.tick(now)
    [mail] = OutboxMail.objects.all()
    delivery.send(mail.pk, now=now)
    smtp.defer.clear()
    assert delivery.send(mail.pk, now=now + datetime.timedelta(seconds=61)) == "sent"
    assert len(smtp.messages) == 1


def test_an_address_that_keeps_bouncing_is_suspended(step, smtp, started, settings):
    settings.FOLLOWING_BOUNCE_LIMIT = 2
    subscriber = subscribe("step", step.plan, step=step)
    smtp.refuse.add("reader@example.org")
    for n in range(2):
        report(step, f"Bounce {n}.", progress=10 + n)
        run_round(later(61 + n * 100))
    assert list(OutboxMail.objects.values_list("state", flat=True)) == ["bounced", "bounced"]
    subscriber.refresh_from_db()
    assert subscriber.bounce_count == 2 and subscriber.suspended_at is not None
    report(step, "Not sent to a suspended address.", progress=50)
    run_round(later(400))
    assert OutboxMail.objects.count() == 2
    assert smtp.messages == []
