"""When a step was last reported on, and whether that is too long ago (the four-month rule).

OGP Local asks that a plan's website be updated at least every four months. A step's report is a
StepUpdate: a change with a note, made in the portal or by an import. A step that has never had
one counts from the day it was added to the plan. The limit is settings.STALE_AFTER_DAYS.

Pages, the PDF, "My steps" and the reminder mail all read the same two annotations, added to the
query that loads the steps, so freshness costs no query of its own.
"""

import datetime

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from actionplan.models import ActionPlan, ActionStep, StepChange, StepUpdate


def stale_after():
    return datetime.timedelta(days=settings.STALE_AFTER_DAYS)


def _latest(queryset, column):
    return Subquery(
        queryset.filter(step=OuterRef("pk")).values("step").annotate(at=Max(column)).values("at")
    )


def with_last_report(queryset):
    """Annotate steps with `last_reported_at` (their latest StepUpdate, or None) and
    `reported_since` (that, else when the step was created): correlated subqueries, no joins."""
    last = _latest(StepUpdate.objects.all(), "created_at")
    created = _latest(StepChange.objects.filter(field=StepChange.Field.CREATED), "changed_at")
    return queryset.annotate(
        last_reported_at=last,
        reported_since=Coalesce(last, created),
    )


def needs_reports(step):
    """Done, withdrawn or historical steps, and steps of plans no longer carried out, need none."""
    return (
        step.status not in ActionStep.NEVER_OVERDUE
        and step.plan.status == ActionPlan.Status.IN_IMPLEMENTATION
    )


def is_stale(step, now=None):
    """The step needs reports and has had none for longer than STALE_AFTER_DAYS.

    `step` carries the annotations of with_last_report()."""
    now = now or timezone.now()
    since = step.reported_since
    return needs_reports(step) and since is not None and since < now - stale_after()


def stale_steps(queryset, now=None):
    """The steps of `queryset` that is_stale() would flag, filtered in the database."""
    now = now or timezone.now()
    return (
        with_last_report(queryset)
        .filter(plan__status=ActionPlan.Status.IN_IMPLEMENTATION)
        .exclude(status__in=ActionStep.NEVER_OVERDUE)
        .filter(Q(reported_since__lt=now - stale_after()))
    )


def plan_last_update(steps):
    """When any step of the plan was last reported on (None if none ever was); `steps` carry the
    annotations of with_last_report()."""
    return max((s.last_reported_at for s in steps if s.last_reported_at), default=None)
