"""What the public pages read: querysets with their joins stated.

Each function returns everything its page renders, so templates never load a relation lazily and
a page costs the same number of queries for a plan of 5 steps as for one of 200.
"""

from itertools import groupby

from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from actionplan import freshness
from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Membership,
    Milestone,
    StepChange,
    StepInstitution,
)
from actionplan.models.roles import Role, has_plan_role
from actionplan.statistics import StepFigures
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


def home_cities(q=""):
    """The cities with a public plan, by country and then name, as a queryset to paginate.

    A search keeps the cities whose name or country, or one of whose public plans' title or code,
    has every word of it (core.search.matching: accents and case folded).
    """
    plans = ActionPlan.objects.public()
    if q:
        city_columns = [f"jurisdiction__{name}" for name in columns("name")]
        plans = plans.filter(
            matching(q, *columns("title"), "code", *city_columns, "jurisdiction__country")
        )
    return Jurisdiction.objects.filter(pk__in=plans.values("jurisdiction_id")).order_by(
        "country", by_text("name"), "pk"
    )


def home_plans(jurisdictions):
    """The public plans of the given cities, with their step count and mean progress, grouped by
    country and city, in the order of the cities given (one query).

    Returns [(country, [(jurisdiction, [plan, ...]), ...]), ...]; within a city the current plan
    (in implementation or published, latest period) comes first, then the others from the newest.
    """
    cities = {city.pk: city for city in jurisdictions}
    plans = (
        ActionPlan.objects.public()
        .filter(jurisdiction__in=list(cities))
        .current_first()
        .annotate(
            step_count=Count("steps"),
            # Weighted, leaving out withdrawn and unreported steps, as in step_statistics.
            weighted_sum=Sum(
                F("steps__progress") * F("steps__weight"),
                filter=~Q(steps__status__in=ActionStep.NOT_MEASURED),
                output_field=FloatField(),
            ),
            total_weight=Sum("steps__weight", filter=~Q(steps__status__in=ActionStep.NOT_MEASURED)),
        )
        .order_by("is_past", "-period_start")
    )
    by_city = {}
    for plan in plans:
        plan.jurisdiction = cities[plan.jurisdiction_id]  # loaded already: no query per plan
        plan.mean_progress = (
            round(plan.weighted_sum / plan.total_weight) if plan.total_weight else None
        )
        by_city.setdefault(plan.jurisdiction_id, []).append(plan)
    return [
        (country, [(city, by_city.get(city.pk, [])) for city in group])
        for country, group in groupby(cities.values(), key=lambda city: city.country)
    ]


def network_plans():
    """Each city's current public plan (else its latest), with its jurisdiction, and the steps of
    those plans as StepFigures, only what the comparison reads (two queries, whatever the number
    of cities)."""
    # The city's first plan in current_first() order, picked in the database: only the plans
    # compared are loaded.
    first = (
        ActionPlan.objects.public()
        .filter(jurisdiction=OuterRef("jurisdiction"))
        .current_first()
        .values("pk")[:1]
    )
    # jurisdiction: each row names and links the city.
    plans = list(ActionPlan.objects.filter(pk=Subquery(first)).select_related("jurisdiction"))
    steps = ActionStep.objects.filter(plan__in=plans)
    return plans, [StepFigures(*row) for row in steps.values_list(*StepFigures.FIELDS)]


def plan_priorities(plan):
    return list(plan.priorities.all())


def _count(queryset, what="*", distinct=False):
    """A correlated count of `queryset` (filtered on step=OuterRef("pk")), 0 when none."""
    counted = (
        queryset.order_by().values("step").annotate(n=Count(what, distinct=distinct)).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_step_figures(queryset, milestones=True, until=None):
    """Steps with their milestone counts (milestone_count, milestones_done) and how often their
    dates moved (times_moved, up to the moment `until` if given), as subqueries in the steps' own
    query: no query per step. A report as of a past day counts its milestones itself."""
    changes = StepChange.objects.filter(
        step=OuterRef("pk"),
        field__in=[StepChange.Field.START_DATE, StepChange.Field.END_DATE],
        old_value__isnull=False,
    )
    if until is not None:
        changes = changes.filter(changed_at__lte=until)
    # One move per version the portal counted; backfilled past updates (all version 0) by day.
    queryset = queryset.annotate(
        times_moved=_count(changes.filter(backfilled=False), "version", distinct=True)
        + _count(changes.filter(backfilled=True), "changed_at", distinct=True)
    )
    if milestones:
        rows = Milestone.objects.filter(step=OuterRef("pk"))
        queryset = queryset.annotate(
            milestone_count=_count(rows),
            milestones_done=_count(rows.filter(completed_on__isnull=False)),
        )
    return queryset


def plan_steps(plan):
    # priority: the timeline and tables group and label steps by it. The plan is known already:
    # the related manager sets step.plan without a query. Freshness: subqueries in the same query.
    return list(
        freshness.with_last_report(with_step_figures(plan.steps.select_related("priority")))
    )


def replanning(steps):
    """How many steps moved from their baseline end date, and by how many days in all."""
    moved = [s for s in steps if s.is_moved]
    return {
        "moved": len(moved),
        "days": sum(abs(s.end_moved_days or 0) for s in moved),
        "later": sum(max(s.end_moved_days or 0, 0) for s in moved),
    }


def steps_with_institutions(queryset):
    return freshness.with_last_report(
        queryset.select_related("priority").prefetch_related(ROLES_WITH_INSTITUTIONS)
    )


def get_step(plan, code):
    queryset = with_step_figures(
        plan.steps.select_related("priority").prefetch_related(
            ROLES_WITH_INSTITUTIONS, "milestones"
        )
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
