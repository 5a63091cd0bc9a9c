"""What the public pages read: querysets with their joins stated.

Each function returns everything its page renders, so templates never load a relation lazily and
a page costs the same number of queries for a plan of 5 steps as for one of 200.
"""

from itertools import groupby

from django.db.models import Avg, Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from actionplan import freshness
from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Membership,
    StepInstitution,
)
from actionplan.models.roles import Role, has_plan_role
from core.content import columns
from core.search import by_text, matching

COCREATION_FIELDS = ("cocreation_spaces", "diversity_measures", "participants")

# A step's institutions, with the jurisdiction that decides which of their names to show.
ROLES_WITH_INSTITUTIONS = Prefetch(
    "roles", queryset=StepInstitution.objects.select_related("institution__jurisdiction")
)


def current_plan(jurisdiction):
    """The city's current public plan (else its latest), or None.

    The city's pages (institutions, stakeholders) pass it to the site chrome, so that the
    navigation offers the same plan links there as on the plan's own pages.
    """
    # Through the related manager, plan.jurisdiction is the object given, not another query.
    plans = jurisdiction.plans.public()
    return plans.current_first().first()


def get_public_plan(slug):
    # The jurisdiction names the city in the page chrome and picks the language of names.
    return get_object_or_404(ActionPlan.objects.public().select_related("jurisdiction"), slug=slug)


def home_plans():
    """Public plans with their step count and mean progress, grouped by jurisdiction.

    Returns [(jurisdiction, [plan, ...]), ...]; within a city the current plan (in implementation
    or published, latest period) comes first, then the others from the newest.
    """
    plans = (
        ActionPlan.objects.public()
        .current_first()
        .select_related("jurisdiction")  # the heading of each group
        .annotate(
            step_count=Count("steps"),
            # Withdrawn and unreported steps are left out, as in step_statistics.
            mean_progress=Avg(
                "steps__progress", filter=~Q(steps__status__in=ActionStep.NOT_MEASURED)
            ),
        )
        .order_by(by_text("jurisdiction__name"), "jurisdiction_id", "is_past", "-period_start")
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
    # the related manager sets step.plan without a query. Freshness: subqueries in the same query.
    return list(freshness.with_last_report(plan.steps.select_related("priority")))


def steps_with_institutions(queryset):
    return freshness.with_last_report(
        queryset.select_related("priority").prefetch_related(ROLES_WITH_INSTITUTIONS)
    )


def get_step(plan, code):
    queryset = plan.steps.select_related("priority").prefetch_related(
        ROLES_WITH_INSTITUTIONS, "milestones"
    )
    return get_object_or_404(freshness.with_last_report(queryset), code=code)


def get_priority(plan, code):
    return get_object_or_404(plan.priorities.all(), code=code)


def plan_institutions(plan):
    """Institutions with a role in one of the plan's steps, for the steps filter."""
    return list(
        Institution.objects.filter(step_roles__step__plan=plan)
        .select_related("jurisdiction")  # decides which of the names to show
        .distinct()
        .order_by(by_text("name"))
    )


def jurisdiction_institutions(jurisdiction):
    """The city's institutions, each with how many public steps it leads and supports."""
    public = ActionPlan.public_rule("step_roles__step__plan__")
    return list(
        jurisdiction.institutions.annotate(
            lead_count=Count(
                "step_roles", filter=public & Q(step_roles__role=StepInstitution.Role.LEAD)
            ),
            supporting_count=Count(
                "step_roles", filter=public & Q(step_roles__role=StepInstitution.Role.SUPPORTING)
            ),
        ).order_by(by_text("name"))
    )


def get_institution(jurisdiction, slug):
    return get_object_or_404(jurisdiction.institutions.all(), slug=slug)


def institution_roles(institution):
    """The institution's roles in public steps, across plans, newest plan first."""
    return list(
        institution.step_roles.filter(ActionPlan.public_rule("step__plan__"))
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
        Q(plan__isnull=True) | ActionPlan.public_rule("plan__")
    )
    return _groups_with_members(groups)


def plan_stakeholder_groups(plan):
    return _groups_with_members(plan.stakeholder_groups.all())


def filter_steps(
    steps, *, today, q="", priority="", institution="", status="", value="", overdue=""
):
    """Narrow a step queryset by the steps page's filters; empty values do not filter."""
    if q:
        text = matching(q, *columns("title", "description", "problem"))
        steps = steps.filter(Q(code__icontains=q) | text)
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


def text_history(user, subject):
    """The edits of a step's or a priority's texts (public, like its status history), and whether
    this user may edit them: context for actionplan/_texts_section.html."""
    return {
        "text_revisions": list(subject.text_revisions.all()[:20]),
        "may_edit_texts": has_plan_role(user, subject.plan_id, Role.COORDINATOR),
    }
