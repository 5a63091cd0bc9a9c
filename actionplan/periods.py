"""Reporting periods: their default dates, filing a period report, closing a period, and what the
period pages read.

What a step was at a period's end comes from the step history (actionplan.history), the one
record of the truth; a period report adds what only the institution can say: the narrative, the
challenges and the evidence. "Changes since the last period" compare the history at the two ends.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplan import selectors
from actionplan.access import acting_institution
from actionplan.editing import attach_evidence
from actionplan.history import StepState, plan_state_as_of
from actionplan.models import (
    ActionStep,
    Challenge,
    PeriodReport,
    ReportEvidence,
    ReportingPeriod,
    StepChange,
)
from core.dates import end_of_day

DEFAULT_MONTHS = 4


def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # The 31st of a month that has 30 days is its last day.
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def default_periods(plan, months=DEFAULT_MONTHS):
    """[(start, end)] every `months` months from the plan's start; the last ends with the plan."""
    spans = []
    start = plan.period_start
    while start <= plan.period_end:
        end = min(_add_months(start, months) - datetime.timedelta(days=1), plan.period_end)
        spans.append((start, end))
        start = end + datetime.timedelta(days=1)
    return spans


def ensure_periods(plan):
    """Create the default periods of a plan that has none; return the plan's periods."""
    if not plan.periods.exists():
        ReportingPeriod.objects.bulk_create(
            ReportingPeriod(plan=plan, number=n, start=start, end=end)
            for n, (start, end) in enumerate(default_periods(plan), start=1)
        )
    return list(plan.periods.all())


def needs_challenge(status, progress, behind_schedule):
    """A step not started, on hold or behind schedule must say what holds it back."""
    return behind_schedule or status in PeriodReport.NEEDS_CHALLENGE


@transaction.atomic
def file_report(
    period,
    step,
    *,
    user,
    status,
    progress,
    narrative,
    challenges=(),
    behind_schedule=False,
    links=(),
    files=(),
    is_sample=False,
):
    """Add a period report for a step. Never an UPDATE: filing again supersedes the earlier row,
    and after the period closed the new row is a correction shown as such."""
    if needs_challenge(status, progress, behind_schedule) and not challenges:
        raise ValidationError(_("Say what holds the step back: choose at least one challenge."))
    unknown = set(challenges) - set(Challenge.values)
    if unknown:
        raise ValidationError(_("Unknown challenge: %(codes)s") % {"codes": ", ".join(unknown)})
    report = PeriodReport.objects.create(
        period=period,
        step=step,
        status=status,
        progress=progress,
        narrative=narrative,
        challenges=list(challenges),
        behind_schedule=behind_schedule,
        institution=acting_institution(user, step) if user else None,
        actor=user,
        is_correction=period.is_closed,
        is_sample=is_sample,
    )
    attach_evidence(ReportEvidence, report=report, links=links, files=files)
    return report


def set_period(period, *, start, end, state):
    """The coordinator's change of a period's dates and state (closing freezes its reports)."""
    closed_at = period.closed_at
    if state == ReportingPeriod.State.CLOSED and not period.is_closed:
        closed_at = timezone.now()
    elif state != ReportingPeriod.State.CLOSED:
        closed_at = None
    ReportingPeriod.objects.filter(pk=period.pk).update(
        start=start, end=end, state=state, closed_at=closed_at
    )
    period.start, period.end, period.state, period.closed_at = start, end, state, closed_at
    return period


# --- What the pages read ---------------------------------------------------------------


def get_period(plan, number):
    return get_object_or_404(plan.periods.all(), number=number)


def _reports(queryset):
    # evidence: listed under each report; institution: names who filed it.
    return queryset.select_related("institution__jurisdiction").prefetch_related(
        Prefetch("evidence", queryset=ReportEvidence.objects.order_by("id"))
    )


@dataclass
class StepInPeriod:
    step: ActionStep
    report: PeriodReport | None  # the latest report filed while the period was open
    corrections: list = field(default_factory=list)  # filed after it closed, oldest first
    at_end: StepState | None = None  # the history at the period's end (or today)
    at_start: StepState | None = None  # the history at the end of the previous period

    @property
    def filed(self):
        return self.report is not None or bool(self.corrections)

    @property
    def progress_change(self):
        if self.at_end and self.at_start and self.at_end.progress is not None:
            return self.at_end.progress - (self.at_start.progress or 0)
        return None

    @property
    def status_changed(self):
        return bool(self.at_end and self.at_start and self.at_end.status != self.at_start.status)

    @property
    def is_new(self):
        return self.at_end is not None and self.at_start is None


@dataclass
class PeriodOverview:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    rows: list
    moment: datetime.datetime

    @property
    def filed(self):
        return [row for row in self.rows if row.filed]

    @property
    def missing(self):
        return [row for row in self.rows if not row.filed]

    @property
    def changed(self):
        return [row for row in self.rows if row.status_changed or row.progress_change]

    def by_institution(self):
        """[(institution or None, filed rows, missing rows)] by lead institution."""
        groups = {}
        for row in self.rows:
            leads = row.step.leads() or [None]
            for lead in leads:
                entry = groups.setdefault(lead.pk if lead else None, (lead, [], []))
                (entry[1] if row.filed else entry[2]).append(row)
        return sorted(groups.values(), key=lambda g: (g[0] is None, g[0].name if g[0] else ""))


def period_moment(period, today=None):
    """The end of the period, or now for a period that has not ended yet."""
    today = today or timezone.localdate()
    return end_of_day(period.end) if period.end < today else timezone.now()


def period_overview(plan, period):
    """Every step of the plan in the period: its latest report and its history at both ends."""
    periods = list(plan.periods.all())
    previous = next((p for p in reversed(periods) if p.number < period.number), None)
    moment = period_moment(period)
    at_end = plan_state_as_of(plan, moment)
    at_start = plan_state_as_of(plan, end_of_day(previous.end)) if previous else {}
    steps = list(
        selectors.steps_with_institutions(plan.steps.exclude(status=ActionStep.Status.WITHDRAWN))
    )
    reports = {}
    for report in _reports(period.reports.all()).order_by("created_at", "id"):
        reports.setdefault(report.step_id, []).append(report)
    rows = []
    for step in steps:
        step.plan = plan
        filed = reports.get(step.pk, [])
        on_time = [r for r in filed if not r.is_correction]
        rows.append(
            StepInPeriod(
                step=step,
                report=on_time[-1] if on_time else None,
                corrections=[r for r in filed if r.is_correction],
                at_end=at_end.get(step.pk),
                at_start=at_start.get(step.pk) if previous else None,
            )
        )
    return PeriodOverview(period=period, previous=previous, rows=rows, moment=moment)


def plan_periods(plan):
    """The plan's periods, each with how many steps have a report (filed_steps)."""
    return list(plan.periods.annotate(filed_steps=Count("reports__step", distinct=True)))


@dataclass
class PeriodRow:
    """One period in a step's period-over-period table."""

    period: ReportingPeriod
    report: PeriodReport | None
    corrections: list
    state: StepState | None  # the step's history at the period's end
    progress_change: int | None = None


def step_periods(step):
    """The step's period-over-period table: for each period (up to the current one) its latest
    report, the corrections filed after closing, the history at the period's end, and the change
    in progress since the previous period. A fixed number of queries whatever the periods."""
    today = timezone.localdate()
    periods = [p for p in step.plan.periods.all() if p.start <= today]
    reports = {}
    for report in _reports(step.period_reports.all()).order_by("created_at", "id"):
        reports.setdefault(report.period_id, []).append(report)
    changes = list(
        StepChange.objects.filter(step=step)
        .order_by("changed_at", "id")
        .values_list("changed_at", "field", "new_value")
    )
    rows = []
    previous_progress = None
    for period in periods:
        moment = period_moment(period, today)
        state = _fold(changes, moment)
        filed = reports.get(period.pk, [])
        corrections = [r for r in filed if r.is_correction]
        on_time = [r for r in filed if not r.is_correction]
        report = on_time[-1] if on_time else None
        progress = state.progress if state else None
        change = (
            progress - previous_progress
            if progress is not None and previous_progress is not None
            else None
        )
        rows.append(PeriodRow(period, report, corrections, state, change))
        previous_progress = progress if progress is not None else previous_progress
    return rows


def _fold(changes, moment):
    state = None
    for changed_at, name, value in changes:
        if changed_at > moment:
            break
        state = state or StepState()
        if name == StepChange.Field.STATUS:
            state.status = value
        elif name == StepChange.Field.PROGRESS:
            state.progress = int(value) if value is not None else None
    return state
