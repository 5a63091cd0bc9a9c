"""Who may do what in monitoring (see core.access for the contract every app follows).

The body is independent: only the monitors of a plan (and administrators) write, and see its
drafts; coordinators and staff read what it publishes, like everyone else.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from actionplan import selectors
from actionplan.models.roles import Role, has_plan_role
from core.access import Access
from monitoring.models import MonitoringReport


@dataclass(frozen=True)
class MonitoringAccess(Access):
    """What one user may do in the monitoring of one plan, or with one of its reports."""

    can_see: bool
    can_monitor: bool  # assess steps, edit the body's details, write and publish reports


def is_monitor(user, plan):
    """A monitor of this plan, or an administrator."""
    return user.is_authenticated and has_plan_role(user, plan.pk, Role.MONITOR)


def get_plan_for_user(request, plan_slug):
    """(plan, MonitoringAccess) for a public plan; 404 for any other."""
    plan = selectors.get_public_plan(plan_slug)
    return plan, MonitoringAccess(can_see=True, can_monitor=is_monitor(request.user, plan))


def get_report_for_user(request, plan_slug, pk):
    """(report, MonitoringAccess); a draft is a 404 for anyone but the plan's monitors."""
    plan, access = get_plan_for_user(request, plan_slug)
    reports = MonitoringReport.objects.filter(plan=plan)
    if not access.can_monitor:
        reports = reports.published()
    report = get_object_or_404(reports, pk=pk)
    report.plan = plan
    return report, access
