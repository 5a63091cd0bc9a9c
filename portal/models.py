"""Who may do what. A role is a Django group; its scope is a row here.

- institution staff: the group `staff` plus an Affiliation to each institution they work for;
- coordinator, board member, monitor: the group plus a PlanRole for each plan they serve;
- administrator: a superuser (sets up plans, institutions, people and roles in the admin).
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
        verbose_name = _("role in a plan")
        verbose_name_plural = _("roles in plans")
        constraints = [
            models.UniqueConstraint(fields=["user", "plan", "role"], name="plan_role_once")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.plan.code}"
