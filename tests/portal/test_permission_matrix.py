"""Who may change what: every URL that changes data × every persona, built from the URLconf.

A view that changes data is marked with `portal.access.changes_data`. This module walks the
URLconf, finds every marked view, and fails if ROWS has no entry for its URL name, so a new
endpoint cannot ship without saying who may use it. Each row is then run for each persona, as a
plain request and as an HTMX request:

- an allowed persona gets a 2xx/3xx answer that is not the sign-in page, and the data changes;
- anyone else gets 403, 404 or the sign-in page (HTMX: an HX-Redirect to it), and nothing changes.

To add a row, decorate your view with @changes_data and add to ROWS:

    ROWS["meetings:edit"] = Row(
        allowed={"staff_a", "coordinator", "admin"},  # personas that may; the rest must not
        request=lambda world, persona: ("post", url, data),  # what each persona sends
        changed=lambda world, persona: bool,  # did it take effect? (run after the request)
    )

`world` (the fixture below) holds a plan with two steps, `step_a` led by `institution_a` and
`step_b` by `institution_b`, and the personas: anonymous, staff_a and staff_b (staff of A and B),
coordinator, board and monitor (of the plan) and admin; `world.users[persona]` is None for
anonymous. All passwords are "demo". Add what your rows need to the world, in
tests.personas.build_world.

The admin site is guarded by Django itself (is_staff and model permissions): see
test_only_administrators_enter_the_admin.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from actionplan.models import ActionStep
from tests.actionplan.permission_rows import PERIOD_ROWS
from tests.following.permission_rows import FOLLOWING_ROWS
from tests.meetings.permission_rows import MEETING_ROWS
from tests.monitoring.permission_rows import MONITORING_ROWS
from tests.personas import PERSONAS, Row, build_world, data_changing_url_names, is_sign_in


def _step_update(world, persona):
    step = world.step_a
    url = reverse("staff:update_step", kwargs={"plan_slug": step.plan.slug, "code": step.code})
    data = {
        "version": step.version,
        "status": "in_progress",
        "progress": "35",
        "note": f"Progress reported by {persona}.",
    }
    return "post", url, data


def _step_updated(world, persona):
    return ActionStep.objects.get(pk=world.step_a.pk).progress == 35


def _texts_edit(world, persona):
    step = world.step_a
    url = reverse("staff:edit_texts", args=[step.plan.slug, "steps", step.code])
    data = {"version": 0, "title_sk": f"Text od {persona}", "title_en": step.title_en or ""}
    for column in ("title_sk", "title_en", "problem_sk", "problem_en", "description_sk"):
        data[f"provenance_{column}"] = "official"
    for column in ("description_en", "expected_result_sk", "expected_result_en"):
        data[f"provenance_{column}"] = "official"
    for milestone in step.milestones.all():
        for code in ("sk", "en"):
            data[f"milestone_{milestone.pk}_title_{code}"] = (
                getattr(milestone, f"title_{code}") or ""
            )
            data[f"provenance_milestone_{milestone.pk}_title_{code}"] = "official"
    return "post", url, data


def _texts_edited(world, persona):
    return ActionStep.objects.get(pk=world.step_a.pk).title_sk == f"Text od {persona}"


def _password_change(world, persona):
    return (
        "post",
        reverse("accounts:password_change"),
        {
            "old_password": "demo",
            "new_password1": "another-long-secret-8",
            "new_password2": "another-long-secret-8",
        },
    )


def _password_changed(world, persona):
    user = world.users[persona]
    return user is not None and User.objects.get(pk=user.pk).check_password("another-long-secret-8")


ROWS = {
    "staff:update_step": Row(
        allowed={"staff_a", "coordinator", "admin"},
        request=_step_update,
        changed=_step_updated,
    ),
    # The plan's wording is the coordinators' to change.
    "staff:edit_texts": Row(
        allowed={"coordinator", "admin"},
        request=_texts_edit,
        changed=_texts_edited,
    ),
    "accounts:password_change": Row(
        allowed=set(PERSONAS) - {"anonymous"},
        request=_password_change,
        changed=_password_changed,
    ),
    **PERIOD_ROWS,
    **MEETING_ROWS,
    **MONITORING_ROWS,
    **FOLLOWING_ROWS,
}


@pytest.fixture
def world(settings, plan, jurisdiction, priority):
    # The password-change row signs in with the demo password; a fast hasher keeps it cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world(plan, jurisdiction, priority, password="demo")


def test_every_data_changing_url_has_a_row():
    names = set(data_changing_url_names())
    assert "staff:update_step" in names, "the URLconf walk found nothing: is the mark lost?"
    missing = sorted(names - set(ROWS))
    assert not missing, f"add a row to ROWS in {__name__} for: {', '.join(missing)}"
    stale = sorted(set(ROWS) - names)
    assert not stale, f"rows for URLs that are gone or no longer marked @changes_data: {stale}"


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_only_allowed_personas_change_data(client, world, name, persona, htmx):
    row = ROWS[name]
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    method, url, data = row.request(world, persona)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = getattr(client, method)(url, data, **headers)
    if persona in row.allowed:
        assert response.status_code < 400 and not is_sign_in(response, htmx), response.status_code
        assert row.changed(world, persona), f"{persona} was allowed but nothing changed"
    else:
        assert response.status_code in (403, 404) or is_sign_in(response, htmx), (
            response.status_code
        )
        assert not row.changed(world, persona), f"{persona} was refused but the data changed"


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_only_administrators_enter_the_admin(client, world, persona):
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    response = client.get(reverse("admin:actionplan_actionstep_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_administrator_enters_the_admin(client, world):
    client.force_login(world.users["admin"])
    assert client.get(reverse("admin:actionplan_actionstep_changelist")).status_code == 200


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_cannot_update_another_institutions_step_by_guessing(client, world, method, htmx):
    """Staff of B know the URL pattern and A's step code: they may see A's public step, so they
    are refused (403); a step or plan that does not exist is a 404. The step is untouched."""
    client.force_login(world.users["staff_b"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    step = world.step_a
    for plan_slug, code, status in (
        (step.plan.slug, step.code, 403),
        (step.plan.slug, "NO-SUCH-STEP", 404),
        ("no-such-plan", step.code, 404),
    ):
        url = reverse("staff:update_step", kwargs={"plan_slug": plan_slug, "code": code})
        response = getattr(client, method)(url, _step_update(world, "staff_b")[2], **headers)
        assert response.status_code == status
    assert ActionStep.objects.get(pk=step.pk).version == 1
