"""The machine-readable value of a <time datetime> attribute."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def datetime_attr(value):
    """`value` as an HTML global date-and-time string in the current time zone, to the second.

    `|date:"c"` keeps the microseconds a database timestamp has, and a six-digit fraction of a
    second is not a valid HTML date-and-time (the Nu HTML Checker reports each one)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
