"""The only way subscriptions change: follow (with its confirmation mail), confirm, preferences,
export, and delete (which is also what unsubscribing does)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.content import text_of
from following import mails
from following.items import absolute
from following.models import Subscriber, Subscription
from following.tasks import queue_now

# A form sent again for the same thing within this time makes no second confirmation mail.
CONFIRMATION_PAUSE = datetime.timedelta(minutes=10)


@dataclass
class Target:
    """A thing to follow: a plan, one of its priorities or steps, or its meetings."""

    kind: str
    plan: object
    priority: object = None
    step: object = None

    @property
    def key(self):
        obj = self.step or self.priority or self.plan
        return f"{self.kind}:{obj.pk}"

    def title(self):
        """Its name in the current language."""
        return describe(self.kind, self.plan, self.priority, self.step)

    def url(self):
        if self.kind == Subscription.Kind.MEETINGS:
            return reverse("meetings:plan_meetings", args=[self.plan.slug])
        return (self.step or self.priority or self.plan).get_absolute_url()


def describe(kind, plan, priority=None, step=None):
    if kind == Subscription.Kind.STEP:
        return _("action step %(code)s %(title)s") % {
            "code": step.code,
            "title": text_of(step, "title"),
        }
    if kind == Subscription.Kind.PRIORITY:
        return _("priority %(code)s %(title)s") % {
            "code": priority.code,
            "title": text_of(priority, "title"),
        }
    if kind == Subscription.Kind.MEETINGS:
        return _("the meetings of %(code)s") % {"code": plan.code}
    return _("action plan %(code)s %(title)s") % {
        "code": plan.code,
        "title": text_of(plan, "title"),
    }


def subscription_title(subscription):
    return describe(subscription.kind, subscription.plan, subscription.priority, subscription.step)


def follow(target, email, language, frequency, now=None):
    """Record the wish to follow `target` and mail a confirmation link; returns the mail, or None
    when none was needed (already following) or one was sent moments ago.

    The answer to the visitor is the same in every case, so that the form does not tell who
    follows what.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email=email, defaults={"language": language, "frequency": frequency}
        )
        subscription, _created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            target=target.key,
            defaults={
                "kind": target.kind,
                "plan": target.plan,
                "priority": target.priority,
                "step": target.step,
            },
        )
        if subscription.confirmed_at and subscriber.is_active:
            return None
        sent = subscription.confirmation_sent_at
        if sent and sent > now - CONFIRMATION_PAUSE:
            return None
        with translation.override(subscriber.language):
            mail = mails.confirmation(subscription, target.title(), absolute(target.url()))
        mail.save()
        Subscription.objects.filter(pk=subscription.pk).update(confirmation_sent_at=now)
        queue_now(mail)
    return mail


class InvalidLink(Exception):
    def __init__(self, expired):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def check_confirmation(token):
    """The subscription a confirmation link is for; InvalidLink if it is forged, gone or old."""
    try:
        data = signing.loads(
            token, salt=mails.CONFIRM_SALT, max_age=settings.FOLLOWING_CONFIRM_HOURS * 3600
        )
    except signing.SignatureExpired:
        raise InvalidLink(expired=True) from None
    except signing.BadSignature:
        raise InvalidLink(expired=False) from None
    subscription = (
        Subscription.objects.select_related("subscriber", "plan", "priority", "step")
        .filter(pk=data.get("s"), subscriber__token=data.get("t"))
        .first()
    )
    if subscription is None:
        raise InvalidLink(expired=False)
    return subscription


def confirm(subscription, now=None):
    """Confirm the subscription, and the address with it (lifting a suspension: the subscriber
    has just shown that it receives mail)."""
    now = now or timezone.now()
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=now
        )
        Subscriber.objects.filter(pk=subscription.subscriber_id).update(
            confirmed_at=subscription.subscriber.confirmed_at or now,
            suspended_at=None,
            bounce_count=0,
        )


def subscriptions_of(subscriber):
    """The confirmed subscriptions, each with its `title` in the current language."""
    rows = list(
        subscriber.subscriptions.filter(confirmed_at__isnull=False)
        # plan, priority, step: each row names them.
        .select_related("plan", "priority", "step")
    )
    for row in rows:
        row.title = subscription_title(row)
    return rows


def save_preferences(subscriber, *, language, frequency, keep):
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).update(language=language, frequency=frequency)
        subscriber.subscriptions.filter(confirmed_at__isnull=False).exclude(
            pk__in=[int(pk) for pk in keep]
        ).delete()


def export(subscriber):
    """Everything kept about the address (GDPR article 15), as a JSON-ready dict."""
    subscriptions = list(
        subscriber.subscriptions.select_related("plan", "priority", "step").order_by("id")
    )
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "frequency": subscriber.frequency,
        "signed_up_at": subscriber.created_at,
        "confirmed_at": subscriber.confirmed_at,
        "undeliverable_mails": subscriber.bounce_count,
        "suspended_at": subscriber.suspended_at,
        "following": [
            {
                "what": subscription_title(s),
                "address": absolute(Target(s.kind, s.plan, s.priority, s.step).url()),
                "asked_at": s.created_at,
                "confirmed_at": s.confirmed_at,
            }
            for s in subscriptions
        ],
        "mails": [
            {
                "kind": mail.kind,
                "subject": mail.subject,
                "state": mail.state,
                "made_at": mail.created_at,
                "sent_at": mail.sent_at,
            }
            for mail in subscriber.mails.order_by("created_at", "id")
        ],
    }


def delete(subscriber):
    """Forget the address and everything about it (GDPR article 17); also what unsubscribing
    does, since the address is kept for nothing else. Its unsent mails go with it."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()
