"""Monitoring pieces for other pages: the step's assessment, the plan's report links."""

from django import template
from django.utils.translation import gettext as _

from monitoring.access import is_monitor
from monitoring.models import Assessment

register = template.Library()


@register.inclusion_tag("monitoring/_assessment.html", takes_context=True)
def step_assessment(context, step, plan):
    """The step's assessment section: the published assessment for everyone, the draft too and
    an edit link for the plan's monitors. One query, two for a monitor."""
    user = context["request"].user
    can_assess = is_monitor(user, plan)
    assessments = Assessment.objects.filter(step=step).prefetch_related("evidence_files")
    if not can_assess:
        assessments = assessments.published()
    assessment = assessments.first()
    return {"plan": plan, "step": step, "assessment": assessment, "can_assess": can_assess}


@register.inclusion_tag("monitoring/_plan_links.html")
def plan_monitoring_links(plan):
    """List items for a plan's "In this plan" navigation."""
    return {"plan": plan}


@register.filter
def yes_no(value, blank_label=None):
    """Yes / No, or the blank label (by default "not assessed") for no answer."""
    if value is None:
        return blank_label or _("not assessed")
    return _("Yes") if value else _("No")
