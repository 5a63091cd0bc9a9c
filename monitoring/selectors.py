"""What the monitoring pages read, with their joins stated: the body and its members, the
assessments of a plan's steps (as they stand, or as published on a past day) and the reports."""

from itertools import groupby

from django.db.models import prefetch_related_objects

from actionplan.models import PlanRole, Role
from core.dates import end_of_day
from monitoring.models import (
    Assessment,
    AssessmentRevision,
    MonitoringBody,
    MonitoringReport,
    Publication,
)


def monitoring_body(plan):
    """The plan's body (or None) and its members: the people with the monitor role."""
    body = MonitoringBody.objects.filter(plan=plan).first()
    members = [
        role.user
        for role in PlanRole.objects.filter(plan=plan, role=Role.MONITOR)
        .select_related("user")  # each member is named
        .order_by("user__last_name", "user__first_name", "user__username")
    ]
    return body, members


def published_assessments(steps, as_of=None):
    """{step id: Assessment} of the published assessments of these steps.

    As of a past day: each assessment as its latest revision on or before that day saved it,
    if that revision was a published one.
    """
    by_id = {step.pk: step for step in steps}
    if as_of is None:
        assessments = Assessment.objects.published().filter(step_id__in=by_id)
        assessments = assessments.prefetch_related("evidence_files")
        result = {a.step_id: a for a in assessments}
    else:
        revisions = (
            AssessmentRevision.objects.filter(
                assessment__step_id__in=by_id, saved_at__lte=end_of_day(as_of)
            )
            .select_related("assessment")  # the step it belongs to and its first publication
            .order_by("assessment_id", "-version")
        )
        result = {}
        for _id, rows in groupby(revisions, key=lambda r: r.assessment_id):
            latest = next(rows)
            if latest.data.get("status") != Publication.PUBLISHED:
                continue
            fields = {k: v for k, v in latest.data.items() if k in Assessment.ASSESSED_FIELDS}
            assessment = Assessment(
                pk=latest.assessment.pk,
                step_id=latest.assessment.step_id,
                version=latest.version,
                updated_at=latest.saved_at,
                published_at=latest.assessment.published_at,
                **fields,
            )
            result[assessment.step_id] = assessment
        # Evidence files are today's: their rows have no history.
        prefetch_related_objects(list(result.values()), "evidence_files")
    for assessment in result.values():
        assessment.step = by_id[assessment.step_id]
    return result


def report_details(report):
    """A monitoring report with what its page shows: covered steps, answers, results and the
    published assessments of its steps."""
    plan = report.plan
    steps = list(report.steps.select_related("priority").order_by("order", "code"))
    for step in steps:
        step.plan = plan
    assessments = published_assessments(steps)
    for step in steps:
        step.published_assessment = assessments.get(step.pk)
    checklist = list(report.checklist.all())
    results = list(
        report.results.select_related("step")  # each row names its step
    )
    for result in results:
        result.step.plan = plan
    return {"steps": steps, "checklist": checklist, "results": results}


def assessment_rows(plan, include_drafts):
    """Every step of the plan, each with `.current_assessment`: its assessment, or None when it
    has none (or only a draft, unless include_drafts)."""
    steps = list(plan.steps.select_related("priority"))
    assessments = Assessment.objects.filter(step__plan=plan)
    if not include_drafts:
        assessments = assessments.published()
    by_step = {a.step_id: a for a in assessments}
    for step in steps:
        step.plan = plan
        step.current_assessment = by_step.get(step.pk)
    return steps


def reports_of(plan, include_drafts):
    reports = MonitoringReport.objects.filter(plan=plan)
    if not include_drafts:
        reports = reports.published()
    return list(reports.order_by("kind", "-published_on", "id"))


def published_report_dates(plan):
    """The days the plan's monitoring reports were published: days whose state of the plan
    anyone may ask a PDF of (publishing.forms.PdfOptionsForm)."""
    return frozenset(
        MonitoringReport.objects.published()
        .filter(plan=plan, published_on__isnull=False)
        .values_list("published_on", flat=True)
    )
