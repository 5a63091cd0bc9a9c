"""Plan statistics and the server-rendered SVG charts (also used by the PDF reports)."""

import datetime
import re

from django.template import Context, Template
from django.utils import translation

from actionplan.models import ActionStep
from actionplan.statistics import plan_statistics, step_statistics
from actionplan.templatetags.plan_charts import timeline

TODAY = datetime.date(2025, 7, 1)
S = ActionStep.Status


def make_step(code, status=S.NOT_STARTED, progress=0, start=None, end=None, priority_id=None):
    # Unsaved steps: statistics and charts work on rows already loaded.
    return ActionStep(
        code=code,
        title=f"Step {code}",
        status=status,
        progress=progress,
        start_date=start,
        end_date=end,
        priority_id=priority_id,
    )


def test_statistics_count_statuses_overdue_and_mean_progress_without_withdrawn():
    steps = [
        make_step("A", S.COMPLETED, 100),
        make_step("B", S.IN_PROGRESS, 50, end=datetime.date(2025, 6, 30)),
        make_step("C", S.WITHDRAWN, 10, end=datetime.date(2025, 1, 1)),
        make_step("D"),
    ]

    stats = step_statistics(steps, TODAY)

    assert stats.total == 4
    assert [(c.status, c.count) for c in stats.by_status] == [
        ("not_started", 1),
        ("in_progress", 1),
        ("completed", 1),
        ("on_hold", 0),
        ("withdrawn", 1),
        ("not_reported", 0),
    ]
    assert [c.status for c in stats.present_statuses] == [
        "not_started",
        "in_progress",
        "completed",
        "withdrawn",
    ]
    assert stats.mean_progress == 50  # (100 + 50 + 0) / 3: the withdrawn step does not count
    assert stats.overdue == 1  # B; a withdrawn step is never overdue


def test_statistics_of_no_steps_have_no_mean_progress():
    stats = step_statistics([], TODAY)

    assert (stats.total, stats.mean_progress, stats.overdue) == (0, None, 0)


def test_plan_statistics_group_by_priority_and_list_unassigned_steps_last():
    class Priority:
        def __init__(self, pk):
            self.pk = pk

    first, second = Priority(1), Priority(2)
    steps = [
        make_step("A", S.IN_PROGRESS, 20, priority_id=1),
        make_step("B", S.IN_PROGRESS, 40, priority_id=1),
        make_step("C", S.COMPLETED, 100),
    ]

    overall, per_priority = plan_statistics([first, second], steps, TODAY)

    assert overall.total == 3
    assert [(p.priority, p.stats.total, p.stats.mean_progress) for p in per_priority] == [
        (first, 2, 30),
        (second, 0, None),
        (None, 1, 100),
    ]


def test_timeline_places_bars_by_date_and_marks_today():
    steps = [
        make_step("A", start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)),
        make_step("B", start=datetime.date(2025, 7, 2), end=datetime.date(2025, 7, 2)),
        make_step("C", end=datetime.date(2025, 3, 1)),
        make_step("D"),
    ]

    data = timeline(steps, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), TODAY)

    a, b = data["rows"]
    assert (a["x"], a["width"]) == ("0.00", "100.00")
    assert b["x"] == "49.86"  # day 182 of 365
    assert b["width"] == "0.60"  # one day, widened to stay visible
    assert data["today_x"] == "49.59"
    assert [item["step"].code for item in data["undated"]] == ["C", "D"]
    assert data["undated"][0]["overdue"] is True


def test_timeline_axis_widens_to_fit_steps_outside_the_plan_period():
    steps = [make_step("A", start=datetime.date(2023, 7, 1), end=datetime.date(2026, 6, 30))]

    data = timeline(steps, datetime.date(2024, 1, 1), datetime.date(2025, 12, 31), TODAY)

    assert (data["start"], data["end"]) == (datetime.date(2023, 7, 1), datetime.date(2026, 6, 30))
    assert [y["year"] for y in data["years"]] == [2023, 2024, 2025, 2026]
    assert data["years"][0]["line"] is None  # the axis starts there
    assert all(y["labelled"] for y in data["years"])


def test_timeline_of_a_past_plan_says_where_today_is_off_the_axis():
    data = timeline([], datetime.date(2021, 1, 1), datetime.date(2022, 12, 31), TODAY)

    assert (data["today_x"], data["today_side"]) == (None, "after")


def test_timeline_of_a_current_plan_reaches_today_after_its_period():
    data = timeline([], datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), TODAY, True)

    assert data["end"] == TODAY + datetime.timedelta(days=14)
    assert 97 < float(data["today_x"]) < 99


def render(source, **context):
    return Template("{% load plan_charts %}" + source).render(Context(context))


def test_status_chart_is_an_image_with_a_title_and_every_number_in_its_description():
    stats = step_statistics([make_step("A", S.COMPLETED, 100), make_step("B")], TODAY)

    with translation.override("en"):
        html = render('{% status_chart stats "c1" "Steps by status" %}', stats=stats)

    assert re.search(
        r'<svg [^>]*role="img" aria-labelledby="c1-title" aria-describedby="c1-desc"', html
    )
    assert '<p class="app-chart__title" id="c1-title">Steps by status</p>' in html
    assert "<title>Steps by status</title>" in html
    assert (
        '<desc id="c1-desc">2 steps: Not started 1, In progress 0, Completed 1, On hold 0, '
        "Withdrawn 0, Not reported 0.</desc>"
    ) in html
    assert 'width="50.00%" height="12" fill="#00703c"' in html


def test_chart_geometry_is_not_localised_in_slovak():
    # Slovak writes decimals with a comma, which would break an SVG attribute.
    steps = [make_step("A"), make_step("B"), make_step("C", S.COMPLETED, 100)]
    stats = step_statistics(steps, TODAY)

    with translation.override("sk"):
        html = render(
            '{% status_chart stats "c1" "Kroky" %}{% progress_bar 33 "33 %" %}', stats=stats
        )

    assert 'width="66.67%"' in html
    assert "app-progress__value--33" in html
    assert not re.search(r'(width|x)="[\d]+,[\d]+', html)


def test_progress_bar_is_decoration_for_its_sentence_and_stays_within_0_to_100():
    html = render('{% progress_bar 140 "Done" %}{% progress_bar None "Unknown" %}')

    assert html.count('aria-hidden="true"') == 2
    # a class per whole per cent: the Content-Security-Policy allows no style attribute
    assert "app-progress__value--100" in html and "style=" not in html
    assert "app-progress__value--0" in html
    assert '<p class="app-progress__label">Done</p>' in html
