"""Who may see and update action steps (see core.access for the contract every app follows).

- Everyone sees the steps of a public plan; a draft plan's steps only those who may edit them.
- A coordinator of the plan updates all its steps; institution staff update the steps their
  institution leads or supports; administrators update every step.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from actionplan.models import ActionPlan, ActionStep, Priority, StepInstitution
from actionplan.models.roles import Role, has_plan_role, institution_ids, plans_with_role, roles
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


@dataclass(frozen=True)
class TextsAccess(Access):
    can_edit: bool


# The subjects whose texts the portal's editor changes, by the URL's word for them.
TEXT_SUBJECTS = {"steps": ActionStep, "priorities": Priority}


def get_texts_for_user(request, plan_slug, kind, code):
    """(step or priority, TextsAccess) for the text editor. The plan's wording is the
    coordinators' (and administrators') to change; others may see the subject but not edit it:
    403, and 404 for a subject they may not see at all."""
    model = TEXT_SUBJECTS.get(kind)
    subject = (
        model.objects.select_related("plan__jurisdiction").filter(plan__slug=plan_slug, code=code)
        if model
        else None
    )
    subject = subject.first() if subject is not None else None
    if subject is None:
        raise Http404("No such step or priority.")
    can_edit = has_plan_role(request.user, subject.plan_id, Role.COORDINATOR)
    if not (can_edit or subject.plan.is_public):
        raise Http404("No such step or priority.")
    return subject, TextsAccess(can_edit=can_edit)


def get_plan_texts_for_user(request, plan_slug):
    """(plan, TextsAccess) for the plan's completeness table: 404 for a plan the user may not
    see, and the coordinators' (and administrators') to use."""
    plan = ActionPlan.objects.select_related("jurisdiction").filter(slug=plan_slug).first()
    can_edit = plan is not None and has_plan_role(request.user, plan.pk, Role.COORDINATOR)
    if plan is None or not (can_edit or plan.is_public):
        raise Http404("No such plan.")
    return plan, TextsAccess(can_edit=can_edit)
