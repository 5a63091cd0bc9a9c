"""The sign-in audit log: every sign-in, failure, lockout and role change, readable by admins."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from actionplan.models import PlanRole, Role
from portal.models import SignInEvent
from tests.personas import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(plan, jurisdiction, priority, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(plan, jurisdiction, priority, password="demo")


def sign_in(client, username, password, ip="10.0.5.1"):
    data = {"username": username, "password": password}
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ip)


def kinds():
    return list(SignInEvent.objects.order_by("id").values_list("kind", "username"))


def test_sign_in_failure_and_lockout_are_logged_with_the_address(client, world, settings):
    SignInEvent.objects.all().delete()  # the world's accounts were given roles
    sign_in(client, "staff", "demo")
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.0.5.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "staff", "wrong")
    events = kinds()
    assert events[:2] == [("signed_in", "staff"), ("signed_out", "staff")]
    # django-axes reports the lockout while the last failure is being recorded.
    assert sorted(events[2:]) == sorted(
        [("failed", "staff")] * settings.AXES_FAILURE_LIMIT + [("locked_out", "staff")]
    )
    assert set(SignInEvent.objects.values_list("ip_address", flat=True)) == {"10.0.5.1"}
    # A failure names what was typed, never the password.
    assert not SignInEvent.objects.filter(detail__icontains="wrong").exists()


def test_role_changes_are_logged_whoever_makes_them(world):
    user = User.objects.create(username="newcomer")
    SignInEvent.objects.all().delete()
    user.groups.add(Group.objects.get(name=Role.MONITOR))
    PlanRole.objects.create(user=user, plan=world.plan, role=Role.MONITOR)
    PlanRole.objects.filter(user=user).delete()  # a bulk delete sends the signal per row too
    details = list(SignInEvent.objects.order_by("id").values_list("kind", "detail"))
    assert details == [
        ("role_changed", "groups given: monitor"),
        ("role_changed", "given: Monitor of TP 24–26"),
        ("role_changed", "taken: Monitor of TP 24–26"),
    ]


def test_only_administrators_read_the_log(client, world):
    url = reverse("admin:portal_signinevent_changelist")
    client.force_login(world.users["coordinator"])
    assert client.get(url).status_code == 302  # to the admin's sign-in
    client.force_login(world.users["admin"])
    assert client.get(url).status_code == 200
    event = SignInEvent.objects.first()
    change = reverse("admin:portal_signinevent_change", args=[event.pk])
    response = client.post(change, {"detail": "rewritten"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.detail != "rewritten"
