"""What the progress report and the step sheet show, read once per page or PDF with every join
stated, for the plan as it is now or as it stood on an "as of" day.

As of a past day, a step's status, progress, dates and milestone completions come from the
append-only history (actionplan.history.plan_state_as_of); assessments from their revisions;
updates, meetings and reports are those dated on or before that day. Titles and descriptions are
today's: the history records states, not wording.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Sum
from django.utils import timezone

from actionplan import selectors, statistics
from actionplan.history import plan_state_as_of
from actionplan.models import StepChange, StepUpdate
from core.dates import end_of_day
from meetings.models import Meeting
from monitoring.selectors import monitoring_body, published_assessments

LATEST_UPDATES_PER_STEP = 3


def _end_of(day):
    """The end of `day`, or now for the plan as it stands today."""
    return end_of_day(day) if day else timezone.now()


def apply_state(step, state, as_of):
    """Set the step's status, progress, dates and milestone completions to the historical state.

    The instance is loaded for this report only and never saved. A milestone whose completion
    was set when it was created has no history row; its own date decides then.
    """
    step.status = state.status or step.status
    step.progress = state.progress if state.progress is not None else 0
    step.start_date = state.start_date
    step.end_date = state.end_date
    for milestone in step.milestones.all():
        if milestone.pk in state.milestones_completed:
            milestone.completed_on = state.milestones_completed[milestone.pk]
        elif milestone.completed_on and milestone.completed_on > as_of:
            milestone.completed_on = None


def latest_updates(steps, as_of=None, per_step=LATEST_UPDATES_PER_STEP):
    """{step id: [StepUpdate, ...]} the latest few notes per step, newest first."""
    updates = (
        StepUpdate.objects.filter(step_id__in=[s.pk for s in steps], created_at__lte=_end_of(as_of))
        # institution: each note names who made it (the person is not shown in reports).
        .select_related("institution__jurisdiction")
        .order_by("step_id", "-created_at", "-id")
    )
    return {
        step_id: list(rows)[:per_step]
        for step_id, rows in groupby(updates, key=lambda u: u.step_id)
    }


def public_meetings(plan, as_of=None):
    """The plan's published meetings held up to the day, newest first."""
    last_day = as_of or timezone.localdate()
    return list(
        Meeting.objects.public()
        .filter(plan=plan, start_date__lte=last_day)
        .select_related("organiser__jurisdiction")  # the organiser is named
        .annotate(participant_count=Sum("participation__count"))
        .order_by("-start_date", "-start_time", "title")
    )


def published_reports(plan, as_of=None):
    reports = plan.monitoring_reports.published()
    if as_of:
        reports = reports.filter(published_on__lte=as_of)
    return list(reports.order_by("published_on", "id"))


@dataclass
class PrioritySection:
    priority: object  # Priority, or None for the steps outside any priority
    stats: object
    steps: list = field(default_factory=list)


@dataclass
class PlanProgress:
    plan: object
    as_of: datetime.date | None
    today: datetime.date
    steps: list
    sections: list
    stats: object
    body: object  # the MonitoringBody, or None
    members: list
    meetings: list
    reports: list

    @property
    def assessed_count(self):
        return sum(1 for step in self.steps if step.published_assessment)


def load_steps(plan, as_of=None, queryset=None):
    """The plan's steps with institutions and milestones, at their state on the day."""
    queryset = queryset if queryset is not None else plan.steps.all()
    # times_moved: "moved twice" beside the dates, counted up to the day.
    queryset = selectors.with_step_figures(
        queryset, milestones=False, until=end_of_day(as_of) if as_of else None
    )
    steps = list(selectors.steps_with_institutions(queryset).prefetch_related("milestones"))
    for step in steps:
        step.plan = plan
    if as_of is not None:
        states = plan_state_as_of(plan, as_of)
        steps = [step for step in steps if step.pk in states]
        for step in steps:
            apply_state(step, states[step.pk], as_of)
    assessments = published_assessments(steps, as_of)
    updates = latest_updates(steps, as_of)
    for step in steps:
        step.published_assessment = assessments.get(step.pk)
        step.latest_updates = updates.get(step.pk, [])
        if as_of is not None:
            # As it stood on the day: the latest report made by then.
            latest = step.latest_updates[0] if step.latest_updates else None
            step.last_reported_at = step.reported_since = latest.created_at if latest else None
    return steps


def plan_progress(plan, as_of=None):
    today = as_of or timezone.localdate()
    priorities = selectors.plan_priorities(plan)
    steps = load_steps(plan, as_of)
    stats, per_priority = statistics.plan_statistics(priorities, steps, today)
    sections = [PrioritySection(item.priority, item.stats) for item in per_priority]
    by_priority = {s.priority.pk if s.priority else None: s for s in sections}
    for step in steps:
        by_priority[step.priority_id].steps.append(step)
    body, members = monitoring_body(plan)
    return PlanProgress(
        plan=plan,
        as_of=as_of,
        today=today,
        steps=steps,
        sections=[section for section in sections if section.steps],
        stats=stats,
        body=body,
        members=members,
        meetings=public_meetings(plan, as_of),
        reports=published_reports(plan, as_of),
    )


def step_sheet(plan, step_pk, as_of=None):
    """One step, loaded as the progress report loads it; None if it did not exist on the day."""
    steps = load_steps(plan, as_of, plan.steps.filter(pk=step_pk))
    return steps[0] if steps else None


def earliest_record(plan):
    """The first day the plan's history knows of, or None."""
    first = (
        StepChange.objects.filter(step__plan=plan)
        .order_by("changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )
    return timezone.localtime(first).date() if first else None
