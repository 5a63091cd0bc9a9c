"""The following rows of the permission matrix (tests/portal/test_permission_matrix.py runs them
for every persona). Following needs no account: everyone may, signed in or not; the links from
mails act through the subscriber's token, not the person signed in."""

from django.urls import reverse
from django.utils import timezone

from following.mails import confirmation_token
from following.models import Subscriber, Subscription
from tests.personas import PERSONAS, Row

EVERYONE = set(PERSONAS)


def _email(persona):
    return f"{persona}@example.org"


def _subscriber(world, persona, confirmed=True):
    now = timezone.now() if confirmed else None
    subscriber = Subscriber.objects.create(email=_email(persona), language="en", confirmed_at=now)
    subscription = Subscription.objects.create(
        subscriber=subscriber,
        kind="step",
        plan=world.plan,
        step=world.step_a,
        target=f"step:{world.step_a.pk}",
        confirmed_at=now,
    )
    return subscriber, subscription


def _follow(name, *args):
    def request(world, persona):
        kwargs = {"plan_slug": world.plan.slug}
        if args:
            kwargs["code"] = args[0](world)
        url = reverse(f"following:{name}", kwargs=kwargs)
        return "post", url, {"email": _email(persona), "language": "en", "frequency": "weekly"}

    return request


def _follows(world, persona):
    return Subscription.objects.filter(subscriber__email=_email(persona)).exists()


def _confirm(world, persona):
    _unused, subscription = _subscriber(world, persona, confirmed=False)
    return "post", reverse("following:confirm", args=[confirmation_token(subscription)]), {}


def _confirmed(world, persona):
    return Subscription.objects.filter(
        subscriber__email=_email(persona), confirmed_at__isnull=False
    ).exists()


def _manage(world, persona):
    subscriber, subscription = _subscriber(world, persona)
    url = reverse("following:manage", args=[subscriber.token])
    return "post", url, {"keep": [str(subscription.pk)], "language": "sk", "frequency": "weekly"}


def _managed(world, persona):
    return Subscriber.objects.filter(email=_email(persona), language="sk").exists()


def _forget(name):
    def request(world, persona):
        subscriber, _subscription = _subscriber(world, persona)
        return "post", reverse(f"following:{name}", args=[subscriber.token]), {}

    return request


def _forgotten(world, persona):
    return not Subscriber.objects.filter(email=_email(persona)).exists()


FOLLOWING_ROWS = {
    "following:follow_plan": Row(EVERYONE, _follow("follow_plan"), _follows),
    "following:follow_priority": Row(
        EVERYONE, _follow("follow_priority", lambda w: w.step_a.priority.code), _follows
    ),
    "following:follow_step": Row(
        EVERYONE, _follow("follow_step", lambda w: w.step_a.code), _follows
    ),
    "following:follow_meetings": Row(EVERYONE, _follow("follow_meetings"), _follows),
    "following:confirm": Row(EVERYONE, _confirm, _confirmed),
    "following:manage": Row(EVERYONE, _manage, _managed),
    "following:delete": Row(EVERYONE, _forget("delete"), _forgotten),
    "following:unsubscribe": Row(EVERYONE, _forget("unsubscribe"), _forgotten),
}
