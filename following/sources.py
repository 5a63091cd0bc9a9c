"""What happened, read from the other apps' records: the step history that database triggers
write (actionplan.history_sql) and the published state of meetings, annotations, assessments,
reports and plans. Nothing in those apps knows of this one.

Each thing that happened becomes an Event with a key of its own ("update:12",
"overdue:7:2026-06-30", "annotation:3"). The key is unique, so reading the same records again
adds nothing, which lets every scan look back a while (LOOKBACK) for rows that a slow transaction
committed late.

Only what the public may read becomes an event: changes of steps of public plans, published
meetings of public plans and their public annotations, published assessments and reports. The
mail that reports an event reads its record again through the same public querysets
(following.items), so what was made board-only or withdrawn since is not sent either.
"""

import datetime
from itertools import groupby

from django.db.models import Q
from django.utils import timezone

from actionplan.models import ActionPlan, ActionStep, StepChange, StepUpdate
from core.content import columns
from following.models import Event, Watermark
from meetings.models import Annotation, Meeting
from monitoring.models import Assessment, MonitoringReport

LOOKBACK = datetime.timedelta(hours=1)
WATERMARK = "sources"
KEY_CHUNK = 500  # keys asked for at once: well below SQLite's limit of bound variables


def collect(now=None):
    """Record the events since the previous scan; returns how many were new.

    The first scan ever records what is already there as the baseline, sending nothing: a
    portal that starts following mails about what happens from then on.
    """
    now = now or timezone.now()
    mark = Watermark.objects.filter(name=WATERMARK).first()
    if mark is None:
        events = scan(since=None, now=now)
        record(events, baseline=True)
        Watermark.objects.create(name=WATERMARK, at=now)
        return 0
    new = record(scan(since=mark.at - LOOKBACK, now=now))
    Watermark.objects.filter(name=WATERMARK).update(at=now)
    return new


def scan(since, now):
    """Every event found since `since` (None: all there is, for the baseline)."""
    step_since = since if since is not None else now - LOOKBACK
    return [
        *step_updates(step_since),
        *overdue_steps(timezone.localdate(now), now),
        *meeting_outcomes(since),
        *public_annotations(since),
        *published_assessments(since),
        *published_reports(since),
        *public_plans(now),
    ]


def record(events, baseline=False):
    """Save the events whose key is new; a baseline's are saved as already routed."""
    by_key = {event.key: event for event in events}
    keys = list(by_key)
    known = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        known.update(Event.objects.filter(key__in=chunk).values_list("key", flat=True))
    new = [event for key, event in by_key.items() if key not in known]
    for event in new:
        event.routed = baseline
    # ignore_conflicts: a scan running beside this one may have saved the same key meanwhile.
    Event.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _since(queryset, column, since):
    return queryset if since is None else queryset.filter(**{f"{column}__gte": since})


# --- The step history -------------------------------------------------------------------------


def _notable(change):
    """A change of status or progress, or a milestone completed: what followers hear about."""
    if change.field in (StepChange.Field.STATUS, StepChange.Field.PROGRESS):
        return True
    return change.field == StepChange.Field.MILESTONE and bool(change.new_value)


def step_updates(since):
    """One event per update of a step of a public plan (an update with its note and evidence, or
    a version written without one, by the admin or SQL) that changed status, progress or
    completed a milestone. A step's creation is none: its first version holds its first values."""
    rows = list(
        StepChange.objects.filter(changed_at__gte=since)
        .filter(ActionPlan.public_rule("step__plan__"))
        # step: its plan and priority say who follows the event.
        .select_related("step")
        .order_by("step_id", "version", "id")
    )
    if not rows:
        return []
    updates = list(
        StepUpdate.objects.filter(
            step_id__in={row.step_id for row in rows}, created_at__gte=since - LOOKBACK
        )
    )
    events = {}
    for (step_id, version), changes in groupby(rows, key=lambda c: (c.step_id, c.version)):
        changes = list(changes)
        if any(c.field == StepChange.Field.CREATED for c in changes):
            continue  # a step added: its first values are no change
        step = changes[0].step
        update = next(
            (
                u
                for u in updates
                if u.step_id == step_id and u.from_version < version <= u.to_version
            ),
            None,
        )
        if update is not None:
            key, object_id = f"update:{update.pk}", update.pk
            versions = (update.from_version, update.to_version)
        else:
            key, object_id, versions = (
                f"change:{step_id}:{version}",
                step_id,
                (version - 1, version),
            )
        event = events.get(key)
        occurred = max(c.changed_at for c in changes)
        if event is None:
            event = events[key] = Event(
                key=key,
                kind=Event.Kind.STEP_UPDATE,
                plan_id=step.plan_id,
                object_id=object_id,
                from_version=versions[0],
                to_version=versions[1],
                step_ids=[step_id],
                priority_ids=[step.priority_id] if step.priority_id else [],
                occurred_at=occurred,
            )
            event.notable = False
        event.occurred_at = max(event.occurred_at, occurred)
        event.notable = event.notable or any(_notable(c) for c in changes)
    return [event for event in events.values() if event.notable]


def overdue_steps(today, now):
    """A step of a public plan whose end date has passed, once per end date."""
    steps = (
        ActionStep.objects.public().overdue(today).values_list("pk", "plan", "priority", "end_date")
    )
    return [
        Event(
            key=f"overdue:{pk}:{end_date.isoformat()}",
            kind=Event.Kind.OVERDUE,
            plan_id=plan_id,
            object_id=pk,
            step_ids=[pk],
            priority_ids=[priority_id] if priority_id else [],
            occurred_at=now,
        )
        for pk, plan_id, priority_id, end_date in steps
    ]


# --- Meetings, annotations, monitoring, plans ---------------------------------------------------


def _meeting_followers(meeting):
    steps = list(meeting.steps.all())
    priorities = {p.pk for p in meeting.priorities.all()}
    priorities.update(s.priority_id for s in steps if s.priority_id)
    return [s.pk for s in steps], sorted(priorities)


def meeting_outcomes(since):
    """A published meeting of a public plan once its outcomes are written (in any language)."""
    written = Q()
    for column in columns("outcomes"):
        written |= Q(**{f"{column}__gt": ""})
    meetings = (
        _since(Meeting.objects.public(), "updated_at", since)
        .filter(written)
        # steps, priorities: their followers hear of the meeting too.
        .prefetch_related("steps", "priorities")
    )
    events = []
    for meeting in meetings:
        step_ids, priority_ids = _meeting_followers(meeting)
        events.append(
            Event(
                key=f"outcomes:{meeting.pk}",
                kind=Event.Kind.MEETING_OUTCOME,
                plan_id=meeting.plan_id,
                object_id=meeting.pk,
                step_ids=step_ids,
                priority_ids=priority_ids,
                occurred_at=meeting.updated_at,
            )
        )
    return events


def public_annotations(since):
    """A public, not withdrawn annotation of a published meeting of a public plan. An annotation
    made public later counts from then: its edit moves updated_at."""
    annotations = (
        _since(Annotation.objects.public(), "updated_at", since)
        .filter(Meeting.public_rule("meeting__"), withdrawn_at__isnull=True)
        # meeting: its plan; step: its priority's followers hear of it too.
        .select_related("meeting", "step")
    )
    return [
        Event(
            key=f"annotation:{annotation.pk}",
            kind=Event.Kind.ANNOTATION,
            plan_id=annotation.meeting.plan_id,
            object_id=annotation.pk,
            step_ids=[annotation.step_id] if annotation.step_id else [],
            priority_ids=(
                [annotation.step.priority_id]
                if annotation.step_id and annotation.step.priority_id
                else []
            ),
            occurred_at=annotation.updated_at,
        )
        for annotation in annotations
    ]


def published_assessments(since):
    assessments = (
        _since(Assessment.objects.published(), "published_at", since)
        .filter(ActionPlan.public_rule("step__plan__"))
        .select_related("step")  # its plan and priority
    )
    return [
        Event(
            key=f"assessment:{assessment.pk}",
            kind=Event.Kind.ASSESSMENT,
            plan_id=assessment.step.plan_id,
            object_id=assessment.pk,
            step_ids=[assessment.step_id],
            priority_ids=[assessment.step.priority_id] if assessment.step.priority_id else [],
            occurred_at=assessment.published_at or assessment.updated_at,
        )
        for assessment in assessments
    ]


def published_reports(since):
    reports = (
        _since(MonitoringReport.objects.published(), "updated_at", since)
        .filter(ActionPlan.public_rule("plan__"))
        .prefetch_related("steps")  # the steps it covers: their followers hear of it
    )
    events = []
    for report in reports:
        steps = list(report.steps.all())
        events.append(
            Event(
                key=f"report:{report.pk}",
                kind=Event.Kind.REPORT,
                plan_id=report.plan_id,
                object_id=report.pk,
                step_ids=[s.pk for s in steps],
                priority_ids=sorted({s.priority_id for s in steps if s.priority_id}),
                occurred_at=report.updated_at,
            )
        )
    return events


def public_plans(now):
    """A plan once it is public: the city's other plans' followers hear of it."""
    return [
        Event(
            key=f"plan:{pk}",
            kind=Event.Kind.PLAN,
            plan_id=pk,
            object_id=pk,
            occurred_at=now,
        )
        for pk in ActionPlan.objects.public().values_list("pk", flat=True)
    ]
