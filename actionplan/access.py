"""Who may see and update action steps (see core.access for the contract every app follows).

- Everyone sees the steps of a public plan; a draft plan's steps only those who may edit them.
- A coordinator of the plan updates all its steps; institution staff update the steps their
  institution leads or supports; administrators update every step.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from actionplan.models import ActionStep, StepInstitution
from actionplan.models.roles import Role, institution_ids, plans_with_role, roles
from core.access import Access


@dataclass(frozen=True)
class StepAccess(Access):
    can_see: bool
    can_edit: bool


def editable_steps(user, plan=None):
    """Steps the user may update: a coordinator's whole plan, staff's own institutions' steps.

    Subqueries rather than joins, so the result has no duplicates and callers may annotate it.
    """
    steps = ActionStep.objects.all()
    if plan is not None:
        steps = steps.filter(plan=plan)
    if not user.is_authenticated:
        return steps.none()
    coordinated = plans_with_role(user, Role.COORDINATOR)
    if coordinated is None:  # an administrator
        return steps
    rule = Q(plan__in=coordinated)
    own = institution_ids(user)
    if own:
        rule |= Q(pk__in=StepInstitution.objects.filter(institution_id__in=own).values("step"))
    return steps.filter(rule)


def can_edit_step(user, step):
    return user.is_authenticated and editable_steps(user).filter(pk=step.pk).exists()


def step_access(user, step):
    can_edit = can_edit_step(user, step)
    return StepAccess(can_see=can_edit or step.plan.is_public, can_edit=can_edit)


def get_step_for_user(request, plan_slug, code):
    """(step, StepAccess); 404 for a step that does not exist or that the user may not see."""
    step = (
        ActionStep.objects
        # plan: the page names and links it; priority: the summary shows it.
        .select_related("plan__jurisdiction", "priority")
        .filter(plan__slug=plan_slug, code=code)
        .first()
    )
    if step is None:
        raise Http404("No such step.")
    access = step_access(request.user, step)
    if not access.can_see:
        raise Http404("No such step.")
    return step, access


def acting_institution(user, step):
    """The institution an edit is made for: the user's own among the step's institutions, a lead
    before a supporter; None for a coordinator or administrator acting for the plan."""
    own = institution_ids(user)
    if not own:
        return None
    role = (
        StepInstitution.objects.filter(step=step, institution_id__in=own)
        .select_related("institution")
        .order_by("role", "institution__name")  # "lead" sorts before "supporting"
        .first()
    )
    return role.institution if role else None


def is_team_member(user):
    """Anyone with a role: they see who recorded each change, which the public does not."""
    return bool(roles(user))
