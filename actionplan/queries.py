"""What the public pages read: querysets with their joins stated, and the plan statistics.

Each function returns everything its page renders, so templates never load a relation lazily and
a page costs the same number of queries for a plan of 5 steps as for one of 200.
"""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from itertools import groupby
from operator import or_

from django.db.models import Avg, Case, Count, IntegerField, Max, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Membership,
    Priority,
    StepChange,
    StepInstitution,
    StepUpdate,
)
from actionplan.templatetags.plan_text import percent

# A draft is still being written by the city and is not shown to the public.
PUBLIC_PLAN_STATUSES = (
    ActionPlan.Status.PUBLISHED,
    ActionPlan.Status.IN_IMPLEMENTATION,
    ActionPlan.Status.CLOSED,
)
CURRENT_PLAN_STATUSES = (ActionPlan.Status.IN_IMPLEMENTATION, ActionPlan.Status.PUBLISHED)

# Sections shown on the co-creation page rather than on the plan overview.
COCREATION_FIELDS = ("cocreation_spaces", "diversity_measures", "participants")

# A step's institutions, with the jurisdiction that decides which of their names to show.
ROLES_WITH_INSTITUTIONS = Prefetch(
    "roles", queryset=StepInstitution.objects.select_related("institution__jurisdiction")
)


def public_plans():
    return ActionPlan.objects.filter(status__in=PUBLIC_PLAN_STATUSES)


def _current_first(plans):
    return plans.annotate(
        is_past=Case(
            When(status__in=CURRENT_PLAN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("is_past", "-period_start")


def current_plan(jurisdiction):
    """The city's current public plan (else its latest), or None.

    The city's pages (institutions, stakeholders) pass it to the site chrome, so that the
    navigation offers the same plan links there as on the plan's own pages.
    """
    # Through the related manager, plan.jurisdiction is the object given, not another query.
    plans = jurisdiction.plans.filter(status__in=PUBLIC_PLAN_STATUSES)
    return _current_first(plans).first()


def get_public_plan(slug):
    # The jurisdiction names the city in the page chrome and picks the language of names.
    return get_object_or_404(public_plans().select_related("jurisdiction"), slug=slug)


def home_plans():
    """Public plans with their step count and mean progress, grouped by jurisdiction.

    Returns [(jurisdiction, [plan, ...]), ...]; within a city the current plan (in implementation
    or published, latest period) comes first, then the others from the newest.
    """
    plans = (
        _current_first(public_plans())
        .select_related("jurisdiction")  # the heading of each group
        .annotate(
            step_count=Count("steps"),
            # Withdrawn and unreported steps are left out, as in step_statistics.
            mean_progress=Avg(
                "steps__progress", filter=~Q(steps__status__in=ActionStep.NOT_MEASURED)
            ),
        )
        .order_by("jurisdiction__name", "jurisdiction_id", "is_past", "-period_start")
    )
    plans = list(plans)
    for plan in plans:
        if plan.mean_progress is not None:
            plan.mean_progress = round(plan.mean_progress)
    return [
        (group[0].jurisdiction, group)
        for group in (list(g) for _key, g in groupby(plans, key=lambda p: p.jurisdiction_id))
    ]


def plan_priorities(plan):
    return list(plan.priorities.all())


def plan_steps(plan):
    # priority: the timeline and tables group and label steps by it. The plan is known already:
    # the related manager sets step.plan without a query.
    return list(plan.steps.select_related("priority"))


def steps_with_institutions(queryset):
    return queryset.select_related("priority").prefetch_related(ROLES_WITH_INSTITUTIONS)


def get_step(plan, code):
    queryset = plan.steps.select_related("priority").prefetch_related(
        ROLES_WITH_INSTITUTIONS, "milestones"
    )
    return get_object_or_404(queryset, code=code)


def get_priority(plan, code):
    return get_object_or_404(plan.priorities.all(), code=code)


def plan_institutions(plan):
    """Institutions with a role in one of the plan's steps, for the steps filter."""
    return list(
        Institution.objects.filter(step_roles__step__plan=plan)
        .select_related("jurisdiction")  # decides which of the names to show
        .distinct()
        .order_by("name")
    )


def jurisdiction_institutions(jurisdiction):
    """The city's institutions, each with how many public steps it leads and supports."""
    public = Q(step_roles__step__plan__status__in=PUBLIC_PLAN_STATUSES)
    return list(
        jurisdiction.institutions.annotate(
            lead_count=Count(
                "step_roles", filter=public & Q(step_roles__role=StepInstitution.Role.LEAD)
            ),
            supporting_count=Count(
                "step_roles", filter=public & Q(step_roles__role=StepInstitution.Role.SUPPORTING)
            ),
        )
    )


def get_institution(jurisdiction, slug):
    return get_object_or_404(jurisdiction.institutions.all(), slug=slug)


def institution_roles(institution):
    """The institution's roles in public steps, across plans, newest plan first."""
    return list(
        institution.step_roles.filter(step__plan__status__in=PUBLIC_PLAN_STATUSES)
        # step and its plan: each row names and links both; the plan's jurisdiction picks the
        # language of titles; priority labels the step.
        .select_related("step__plan__jurisdiction", "step__priority")
        .order_by("-step__plan__period_start", "step__plan_id", "step__order", "step__code")
    )


def get_jurisdiction(slug):
    return get_object_or_404(Jurisdiction, slug=slug)


def _groups_with_members(queryset):
    members = Membership.objects.select_related("stakeholder")
    return list(queryset.prefetch_related(Prefetch("memberships", queryset=members)))


def jurisdiction_stakeholder_groups(jurisdiction):
    # plan: a group that belongs to one plan (its endorsers) names and links it.
    groups = jurisdiction.stakeholder_groups.select_related("plan").filter(
        Q(plan__isnull=True) | Q(plan__status__in=PUBLIC_PLAN_STATUSES)
    )
    return _groups_with_members(groups)


def plan_stakeholder_groups(plan):
    return _groups_with_members(plan.stakeholder_groups.all())


# --- Statistics --------------------------------------------------------------------------------


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


# --- Step history ------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    new_is_set: bool = True


@dataclass
class ChangeGroup:
    """The changes that made one version of a step, with who recorded them and why."""

    step: ActionStep
    version: int
    changed_at: datetime.datetime
    created: bool = False
    changes: list = field(default_factory=list)
    update: StepUpdate | None = None
    # All versions in the group, newest first: more than one after merge_by_update().
    versions: list = field(default_factory=list)

    @property
    def note(self):
        return self.update.note if self.update else ""

    @property
    def institution(self):
        return self.update.institution if self.update else None

    def initial_values(self):
        """For the version that created the step: the values it started with."""
        return [c for c in self.changes if c.new_is_set]

    def summary(self):
        """One line, e.g. "status In progress → Completed; progress 40 % → 100 %"."""
        if self.created:
            return _("step added to the plan")
        # Lower case for the label inside the sentence, but not for a milestone's title in it.
        return "; ".join(
            f"{c.label[:1].lower()}{c.label[1:]} {c.old} → {c.new}" for c in self.changes
        )


def _display_value(change, value):
    if value is None or value == "":
        return _("not set")
    if change.field == StepChange.Field.STATUS:
        return str(ActionStep.Status(value).label) if value in ActionStep.Status.values else value
    if change.field == StepChange.Field.PROGRESS:
        return percent(value)
    # Dates are stored as ISO text by the triggers.
    try:
        return formats.date_format(datetime.date.fromisoformat(value[:10]), "DATE_FORMAT")
    except ValueError:
        return value


def _field_label(change):
    if change.field == StepChange.Field.MILESTONE:
        title = change.milestone.title if change.milestone else _("removed milestone")
        return _("milestone “%(title)s” completed on") % {"title": title}
    return str(change.get_field_display())


def _group_changes(rows, updates):
    """Fold StepChange rows (newest first) into ChangeGroups, attaching the StepUpdate whose
    version range (from_version, to_version] holds each version."""
    groups = []
    for (step_id, version), items in groupby(rows, key=lambda c: (c.step_id, c.version)):
        items = list(items)
        group = ChangeGroup(
            step=items[0].step, version=version, changed_at=items[0].changed_at, versions=[version]
        )
        for change in items:
            group.changed_at = max(group.changed_at, change.changed_at)
            if change.field == StepChange.Field.CREATED:
                group.created = True
            else:
                group.changes.append(
                    FieldChange(
                        _field_label(change),
                        _display_value(change, change.old_value),
                        _display_value(change, change.new_value),
                        new_is_set=change.new_value not in (None, ""),
                    )
                )
        group.update = next(
            (
                u
                for u in updates
                if u.step_id == step_id and u.from_version < version <= u.to_version
            ),
            None,
        )
        groups.append(group)
    return groups


def merge_by_update(groups):
    """Join the versions that one update made (the step's row, then each milestone's) into one
    entry, so that its note is shown once. `groups` is newest first, as _group_changes gives it;
    within an entry the changes read in the order they were made."""
    merged = []
    for group in groups:
        newer = merged[-1] if merged else None
        if (
            newer
            and group.update
            and newer.update
            and newer.update.pk == group.update.pk
            and newer.step.pk == group.step.pk
        ):
            newer.changes[:0] = group.changes
            newer.versions.append(group.version)
            newer.created = newer.created or group.created
        else:
            merged.append(group)
    return merged


def step_history(step, with_people=False):
    """Every update of one step, newest first (merge_by_update).

    The public sees which institution recorded a change; with_people (for the portal's team)
    also loads the person who did.
    """
    # milestone: its title labels a milestone change. The related manager sets row.step.
    rows = list(step.changes.select_related("milestone").order_by("-version", "id"))
    # evidence: listed under each update's note, for the public too.
    updates = step.updates.select_related("institution__jurisdiction").prefetch_related("evidence")
    if with_people:
        updates = updates.select_related("actor")
    return merge_by_update(_group_changes(rows, list(updates)))


def recent_changes(plan, limit):
    """The latest `limit` step versions of a plan, newest first, as ChangeGroups."""
    keys = list(
        StepChange.objects.filter(step__plan=plan)
        .values("step_id", "version")
        .annotate(at=Max("changed_at"))
        .order_by("-at", "-step_id", "-version")[:limit]
    )
    if not keys:
        return []
    versions = reduce(or_, (Q(step_id=k["step_id"], version=k["version"]) for k in keys))
    order = {(k["step_id"], k["version"]): n for n, k in enumerate(keys)}
    # step: each entry names and links it; milestone: its title labels a milestone change.
    rows = sorted(
        StepChange.objects.filter(versions).select_related("step", "milestone"),
        key=lambda c: (order[c.step_id, c.version], c.id),
    )
    for row in rows:
        row.step.plan = plan
    ranges = reduce(
        or_,
        (
            Q(step_id=k["step_id"], from_version__lt=k["version"], to_version__gte=k["version"])
            for k in keys
        ),
    )
    updates = list(StepUpdate.objects.filter(ranges).select_related("institution__jurisdiction"))
    return _group_changes(rows, updates)


def filter_steps(
    steps, *, today, q="", priority="", institution="", status="", value="", overdue=""
):
    """Narrow a step queryset by the steps page's filters; empty values do not filter."""
    if q:
        steps = steps.filter(
            Q(code__icontains=q)
            | Q(title__icontains=q)
            | Q(local_title__icontains=q)
            | Q(description__icontains=q)
            | Q(problem__icontains=q)
        )
    if priority:
        steps = steps.filter(priority__code=priority)
    if institution:
        steps = steps.filter(roles__institution__slug=institution)
    if status:
        steps = steps.filter(status=status)
    if value:
        steps = steps.with_value(value)
    if overdue:
        steps = steps.overdue(today)
    return steps
