"""Who may do what in monitoring. The body is independent: only the monitors of a plan (and
administrators) write or see its drafts; coordinators and staff read what it publishes, like
everyone else."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from actionplan import queries
from monitoring.models import MonitoringReport, Publication
from portal.access import has_plan_role
from portal.models import Role


def is_monitor(user, plan):
    """A monitor of this plan, or an administrator. Cached per request on the user object."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_monitor_of"):
        user._monitor_of = {}
    cache = user._monitor_of
    if plan.pk not in cache:
        cache[plan.pk] = has_plan_role(user, plan, Role.MONITOR)
    return cache[plan.pk]


def require_monitor(user, plan):
    if not is_monitor(user, plan):
        raise PermissionDenied


def get_step_for_monitor(user, plan_slug, code):
    """(plan, step) for a monitor of the plan; 404 for an unknown plan or step, 403 otherwise."""
    plan = queries.get_public_plan(plan_slug)
    require_monitor(user, plan)
    step = get_object_or_404(plan.steps.select_related("priority"), code=code)
    step.plan = plan
    return plan, step


def visible_reports(user, plan):
    """The plan's reports this user may read: published ones, and drafts for its monitors."""
    reports = plan.monitoring_reports.all()
    if not is_monitor(user, plan):
        reports = reports.filter(status=Publication.PUBLISHED)
    return reports


def get_report_for_user(user, plan, pk):
    """A report the user may read; a draft is a 404 for anyone but the plan's monitors."""
    return get_object_or_404(visible_reports(user, plan), pk=pk)


def get_report_for_edit(user, plan, pk):
    require_monitor(user, plan)
    return get_object_or_404(MonitoringReport, plan=plan, pk=pk)
