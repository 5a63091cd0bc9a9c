"""History back to the plan's start (backfilled past updates) and replanning in the open
(baselines, moves with reasons)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, transaction
from django.utils import timezone

from actionplan import backfill, editing, selectors
from actionplan.backfill import PastUpdate
from actionplan.history import plan_state_as_of
from actionplan.models import ActionStep, StepChange, StepUpdate

S = ActionStep.Status


def test_a_new_step_gets_its_dates_as_baseline(step):
    step.refresh_from_db()
    assert (step.baseline_start_date, step.baseline_end_date) == (step.start_date, step.end_date)


def test_backfilled_rows_are_refused_outside_the_importer(step):
    with pytest.raises(DatabaseError), transaction.atomic():
        StepChange.objects.create(
            step=step, version=0, changed_at=timezone.now(), field="status", backfilled=True
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        StepUpdate.objects.create(
            step=step, from_version=0, to_version=0, note="x", backfilled=True
        )


def test_past_updates_make_the_plan_as_of_a_past_day(step):
    count = backfill.record(
        step,
        [
            PastUpdate(datetime.date(2024, 7, 1), "Started.", status=S.IN_PROGRESS, progress=10),
            PastUpdate(datetime.date(2025, 2, 1), "Half way.", progress=50),
        ],
    )

    assert count == 2
    assert plan_state_as_of(step.plan, datetime.date(2024, 12, 31))[step.pk].progress == 10
    assert plan_state_as_of(step.plan, datetime.date(2025, 3, 1))[step.pk].progress == 50
    assert plan_state_as_of(step.plan, datetime.date(2024, 6, 1)) == {}
    # Again: nothing is added twice.
    assert (
        backfill.record(step, [PastUpdate(datetime.date(2025, 2, 1), "Half way.", progress=50)])
        == 0
    )


def test_backfilled_history_is_append_only_too(step):
    backfill.record(step, [PastUpdate(datetime.date(2024, 7, 1), "Started.", progress=10)])
    with pytest.raises(DatabaseError), transaction.atomic():
        StepChange.objects.filter(step=step, backfilled=True).update(new_value="99")


def test_the_step_page_marks_backfilled_updates(client, step, english):
    backfill.record(step, [PastUpdate(datetime.date(2024, 7, 1), "Started in July.", progress=10)])

    page = client.get(f"/en/plans/{step.plan.slug}/steps/{step.code}/").content.decode()

    assert "Backfilled" in page and "Started in July." in page


def test_a_csv_brings_past_updates_and_reports_every_bad_line(step):
    text = (
        "step,date,status,progress,note\n"
        "S1,2024-07-01,in_progress,10,Started\n"
        "S9,2024-08-01,,20,No such step\n"
        "S1,2099-01-01,,30,Future\n"
    )
    with pytest.raises(backfill.CsvProblem) as problem:
        backfill.import_csv(text, step.plan)
    assert len(problem.value.problems) == 2
    assert not StepUpdate.objects.filter(backfilled=True).exists()

    assert (
        backfill.import_csv("step,date,progress,note\nS1,2024-07-01,10,Started\n", step.plan) == 1
    )


def _moved(step):
    return selectors.with_step_figures(ActionStep.objects.filter(pk=step.pk)).get()


def test_moving_the_dates_needs_a_reason_and_is_counted(client, step, english):
    step.refresh_from_db()
    new_end = datetime.date(2026, 3, 31)
    update = editing.update_step(
        step,
        user=User.objects.create_user("editor"),
        version=step.version,
        status=S.IN_PROGRESS,
        progress=10,
        completed_milestones=set(),
        note="Later.",
        start_date=step.start_date,
        end_date=new_end,
        date_reason="Funding came later.",
    )

    moved = _moved(step)
    assert update.date_reason == "Funding came later."
    assert moved.end_date == new_end and moved.baseline_end_date == datetime.date(2025, 6, 30)
    assert moved.times_moved == 1 and moved.end_moved_days == 274
    assert selectors.replanning([moved]) == {"moved": 1, "days": 274, "later": 274}
    page = client.get(f"/en/plans/{step.plan.slug}/steps/{step.code}/").content.decode()
    assert "originally due" in page and "moved once" in page and "Funding came later." in page


def test_the_form_refuses_new_dates_without_a_reason(step):
    from actionplan.forms import StepUpdateForm

    step.refresh_from_db()
    data = {
        "version": step.version,
        "status": "in_progress",
        "progress": "10",
        "note": "n",
        "start_date": step.start_date.isoformat(),
        "end_date": "2026-03-31",
    }
    form = StepUpdateForm(data, step=step, milestones=[])
    assert not form.is_valid() and "date_reason" in form.errors
    form = StepUpdateForm({**data, "date_reason": "Why"}, step=step, milestones=[])
    assert form.is_valid() and form.edit()["date_reason"] == "Why"
