"""What triggers a mail, and what never does: board-only and unpublished content (the mail's
leak test, as tests/meetings/test_board_only.py is the pages')."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from actionplan import editing
from actionplan.models import ActionPlan, ActionStep, Milestone
from following.tasks import run_round
from meetings import services as meeting_services
from meetings.models import Annotation, Meeting
from monitoring.models import Assessment, MonitoringReport, Publication
from tests.following.conftest import later
from tests.following.test_digest import report, subscribe
from tests.smtp_server import parts

pytestmark = pytest.mark.django_db


def everything(inbox):
    """All that arrived, headers and both parts, as one string."""
    chunks = []
    for message in inbox.messages:
        text, html = parts(message)
        chunks += [str(message["Subject"]), text, html]
    return "\n".join(chunks)


def meeting(plan, title, is_public=True, outcomes=""):
    return Meeting.objects.create(
        plan=plan,
        slug=title.lower().replace(" ", "-"),
        title=title,
        start_date=datetime.date(2025, 3, 4),
        is_public=is_public,
        outcomes=outcomes,
    )


def annotation(meeting, text, visibility=Annotation.Visibility.PUBLIC, step=None):
    author = User.objects.get_or_create(username="board")[0]
    return meeting_services.create_annotation(
        Annotation(meeting=meeting, text=text, visibility=visibility, step=step), author=author
    )


def test_a_completed_milestone_is_news(step, smtp, started):
    subscribe("step", step.plan, step=step)
    step.refresh_from_db()
    milestone = Milestone.objects.get(step=step)
    editing.update_step(
        step,
        user=User.objects.create_user("someone"),
        version=step.version,
        status=step.status,
        progress=step.progress,
        completed_milestones={milestone.pk},
        note="Kick-off held.",
    )
    run_round(later())
    text, _html = parts(smtp.messages[0])
    assert "Milestone “Kick-off” completed on not set →" in text
    assert "Kick-off held." in text


def test_a_step_that_becomes_overdue_is_news(plan, priority, smtp, started):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = ActionStep.objects.create(
        plan=plan, priority=priority, code="LATE", title="Late step", end_date=yesterday
    )
    subscribe("priority", plan, priority=priority)
    run_round(later())
    [message] = smtp.messages
    assert message["Subject"].endswith("LATE Late step: Action step overdue")
    text, _html = parts(message)
    assert "has passed; the step is not started." in text
    run_round(later(3600))
    assert len(smtp.messages) == 1  # once per end date
    ActionStep.objects.filter(pk=late.pk).update(end_date=yesterday - datetime.timedelta(days=1))
    run_round(later(7200))
    assert len(smtp.messages) == 2  # a new end date that passes is news again


def test_meeting_outcomes_and_public_annotations_reach_the_meetings_followers(
    plan, step, smtp, started
):
    subscribe("meetings", plan)
    held = meeting(plan, "Public dialogue", outcomes="We agreed on three open datasets.")
    annotation(held, "The board welcomes the datasets.")
    run_round(later())
    [message] = smtp.messages
    text, html = parts(message)
    assert "We agreed on three open datasets." in text and "The board welcomes" in html
    assert "/en/plans/test-plan/meetings/public-dialogue/" in text
    assert "#annotation-" in text


def test_assessments_reports_and_a_new_plan_are_news(plan, step, jurisdiction, smtp, started):
    subscribe("plan", plan)
    Assessment.objects.create(
        step=step,
        narrative="A promising start.",
        completion="limited",
        status=Publication.PUBLISHED,
        published_at=timezone.now(),
    )
    report_ = MonitoringReport.objects.create(
        plan=plan,
        kind=MonitoringReport.Kind.INCEPTION,
        title="Inception report",
        authors="Evaluator",
        summary="The plan is relevant.",
        status=Publication.PUBLISHED,
    )
    report_.steps.add(step)
    ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="next-plan",
        code="TP 26–28",
        title="Next plan",
        status=ActionPlan.Status.PUBLISHED,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2028, 8, 31),
    )
    run_round(later())
    [message] = smtp.messages
    text, _html = parts(message)
    assert "Independent assessment published" in text and "A promising start." in text
    assert "Inception report" in text and "The plan is relevant." in text
    assert "New action plan published" in text and "TP 26–28 Next plan" in text


def test_board_only_and_unpublished_content_never_reaches_a_mail(
    plan, step, priority, jurisdiction, smtp, started
):
    subscribe("plan", plan)
    subscribe("step", plan, email="step@example.org", step=step)
    subscribe("meetings", plan, email="meetings@example.org")
    public = meeting(plan, "Board session", outcomes="PUBLIC-OUTCOME")
    annotation(public, "SECRET-BOARD-NOTE", visibility=Annotation.Visibility.BOARD, step=step)
    annotation(public, "PUBLIC-NOTE", step=step)
    revoked = annotation(public, "SECRET-REVOKED", step=step)
    meeting(plan, "Draft meeting", is_public=False, outcomes="SECRET-DRAFT-MEETING")
    Assessment.objects.create(step=step, narrative="SECRET-DRAFT-ASSESSMENT")
    MonitoringReport.objects.create(
        plan=plan, kind="inception", title="SECRET-DRAFT-REPORT", authors="Evaluator"
    )
    draft_plan = ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="draft",
        code="SECRET-DRAFT-PLAN",
        title="Draft",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 1, 1),
    )
    draft_step = ActionStep.objects.create(plan=draft_plan, code="D1", title="Draft step")
    report(draft_step, "SECRET-DRAFT-STEP-NOTE")
    run_round()  # the revoked annotation is an event now ...
    Annotation.objects.filter(pk=revoked.pk).update(visibility=Annotation.Visibility.BOARD)
    run_round(later())  # ... but no longer public when the mail is made
    arrived = everything(smtp)
    assert sorted(m["To"] for m in smtp.messages) == [
        "meetings@example.org",
        "reader@example.org",
        "step@example.org",
    ]
    assert "PUBLIC-OUTCOME" in arrived and "PUBLIC-NOTE" in arrived
    assert "SECRET" not in arrived
