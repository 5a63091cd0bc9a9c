"""Sending one outbox mail, so that a worker killed at any moment sends nothing twice and drops
nothing.

A mail moves pending → sending → sent, each step a conditional UPDATE committed on its own:

- Only one worker can claim a pending mail (the UPDATE matches one row once).
- A worker killed before the SMTP server accepted the mail leaves it "sending"; after LEASE the
  scheduler puts it back to pending (following.pipeline.recover) and it goes out once.
- The one moment that remains is between the server's acceptance and the commit of "sent": a kill
  exactly there sends the mail again after LEASE, with the same Message-ID, by which mail clients
  recognise a duplicate. No protocol closes this gap; keeping it to one UPDATE keeps it small.

A temporary SMTP error (4xx, or no connection) puts the mail back with a delay that doubles at each
attempt; after FOLLOWING_MAX_ATTEMPTS it is given up. A permanent refusal (5xx) bounces it at once.
Both count against the address, which is suspended after FOLLOWING_BOUNCE_LIMIT of them.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from following import mails
from following.models import OutboxMail, Subscriber

logger = logging.getLogger(__name__)
State = OutboxMail.State


def claim(mail_id, now):
    """Take a due pending mail for sending; False if another worker has it or it is not due."""
    return bool(
        OutboxMail.objects.filter(pk=mail_id, state=State.PENDING, next_attempt_at__lte=now).update(
            state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def send(mail_id, now=None, connection=None):
    """Send one outbox mail if it is due; returns its state afterwards (None if not claimed)."""
    now = now or timezone.now()
    if not claim(mail_id, now):
        return None
    # subscriber: a suspended address gets no more mail.
    mail = OutboxMail.objects.select_related("subscriber").get(pk=mail_id)
    subscriber = mail.subscriber
    if subscriber is not None and subscriber.suspended_at and mail.kind != OutboxMail.Kind.CONFIRM:
        return _finish(mail, State.FAILED, "the address is suspended")
    message = mails.message(mail)
    message.connection = connection
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if codes and min(codes) >= 500:
            return _bounce(mail, now, str(error.recipients))
        return _retry(mail, now, str(error.recipients))
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            return _bounce(mail, now, f"{error.smtp_code} {error.smtp_error!r}")
        return _retry(mail, now, f"{error.smtp_code} {error.smtp_error!r}")
    except (smtplib.SMTPException, OSError) as error:
        return _retry(mail, now, repr(error))
    return _finish(mail, State.SENT, "", sent_at=now)


def _finish(mail, state, error, **fields):
    OutboxMail.objects.filter(pk=mail.pk, state=State.SENDING).update(
        state=state, last_error=error[:2000], **fields
    )
    return state


def _retry(mail, now, error):
    if mail.attempts >= settings.FOLLOWING_MAX_ATTEMPTS:
        logger.warning("Giving up mail %s to %s: %s", mail.pk, mail.to, error)
        _count_bounce(mail, now)
        return _finish(mail, State.FAILED, error)
    delay = settings.FOLLOWING_RETRY_SECONDS * 2 ** (mail.attempts - 1)
    OutboxMail.objects.filter(pk=mail.pk, state=State.SENDING).update(
        state=State.PENDING,
        next_attempt_at=now + datetime.timedelta(seconds=delay),
        queued_at=None,
        last_error=error[:2000],
    )
    return State.PENDING


def _bounce(mail, now, error):
    logger.warning("Mail %s to %s refused: %s", mail.pk, mail.to, error)
    _count_bounce(mail, now)
    return _finish(mail, State.BOUNCED, error)


def _count_bounce(mail, now):
    if mail.subscriber_id is None:
        return
    Subscriber.objects.filter(pk=mail.subscriber_id).update(bounce_count=F("bounce_count") + 1)
    Subscriber.objects.filter(
        pk=mail.subscriber_id,
        bounce_count__gte=settings.FOLLOWING_BOUNCE_LIMIT,
        suspended_at__isnull=True,
    ).update(suspended_at=now)
