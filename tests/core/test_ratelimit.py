"""Rate limits per client address: form POSTs, PDF renders, password-reset mails; a clear 429
page in both languages; other clients unaffected; cached PDFs and pending renders are free."""

import pytest
from django.core import mail
from django.urls import reverse

from actionplan.models import ActionStep
from tests.personas import build_world

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(plan, jurisdiction, priority, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE
    return build_world(plan, jurisdiction, priority)


def test_posts_beyond_the_limit_get_a_429_page_and_change_nothing(client, world, settings):
    settings.RATE_LIMITS = {"post": (3, 600)}
    client.force_login(world.users["staff_a"])
    step = world.step_a
    url = reverse("staff:update_step", kwargs={"plan_slug": step.plan.slug, "code": step.code})
    for progress in (10, 20, 30):
        step.refresh_from_db()
        data = {"version": step.version, "status": "in_progress", "progress": progress, "note": "n"}
        assert client.post(url, data, REMOTE_ADDR="10.1.0.1").status_code == 302
    step.refresh_from_db()
    data = {"version": step.version, "status": "in_progress", "progress": 40, "note": "n"}
    response = client.post(url, data, REMOTE_ADDR="10.1.0.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests" in response.content.decode()
    assert ActionStep.objects.get(pk=step.pk).progress == 30
    # Another computer is not affected.
    assert client.post(url, data, REMOTE_ADDR="10.1.0.2").status_code == 302


def test_the_429_page_speaks_slovak_on_slovak_pages(client, world, settings):
    settings.RATE_LIMITS = {"post": (0, 600)}
    response = client.post("/sk/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 429
    assert 'lang="sk"' in response.content.decode()
    assert "Too many requests" not in response.content.decode()


def test_pdf_renders_are_limited_but_cached_files_and_pending_renders_are_not(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {"pdf": (1, 600)}
    url = reverse("publishing:step_sheet_pdf", kwargs={"plan_slug": world.plan.slug, "code": "S-A"})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)  # queues and (immediate backend) renders
    for _ in range(3):  # the cached file, again and again
        assert client.get(url)["Content-Type"] == "application/pdf"
    other = reverse(
        "publishing:step_sheet_pdf", kwargs={"plan_slug": world.plan.slug, "code": "S-B"}
    )
    assert client.get(other).status_code == 429  # a second render in the window


def test_password_reset_mails_are_limited(client, world, settings):
    settings.RATE_LIMITS = {"password_reset": (2, 3600)}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    staff = world.users["staff_a"]
    staff.set_password("a-usable-password-1")  # reset mails go only to usable passwords
    staff.save()
    url = reverse("accounts:password_reset")
    for _ in range(2):
        assert client.post(url, {"email": "staff@example.org"}).status_code == 302
    assert client.post(url, {"email": "staff@example.org"}).status_code == 429
    assert len(mail.outbox) == 2
    assert client.get(url).status_code == 200  # the form itself still shows
