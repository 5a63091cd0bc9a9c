import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplan.models import ActionPlan, ActionStep, Priority


def test_step_end_before_start_is_invalid(step):
    step.end_date = step.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        step.full_clean()
    assert "end_date" in exc.value.message_dict


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_outside_0_100_is_invalid(step, progress):
    step.progress = progress
    with pytest.raises(ValidationError) as exc:
        step.full_clean()
    assert "progress" in exc.value.message_dict


def test_completed_step_needs_progress_100(step):
    step.status = ActionStep.Status.COMPLETED
    step.progress = 90
    with pytest.raises(ValidationError) as exc:
        step.full_clean()
    assert "progress" in exc.value.message_dict
    step.progress = 100
    step.full_clean()


def test_database_rejects_completed_step_below_100(step):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionStep.objects.filter(pk=step.pk).update(status="completed", progress=50)


def test_step_code_is_unique_per_plan_but_not_across_plans(step, plan, jurisdiction):
    duplicate = ActionStep(plan=plan, code=step.code, title="Again")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "__all__" in exc.value.message_dict
    other_plan = ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="other",
        code="OP",
        title="Other",
        period_start=datetime.date(2021, 8, 1),
        period_end=datetime.date(2022, 8, 31),
    )
    ActionStep(plan=other_plan, code=step.code, title="Same code elsewhere").full_clean()


def test_priority_of_another_plan_is_rejected(step, jurisdiction):
    other_plan = ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="other",
        code="OP",
        title="Other",
        period_start=datetime.date(2021, 8, 1),
        period_end=datetime.date(2022, 8, 31),
    )
    step.priority = Priority.objects.create(plan=other_plan, code="X", title="Foreign")
    with pytest.raises(ValidationError) as exc:
        step.full_clean()
    assert "priority" in exc.value.message_dict


def test_plan_period_end_before_start_is_invalid(plan):
    plan.period_end = plan.period_start - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert "period_end" in exc.value.message_dict


def test_overdue_means_end_date_passed_and_not_completed(step):
    after_end = step.end_date + datetime.timedelta(days=1)
    assert step.is_overdue(today=after_end)
    assert list(ActionStep.objects.overdue(today=after_end)) == [step]
    assert not step.is_overdue(today=step.end_date)
    ActionStep.objects.filter(pk=step.pk).update(status="completed", progress=100)
    assert not ActionStep.objects.overdue(today=after_end).exists()


def test_ogp_values_are_listed_in_order(step):
    step.value_public_accountability = True
    step.value_access_to_information = True
    assert [v.value for v in step.ogp_values] == ["access_to_information", "public_accountability"]
