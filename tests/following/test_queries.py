"""Query counts of the following pages, pinned like the public pages' (tests/actionplan)."""

import pytest
from django.urls import reverse

from following.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db


def test_the_follow_page_costs_two_queries(client, step, django_assert_num_queries):
    url = reverse("following:follow_step", args=[step.plan.slug, step.code])
    # 1 the public plan with its jurisdiction, 2 the step
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_the_preferences_page_costs_two_queries(client, step, django_assert_num_queries):
    subscriber = Subscriber.objects.create(email="a@example.org", language="en")
    for kind, extra in (("step", {"step": step}), ("plan", {}), ("meetings", {})):
        Subscription.objects.create(
            subscriber=subscriber,
            kind=kind,
            plan=step.plan,
            target=f"{kind}:{step.pk}",
            confirmed_at=subscriber.created_at,
            **extra,
        )
    url = reverse("following:manage", args=[subscriber.token])
    # 1 the subscriber by token, 2 the subscriptions with their plan, priority and step
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
