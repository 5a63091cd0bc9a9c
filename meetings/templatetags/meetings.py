"""Meeting dates, sanitised Markdown, and the pieces other pages include:

- `{% step_annotations step %}` on a step's page: annotations that reference it;
- `{% follow_ups %}` / `{% follow_ups plan %}` on "My steps" and the coordinator's dashboard;
- `{% cocreation_figures plan %}` on the plan page: figures from meetings beside declared ones.

Each reads what the current user may see; board-only annotations never reach other readers.
"""

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html

from core.markup import render_markdown
from meetings import queries
from meetings import register as response_register
from meetings.models import Meeting

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


def _time(value, text):
    return format_html('<time datetime="{}">{}</time>', value, text)


def _moment(day, at=None):
    if at is None:
        return _time(day.isoformat(), date_format(day))
    return _time(f"{day.isoformat()}T{at:%H:%M}", f"{date_format(day)}, {time_format(at)}")


@register.simple_tag
def meeting_when(meeting):
    """The meeting's date and times, as precise as they are known, in <time> elements."""
    start = meeting.start_date
    if meeting.date_precision == Meeting.DatePrecision.YEAR:
        return _time(start.strftime("%Y"), start.year)
    if meeting.date_precision == Meeting.DatePrecision.MONTH:
        return _time(start.strftime("%Y-%m"), date_format(start, "YEAR_MONTH_FORMAT"))
    starts = _moment(start, meeting.start_time)
    if meeting.end_date and meeting.end_date != start:
        return format_html("{} – {}", starts, _moment(meeting.end_date, meeting.end_time))
    if meeting.end_time:
        ends = _time(f"{start.isoformat()}T{meeting.end_time:%H:%M}", time_format(meeting.end_time))
        return format_html("{} – {}", starts, ends)
    return starts


@register.inclusion_tag("meetings/_step_annotations.html", takes_context=True)
def step_annotations(context, step):
    return {
        "annotations": queries.step_annotations(step, context["request"].user),
        "step": step,
    }


@register.inclusion_tag("meetings/_follow_ups.html", takes_context=True)
def follow_ups(context, plan=None):
    request = context["request"]
    return {
        "follow_ups": queries.open_follow_ups(request.user, plan),
        "today": timezone.localdate(),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }


@register.inclusion_tag("meetings/_cocreation_figures.html")
def cocreation_figures(plan, with_responses=False):
    """with_responses: the co-creation page adds the register's figures (one query)."""
    return {
        "figures": queries.cocreation_figures(plan),
        "plan": plan,
        "responses": response_register.figures(plan) if with_responses else None,
    }
