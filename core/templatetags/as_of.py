"""Pages that show a state "as of" a day: today on the live pages, the report's day in the
progress report and the step sheet."""

from django import template

register = template.Library()


@register.filter
def overdue_on(obj, day):
    """Whether a step or milestone was overdue on `day`: {% if step|overdue_on:as_of %}."""
    return obj.is_overdue(day)
