"""Counts by status, mean progress and overdue steps of a plan and of each of its priorities,
computed from steps already loaded."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from actionplan.models import ActionStep, Priority


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class StepStatistics:
    total: int
    by_status: list  # StatusCount for every status, in workflow order
    mean_progress: int | None  # None when no step counts towards it
    overdue: int

    @property
    def present_statuses(self):
        return [item for item in self.by_status if item.count]


@dataclass
class PriorityStatistics:
    priority: Priority | None  # None: steps not assigned to a priority
    stats: StepStatistics


def step_statistics(steps, today=None):
    """Counts by status, mean progress and overdue count of already loaded steps.

    Withdrawn steps are left out of the mean progress: their progress no longer moves, and
    counting them would make a plan look less advanced than the steps still being done.
    """
    today = today or timezone.localdate()
    steps = list(steps)
    counts = dict.fromkeys(ActionStep.Status.values, 0)
    for step in steps:
        counts[step.status] += 1
    measured = [s.progress for s in steps if s.status not in ActionStep.NOT_MEASURED]
    return StepStatistics(
        total=len(steps),
        by_status=[
            StatusCount(status, ActionStep.Status(status).label, counts[status])
            for status in ActionStep.Status.values
        ],
        mean_progress=round(sum(measured) / len(measured)) if measured else None,
        overdue=sum(1 for s in steps if s.is_overdue(today)),
    )


@dataclass(frozen=True)
class StepFigures:
    """What the statistics read of a step: many plans' steps at once without building a model
    instance for each. Overdue is decided by the model's own rule."""

    plan_id: int
    status: str
    progress: int
    end_date: datetime.date | None
    updated_at: datetime.datetime

    FIELDS = ("plan_id", "status", "progress", "end_date", "updated_at")
    NEVER_OVERDUE = ActionStep.NEVER_OVERDUE
    is_overdue = ActionStep.is_overdue


@dataclass
class PlanComparison:
    plan: object  # ActionPlan, with its jurisdiction
    stats: StepStatistics
    last_update: object  # the latest change of one of its steps (datetime), None without steps


def compare_plans(plans, steps, today=None):
    """A PlanComparison per plan, in the order given, from the loaded steps of all of them."""
    by_plan = {}
    for step in steps:
        by_plan.setdefault(step.plan_id, []).append(step)
    return [
        PlanComparison(
            plan,
            step_statistics(by_plan.get(plan.pk, []), today),
            max((step.updated_at for step in by_plan.get(plan.pk, [])), default=None),
        )
        for plan in plans
    ]


def plan_statistics(priorities, steps, today=None):
    """(statistics of the whole plan, [PriorityStatistics per priority]) from loaded rows.

    Steps without a priority get a last entry with priority None, when there are any.
    """
    by_priority = {}
    for step in steps:
        by_priority.setdefault(step.priority_id, []).append(step)
    per_priority = [
        PriorityStatistics(priority, step_statistics(by_priority.get(priority.pk, []), today))
        for priority in priorities
    ]
    if None in by_priority:
        per_priority.append(PriorityStatistics(None, step_statistics(by_priority[None], today)))
    return step_statistics(steps, today), per_priority
