"""Who may do what. A role is a Django group; its scope is a row here.

- institution staff: the group `staff` plus an Affiliation to each institution they work for;
- coordinator, board member, monitor: the group plus a PlanRole for each plan they serve;
- administrator: a superuser (sets up plans, institutions, people and roles in the admin).

The functions below answer "which roles, for which plans and institutions" for one user, cached on
the user object for the request; the access modules of the apps build their rules on them.

The two tables were created by the portal app and keep their names (portal_affiliation,
portal_planrole): the models moved here so that no app has to import the portal.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Institution staff")
    BOARD = "board", _("CoLaboratory Board member")
    MONITOR = "monitor", _("Monitor")


PLAN_SCOPED_ROLES = (Role.COORDINATOR, Role.BOARD, Role.MONITOR)


class Affiliation(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("person"),
    )
    institution = models.ForeignKey(
        "actionplan.Institution",
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("institution"),
    )

    class Meta:
        db_table = "portal_affiliation"
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(fields=["user", "institution"], name="affiliation_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.institution}"


class PlanRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_roles",
        verbose_name=_("person"),
    )
    plan = models.ForeignKey(
        "actionplan.ActionPlan",
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("plan"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=[(r.value, r.label) for r in PLAN_SCOPED_ROLES]
    )

    class Meta:
        db_table = "portal_planrole"
        verbose_name = _("role in a plan")
        verbose_name_plural = _("roles in plans")
        constraints = [
            models.UniqueConstraint(fields=["user", "plan", "role"], name="plan_role_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.plan.code}"


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


def is_administrator(user):
    return Role.ADMINISTRATOR in roles(user)


def institution_ids(user):
    """The institutions a member of staff works for (none for other roles)."""
    if Role.STAFF not in roles(user):
        return frozenset()
    if not hasattr(user, "_portal_institutions"):
        user._portal_institutions = frozenset(
            Affiliation.objects.filter(user=user).values_list("institution_id", flat=True)
        )
    return user._portal_institutions


def plan_roles(user, plan_id):
    """The plan-scoped roles the user holds for one plan (all of them for an administrator).

    One query per plan and request, cached on the user object.
    """
    held = roles(user)
    if Role.ADMINISTRATOR in held:
        return frozenset(PLAN_SCOPED_ROLES)
    candidates = held & set(PLAN_SCOPED_ROLES)
    if not candidates:
        return frozenset()
    cache = user.__dict__.setdefault("_portal_plan_roles", {})
    if plan_id not in cache:
        cache[plan_id] = frozenset(
            PlanRole.objects.filter(user=user, plan_id=plan_id, role__in=candidates).values_list(
                "role", flat=True
            )
        )
    return cache[plan_id]


def has_plan_role(user, plan_id, role):
    """True when the user holds `role` for this plan; administrators hold every role."""
    return role in plan_roles(user, plan_id)


def plans_with_role(user, *wanted):
    """A queryset of the ids of the plans in which the user holds one of `wanted`, or None for an
    administrator, who holds them in every plan."""
    held = roles(user)
    if Role.ADMINISTRATOR in held:
        return None
    if not held & set(wanted):
        return PlanRole.objects.none().values("plan_id")
    return PlanRole.objects.filter(user=user, role__in=wanted).values("plan_id")
