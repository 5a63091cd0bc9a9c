"""Access rules, in one place. Views ask these helpers; templates get their answers.

Objects a user may not see are answered with 404 by the views, so ids cannot be probed.
"""

from django.db.models import Q

from actionplan.models import ActionStep
from portal.models import Affiliation, PlanRole, Role


def roles(user):
    """The user's role names (their groups), cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_portal_roles"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR)
        user._portal_roles = frozenset(names)
    return user._portal_roles


def has_plan_role(user, plan, role):
    """True when the user holds `role` (a plan-scoped role) for this plan; admins hold all."""
    if Role.ADMINISTRATOR in roles(user):
        return True
    return role in roles(user) and PlanRole.objects.filter(user=user, plan=plan, role=role).exists()


def institution_ids(user):
    if Role.STAFF not in roles(user):
        return set()
    if not hasattr(user, "_portal_institutions"):
        user._portal_institutions = set(
            Affiliation.objects.filter(user=user).values_list("institution_id", flat=True)
        )
    return user._portal_institutions


def editable_steps(user, plan=None):
    """Steps the user may update: a coordinator's whole plan, staff's own institutions' steps."""
    steps = ActionStep.objects.all()
    if plan is not None:
        steps = steps.filter(plan=plan)
    if Role.ADMINISTRATOR in roles(user):
        return steps
    rule = Q(pk__in=[])
    if Role.COORDINATOR in roles(user):
        rule |= Q(plan__people__user=user, plan__people__role=Role.COORDINATOR)
    own = institution_ids(user)
    if own:
        rule |= Q(roles__institution_id__in=own)
    return steps.filter(rule).distinct()


def can_edit_step(user, step):
    if not user.is_authenticated:
        return False
    return editable_steps(user).filter(pk=step.pk).exists()
