"""{% step_periods step %}: a step's period-over-period table on its page (actionplan.periods)."""

from django import template

from actionplan import periods

register = template.Library()


@register.inclusion_tag("actionplan/_step_periods.html")
def step_periods(step):
    return {"rows": periods.step_periods(step), "step": step}
