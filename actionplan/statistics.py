"""Counts by status, weighted progress and overdue steps of a plan and of each of its priorities,
computed from steps already loaded.

Progress of a group of steps is the weighted mean of the progress of its reported steps:

    progress = sum(weight × progress) / sum(weight)

over the steps that are neither withdrawn nor "not reported"; those are left out, by name, in the
explanation each page shows. Every step weighs 1 unless the plan says otherwise (ActionStep.weight).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from actionplan.models import ActionStep, Priority


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


# Reported progress and milestone completion this far apart (in points) deserve a second look.
DISAGREEMENT_POINTS = 50


def milestone_counts(step):
    """(done, total) milestones of a step, from annotations (milestones_done, milestone_count)
    when the query made them, else from prefetched milestones."""
    if hasattr(step, "milestone_count"):
        return step.milestones_done, step.milestone_count
    if "milestones" not in getattr(step, "_prefetched_objects_cache", {}):
        return 0, 0  # not loaded: never a query per step
    milestones = list(step.milestones.all())
    return sum(1 for m in milestones if m.completed_on), len(milestones)


def milestone_percent(step):
    done, total = milestone_counts(step)
    return round(100 * done / total) if total else None


def disagreement(step):
    """True when the step's reported progress and its milestone completion are far apart
    (e.g. 90 % reported and no milestone done): the staff are asked to look again."""
    if step.status in ActionStep.NOT_MEASURED:
        return False
    share = milestone_percent(step)
    return share is not None and abs(step.progress - share) >= DISAGREEMENT_POINTS


@dataclass
class Term:
    """One step's part in a weighted mean."""

    step: ActionStep
    weight: int
    progress: int


@dataclass
class Explanation:
    """How a progress figure was computed: the terms that count, and the steps left out."""

    terms: list = field(default_factory=list)
    left_out: list = field(default_factory=list)  # steps not reported or withdrawn

    @property
    def total_weight(self):
        return sum(t.weight for t in self.terms)

    @property
    def weighted_sum(self):
        return sum(t.weight * t.progress for t in self.terms)

    @property
    def equal_weights(self):
        return len({t.weight for t in self.terms}) <= 1


def weighted_progress(steps):
    """(weighted mean progress or None, Explanation) of loaded steps."""
    explanation = Explanation()
    for step in steps:
        if step.status in ActionStep.NOT_MEASURED:
            explanation.left_out.append(step)
        else:
            explanation.terms.append(Term(step, step.weight, step.progress))
    total = explanation.total_weight
    mean = round(explanation.weighted_sum / total) if total else None
    return mean, explanation


@dataclass
class StepStatistics:
    total: int
    by_status: list  # StatusCount for every status, in workflow order
    mean_progress: int | None  # weighted; None when no step counts towards it
    overdue: int
    explanation: Explanation = field(default_factory=Explanation)
    milestones_done: int = 0
    milestones_total: int = 0

    @property
    def present_statuses(self):
        return [item for item in self.by_status if item.count]

    @property
    def milestone_percent(self):
        if not self.milestones_total:
            return None
        return round(100 * self.milestones_done / self.milestones_total)


@dataclass
class PriorityStatistics:
    priority: Priority | None  # None: steps not assigned to a priority
    stats: StepStatistics


def step_statistics(steps, today=None):
    """Counts by status, weighted progress and overdue count of already loaded steps.

    Withdrawn and unreported steps are left out of the progress: their figure no longer moves or
    says nothing, and counting them would make a plan look less advanced than it is.
    """
    today = today or timezone.localdate()
    steps = list(steps)
    counts = dict.fromkeys(ActionStep.Status.values, 0)
    done = total = 0
    for step in steps:
        counts[step.status] += 1
        step_done, step_total = milestone_counts(step)
        done, total = done + step_done, total + step_total
    mean, explanation = weighted_progress(steps)
    return StepStatistics(
        total=len(steps),
        by_status=[
            StatusCount(status, ActionStep.Status(status).label, counts[status])
            for status in ActionStep.Status.values
        ],
        mean_progress=mean,
        overdue=sum(1 for s in steps if s.is_overdue(today)),
        explanation=explanation,
        milestones_done=done,
        milestones_total=total,
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
    weight: int

    FIELDS = ("plan_id", "status", "progress", "end_date", "updated_at", "weight")
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
