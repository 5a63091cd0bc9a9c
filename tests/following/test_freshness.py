"""The four-month rule: when each step was last reported on, on the step page, the plan overview,
My steps and the PDF's page; the weekly reminder to the institution's staff; the feeds per step
and per priority."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from actionplan import freshness
from actionplan.models import ActionStep, StepUpdate
from following.models import OutboxMail
from following.tasks import run_round
from tests.following.test_digest import report
from tests.smtp_server import parts

pytestmark = pytest.mark.django_db


def backdate(step, days):
    """Make the step's latest report `days` old."""
    moment = timezone.now() - datetime.timedelta(days=days)
    StepUpdate.objects.filter(step=step).update(created_at=moment)
    return moment


def test_the_step_page_says_when_the_step_was_last_reported_on(client, step):
    report(step, "An update.")
    backdate(step, 92)
    html = client.get(reverse("actionplan:step", args=[step.plan.slug, step.code])).content.decode()
    assert "Last update" in html and "3\xa0months ago" in html
    assert "No report for more than" not in html
    backdate(step, 120)
    html = client.get(reverse("actionplan:step", args=[step.plan.slug, step.code])).content.decode()
    assert "No report for more than 100 days" in html


def test_a_step_never_reported_on_counts_from_its_creation(client, step):
    html = client.get(reverse("actionplan:step", args=[step.plan.slug, step.code])).content.decode()
    assert "No update reported yet" in html
    [row] = freshness.with_last_report(ActionStep.objects.select_related("plan"))
    assert row.last_reported_at is None and row.reported_since is not None
    assert not freshness.is_stale(row)
    assert freshness.is_stale(row, timezone.now() + datetime.timedelta(days=101))


def test_the_plan_overview_says_when_the_plan_was_last_updated(client, step):
    html = client.get(reverse("actionplan:plan", args=[step.plan.slug])).content.decode()
    assert "No action step has been reported on yet." in html
    report(step, "An update.")
    backdate(step, 130)
    html = client.get(reverse("actionplan:plan", args=[step.plan.slug])).content.decode()
    assert "the latest report on any action step" in html and "4\xa0months ago" in html
    assert "1 step has had no report for more than 100 days" in html
    assert "last update 4\xa0months ago" in html  # beside the step in the timeline


def test_my_steps_flags_a_step_without_a_report_for_stale_after_days(client, step, staff):
    report(step, "An update.")
    backdate(step, 101)
    client.force_login(staff)
    html = client.get(reverse("staff:my_steps")).content.decode()
    assert "No update for more than 100 days." in html
    assert "steps without an update for 100 days" in html


def test_the_progress_report_shows_the_last_update(client, step):
    report(step, "An update.")
    # The page and the PDF are one template (publishing/progress_report.html).
    response = client.get(reverse("publishing:progress_report", args=[step.plan.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Last update" in html and "ago, on" in html


def test_the_weekly_reminder_lists_stale_steps_to_their_institution_staff(
    step, staff, smtp, settings
):
    settings.LANGUAGE_CODE = "en"
    report(step, "An update.")
    backdate(step, 101)
    User.objects.create_user("elsewhere", "elsewhere@example.org")  # no affiliation
    run_round()
    [message] = smtp.messages
    assert message["To"] == "staffer@example.org"
    assert "1 action step has had no report for more than 100 days" in message["Subject"]
    text, html = parts(message)
    assert "S1 First step" in text and "S1 First step" in html
    assert "http://portal.test/en/plans/test-plan/steps/S1/update/" in text
    run_round()
    run_round(timezone.now() + datetime.timedelta(hours=30))
    assert len(smtp.messages) == 1  # once a week
    assert OutboxMail.objects.filter(kind="reminder").count() == 1


def test_feeds_per_step_and_priority(client, step):
    report(step, "Fed.")
    step_feed = client.get(reverse("actionplan:step_feed", args=[step.plan.slug, step.code]))
    priority_feed = client.get(reverse("actionplan:priority_feed", args=[step.plan.slug, "P1"]))
    for response in (step_feed, priority_feed):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        body = response.content.decode()
        assert '<summary type="text">' in body and "Fed." in body
    assert (
        client.get(reverse("actionplan:step_feed", args=[step.plan.slug, "NOPE"])).status_code
        == 404
    )
