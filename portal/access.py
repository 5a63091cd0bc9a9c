"""Access rules, in one place. Views ask these helpers; templates get their answers.

Objects a user may not see are answered with 404 by the views, so ids cannot be probed.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpResponse

from actionplan.models import ActionStep, StepInstitution
from portal.models import Affiliation, PlanRole, Role


def changes_data(view):
    """Mark a view that changes data. tests/test_permission_matrix.py finds every marked view in
    the URLconf and fails unless the matrix has a row for it, so no such endpoint goes untested.

    Put it outermost or innermost: functools.wraps copies the mark through other decorators.
    """
    view.changes_data = True
    return view


def login_required(view):
    """Like Django's, but an HTMX request whose session has expired gets HX-Redirect to the
    sign-in page (with the page the user was on as `next`) instead of the sign-in page's HTML
    swapped into the middle of the form."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.htmx:
            login = redirect_to_login(request.htmx.current_url_abs_path or request.get_full_path())
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login["Location"]
            return response
        return redirect_to_login(request.get_full_path())

    return wrapper


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


def is_team_member(user):
    """Anyone with a role: they see who recorded each change, which the public does not."""
    return bool(roles(user))


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


def coordinated_plan_ids(user):
    """Plans whose every step the user may edit: all plans for admins (None), else their
    coordinator roles."""
    if Role.ADMINISTRATOR in roles(user):
        return None
    if Role.COORDINATOR not in roles(user):
        return set()
    return set(
        PlanRole.objects.filter(user=user, role=Role.COORDINATOR).values_list("plan_id", flat=True)
    )


def editable_steps(user, plan=None):
    """Steps the user may update: a coordinator's whole plan, staff's own institutions' steps.

    Subqueries rather than joins, so the result has no duplicates and callers may annotate it.
    """
    steps = ActionStep.objects.all()
    if plan is not None:
        steps = steps.filter(plan=plan)
    if Role.ADMINISTRATOR in roles(user):
        return steps
    rule = Q(pk__in=[])
    if Role.COORDINATOR in roles(user):
        rule |= Q(plan__in=PlanRole.objects.filter(user=user, role=Role.COORDINATOR).values("plan"))
    own = institution_ids(user)
    if own:
        rule |= Q(pk__in=StepInstitution.objects.filter(institution_id__in=own).values("step"))
    return steps.filter(rule)


def can_edit_step(user, step):
    if not user.is_authenticated:
        return False
    return editable_steps(user).filter(pk=step.pk).exists()


def get_step_for_edit(user, plan_slug, code):
    """The step to update, or 404 for one the user may not edit (so ids cannot be probed)."""
    step = (
        editable_steps(user)
        # plan: the page names and links it; priority: the summary shows it.
        .select_related("plan__jurisdiction", "priority")
        .filter(plan__slug=plan_slug, code=code)
        .first()
    )
    if step is None:
        raise Http404("No step to update here.")
    return step


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
