"""Reporting periods: default dates, filing with challenges, closing, corrections, and the period
pages built on the step history."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from actionplan import periods
from actionplan.models import ActionStep, PeriodReport, ReportingPeriod

S = ActionStep.Status


def test_default_periods_are_four_months_from_the_plans_start(plan):
    spans = periods.default_periods(plan)

    assert spans[0] == (datetime.date(2024, 6, 1), datetime.date(2024, 9, 30))
    assert spans[1] == (datetime.date(2024, 10, 1), datetime.date(2025, 1, 31))
    assert spans[-1][1] == plan.period_end  # the last one ends with the plan
    assert all(b[0] - a[1] == datetime.timedelta(days=1) for a, b in itertools.pairwise(spans))


def test_periods_are_generated_only_when_missing(plan):
    created = periods.ensure_periods(plan)
    ReportingPeriod.objects.filter(pk=created[0].pk).update(end=datetime.date(2024, 8, 31))

    again = periods.ensure_periods(plan)

    assert len(again) == len(created) == 7
    assert again[0].end == datetime.date(2024, 8, 31)  # the coordinator's dates are kept


def test_a_step_not_started_or_behind_needs_a_challenge(step):
    period = periods.ensure_periods(step.plan)[0]
    with pytest.raises(ValidationError):
        periods.file_report(
            period, step, user=None, status=S.NOT_STARTED, progress=0, narrative="-"
        )
    with pytest.raises(ValidationError):
        periods.file_report(
            period,
            step,
            user=None,
            status=S.IN_PROGRESS,
            progress=10,
            narrative="-",
            behind_schedule=True,
        )

    report = periods.file_report(
        period,
        step,
        user=None,
        status=S.NOT_STARTED,
        progress=0,
        narrative="Waiting.",
        challenges=["resources", "approvals"],
    )

    assert report.challenge_labels() == ["Lack of resources", "Delay in approvals"]


def test_a_report_after_closing_is_a_correction_and_the_report_stays(step):
    period = periods.ensure_periods(step.plan)[0]
    first = periods.file_report(
        period, step, user=None, status=S.IN_PROGRESS, progress=20, narrative="On time."
    )
    periods.set_period(period, start=period.start, end=period.end, state="closed")

    later = periods.file_report(
        period, step, user=None, status=S.IN_PROGRESS, progress=25, narrative="Corrected."
    )

    assert later.is_correction and not first.is_correction
    rows = periods.step_periods(step)
    assert rows[0].report == first and rows[0].corrections == [later]


def test_period_reports_are_never_updated(step):
    period = periods.ensure_periods(step.plan)[0]
    report = periods.file_report(
        period, step, user=None, status=S.IN_PROGRESS, progress=20, narrative="On time."
    )

    with pytest.raises(DatabaseError), transaction.atomic():
        PeriodReport.objects.filter(pk=report.pk).update(progress=90)


def test_the_period_page_says_who_filed_and_what_changed(client, step, english):
    plan = step.plan
    first, second = periods.ensure_periods(plan)[:2]
    # The history begins today; the period pages read it as it stood at each end.
    periods.set_period(first, start=first.start, end=first.end, state="closed")
    ActionStep.objects.filter(pk=step.pk).update(status=S.IN_PROGRESS, progress=40)

    page = client.get(f"/en/plans/{plan.slug}/periods/{second.number}/").content.decode()

    assert "Who has filed" in page and "Not filed" in page
    assert client.get(f"/en/plans/{plan.slug}/periods/").status_code == 200
