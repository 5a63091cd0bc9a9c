"""Every path that changes a step leaves the same history, because the database writes it."""

import datetime
import time

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from actionplan.models import ActionStep, StepChange, StepUpdate


def changes(step, field):
    return list(
        StepChange.objects.filter(step=step, field=field)
        .order_by("version", "id")
        .values_list("version", "old_value", "new_value")
    )


def test_creating_a_step_records_its_initial_state(step):
    assert changes(step, "created") == [(1, None, None)]
    assert changes(step, "status") == [(1, None, "not_started")]
    assert changes(step, "end_date") == [(1, None, "2025-06-30")]


def test_save_records_from_and_to_and_bumps_version(step):
    step.status = ActionStep.Status.IN_PROGRESS
    step.progress = 40
    step.save()
    step.refresh_from_db()
    assert step.version == 2
    assert changes(step, "status")[-1] == (2, "not_started", "in_progress")
    assert changes(step, "progress")[-1] == (2, "0", "40")


def test_bulk_queryset_update_is_recorded(step):
    ActionStep.objects.filter(pk=step.pk).update(progress=10)
    assert changes(step, "progress")[-1] == (2, "0", "10")


def test_raw_sql_as_in_a_data_migration_is_recorded(step):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE actionplan_actionstep SET end_date = %s WHERE id = %s",
            [datetime.date(2026, 1, 31), step.pk],
        )
    assert changes(step, "end_date")[-1] == (2, "2025-06-30", "2026-01-31")


def test_unchanged_save_records_nothing(step):
    before = StepChange.objects.count()
    step.title = "Renamed only"
    step.save()
    step.refresh_from_db()
    assert StepChange.objects.count() == before
    assert step.version == 1


def test_milestone_completion_is_recorded_on_its_step(step):
    milestone = step.milestones.get()
    milestone.completed_on = datetime.date(2024, 8, 20)
    milestone.save()
    step.refresh_from_db()
    assert step.version == 2
    assert changes(step, "milestone") == [(2, None, "2024-08-20")]
    assert StepChange.objects.get(field="milestone").milestone_id == milestone.pk


def test_stale_instance_save_does_not_move_version_backwards(step):
    stale = ActionStep.objects.get(pk=step.pk)
    step.milestones.update(completed_on=datetime.date(2024, 8, 20))
    stale.title = "Saved from an old copy"
    stale.save()
    step.refresh_from_db()
    assert step.version == 2


def test_history_rows_cannot_be_updated(step):
    with pytest.raises(DatabaseError), transaction.atomic():
        StepChange.objects.filter(step=step).update(new_value="forged")


@pytest.mark.parametrize("table", ["actionplan_stepchange", "actionplan_stepupdate"])
def test_history_rows_cannot_be_deleted(step, table):
    StepUpdate.objects.create(step=step, from_version=0, to_version=1, note="Created.")
    for statement in (f"DELETE FROM {table}", f"DELETE FROM {table} WHERE id > 0"):
        with (
            pytest.raises(DatabaseError, match="history keeps every row"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with pytest.raises(DatabaseError), transaction.atomic():
        StepUpdate.objects.all().delete()
    assert StepChange.objects.filter(step=step).exists() and StepUpdate.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_history_tables_cannot_be_truncated(step):
    for table in ("actionplan_stepchange", "actionplan_stepupdate"):
        with (
            pytest.raises(DatabaseError, match="TRUNCATE on"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # The test's transaction has deferred foreign-key checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert StepChange.objects.filter(step=step).exists()


def test_only_a_purge_of_the_whole_database_empties_the_history(step):
    from actionplan.history import purging_history

    with purging_history(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM actionplan_stepchange")
    assert not StepChange.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        StepChange.objects.create(step=step, version=9, changed_at=step.updated_at, field="status")
        StepChange.objects.all().delete()  # the purge is over


def test_admin_edit_is_recorded_with_the_person(admin_client, step):
    url = reverse("admin:actionplan_actionstep_change", args=[step.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "status": "in_progress",
            "progress": "30",
            "start_date": "2024-06-01",
            "end_date": "2025-06-30",
        }
    )
    for inline in page.context["inline_admin_formsets"]:
        prefix, management = inline.formset.prefix, inline.formset.management_form
        for name in management.fields:
            data[f"{prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(inline.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[f"{prefix}-{index}-{name}"] = value
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    step.refresh_from_db()
    assert step.progress == 30
    update = StepUpdate.objects.get(step=step)
    assert (update.source, update.from_version, update.to_version) == ("admin", 1, 2)
    assert update.actor.username == "admin"


def test_plan_state_as_of_returns_the_state_at_that_moment(step, plan):
    from django.utils import timezone

    from actionplan.history import plan_state_as_of

    before_edit = timezone.now()
    time.sleep(0.002)  # SQLite's trigger clock has millisecond resolution
    ActionStep.objects.filter(pk=step.pk).update(status="in_progress", progress=60)
    milestone = step.milestones.get()
    milestone.completed_on = datetime.date(2024, 9, 2)
    milestone.save()

    then = plan_state_as_of(plan, before_edit)[step.pk]
    assert (then.status, then.progress, then.version) == ("not_started", 0, 1)
    assert then.milestones_completed == {}

    now = plan_state_as_of(plan, timezone.now())[step.pk]
    assert (now.status, now.progress, now.version) == ("in_progress", 60, 3)
    assert now.milestones_completed == {milestone.pk: datetime.date(2024, 9, 2)}
    assert now.end_date == datetime.date(2025, 6, 30)

    assert plan_state_as_of(plan, datetime.date(2000, 1, 1)) == {}
