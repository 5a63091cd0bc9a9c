"""Charts as inline SVG rendered on the server, so that they need no JavaScript and the PDF reports
can include the same templates.

Geometry is given in percentages of the chart's width rather than a viewBox: text keeps its size
on a 360 px phone and the bars still stretch to the column. Numbers that end up in SVG attributes
are formatted here as plain strings, because the template engine would localise a float
("12,5" in Slovak) and break the attribute.
"""

import datetime

from django import template
from django.utils import formats
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplan.models import ActionPlan, ActionStep

register = template.Library()

# Fill colours by status, each at least 3:1 against white (WCAG 1.4.11); the label beside every
# bar carries the meaning, so colour is never the only cue.
STATUS_COLOURS = {
    ActionStep.Status.NOT_STARTED: "#505a5f",
    ActionStep.Status.IN_PROGRESS: "#1d70b8",
    ActionStep.Status.COMPLETED: "#00703c",
    ActionStep.Status.ON_HOLD: "#a35200",
    ActionStep.Status.WITHDRAWN: "#4c2c92",
    ActionStep.Status.NOT_REPORTED: "#6f777b",
}
TRACK_COLOUR = "#dee0e2"
STATUS_ROW_HEIGHT = 40


def _pct(value):
    return f"{value:.2f}"


@register.inclusion_tag("actionplan/charts/status_chart.html")
def status_chart(stats, chart_id, title):
    """A horizontal bar per status: its share of the steps, labelled with the count."""
    rows = [
        {
            "status": item.status,
            "label": item.label,
            "count": item.count,
            "width": _pct(100 * item.count / stats.total if stats.total else 0),
            "colour": STATUS_COLOURS[item.status],
            "y": n * STATUS_ROW_HEIGHT,
        }
        for n, item in enumerate(stats.by_status)
    ]
    description = ngettext(
        "%(total)s step: %(counts)s.", "%(total)s steps: %(counts)s.", stats.total
    ) % {
        "total": stats.total,
        "counts": ", ".join(f"{row['label']} {row['count']}" for row in rows),
    }
    return {
        "chart_id": chart_id,
        "title": title,
        "description": description,
        "rows": rows,
        "height": len(rows) * STATUS_ROW_HEIGHT,
        "track_colour": TRACK_COLOUR,
    }


@register.inclusion_tag("actionplan/charts/progress.html")
def progress_bar(value, label):
    """The app-progress bar: decoration for `label`, the sentence that carries the number. Its
    width is one of 101 classes (whole per cent), as the CSP allows no style attribute."""
    return {"percent": round(max(0, min(100, value or 0))), "label": label}


def _years(start, end, position):
    """A gridline where each year begins and a label in the middle of its part of the range."""
    years = []
    for year in range(start.year, end.year + 1):
        first = max(start, datetime.date(year, 1, 1))
        last = min(end, datetime.date(year, 12, 31))
        years.append(
            {
                "year": year,
                # The range's first year starts at the left edge, which needs no line.
                "line": _pct(position(first)) if first > start else None,
                "middle": _pct((position(first) + position(last)) / 2),
                # A label squeezed into less than a tenth of the width would collide.
                "labelled": position(last) - position(first) >= 10,
            }
        )
    return years


def _has_baseline(step):
    return bool(getattr(step, "baseline_start_date", None) and step.baseline_end_date)


def _span(first, last, position, days):
    return {
        "x": _pct(position(first)),
        "width": _pct(max(100 * ((last - first).days + 1) / days, 0.6)),
    }


def timeline(steps, period_start, period_end, today, include_today=False):
    """Rows of a Gantt-like chart of steps between their start and end dates.

    The axis spans the plan period, widened to fit any step that starts or ends outside it, and
    to today with include_today (a current plan: where today stands is the point of the chart).
    Steps without both dates cannot be placed; they come back in `undated`.
    """
    dated = [s for s in steps if s.start_date and s.end_date]
    # A step that moved also shows its baseline, a ghost bar under the current one.
    ghosts = [s for s in dated if _has_baseline(s) and s.is_moved]
    # A little room after today keeps its line off the chart's edge.
    extra = [today, today + datetime.timedelta(days=14)] if include_today else []
    start = min([period_start, *extra, *(s.start_date for s in dated)])
    start = min([start, *(s.baseline_start_date for s in ghosts)])
    end = max([period_end, *extra, *(s.end_date for s in dated)])
    end = max([end, *(s.baseline_end_date for s in ghosts)])
    days = max((end - start).days + 1, 1)

    def position(date):
        return 100 * (date - start).days / days

    rows = [
        {
            "step": step,
            "x": _pct(position(step.start_date)),
            # At least a sliver, so that a one-day step is still visible.
            "width": _pct(max(100 * ((step.end_date - step.start_date).days + 1) / days, 0.6)),
            "colour": STATUS_COLOURS[step.status],
            "overdue": step.is_overdue(today),
            "baseline": _span(step.baseline_start_date, step.baseline_end_date, position, days)
            if step in ghosts
            else None,
        }
        for step in dated
    ]
    years = _years(start, end, position)
    return {
        "start": start,
        "end": end,
        "years": years,
        # The year lines across each bar, the same in every row: made once, not per step.
        "bar_grid": format_html_join(
            "",
            '<line x1="{0}%" x2="{0}%" y1="0" y2="20" stroke="#ffffff" stroke-width="2"/>',
            ((year["line"],) for year in years if year["line"]),
        ),
        "today": today,
        "today_x": _pct(position(today)) if start <= today <= end else None,
        "today_side": "before" if today < start else "after" if today > end else None,
        "rows": rows,
        "has_baselines": bool(ghosts),
        "undated": [
            {"step": s, "overdue": s.is_overdue(today)}
            for s in steps
            if not (s.start_date and s.end_date)
        ],
        "track_colour": TRACK_COLOUR,
    }


@register.inclusion_tag("actionplan/charts/timeline.html")
def step_timeline(steps, plan, today):
    include_today = plan.status in ActionPlan.CURRENT_STATUSES
    data = timeline(steps, plan.period_start, plan.period_end, today, include_today)
    data.update(
        plan=plan,
        caption=_(
            "Each bar runs from a step's start date to its end date, on an axis from "
            "%(start)s to %(end)s."
        )
        % {
            "start": formats.date_format(data["start"], "DATE_FORMAT"),
            "end": formats.date_format(data["end"], "DATE_FORMAT"),
        },
    )
    return data
