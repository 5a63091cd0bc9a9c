"""Saving assessments and reports: one conditional UPDATE per save, so that of two people editing
the same record the second is told (StaleEdit) instead of silently overwriting the first."""

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.editing import StaleEdit
from core.files import delete_after_commit
from monitoring.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentRevision,
    ChecklistAnswer,
    ChecklistQuestion,
    CommitmentResult,
    MonitoringReport,
    Publication,
)


@transaction.atomic
def save_assessment(step, form, user):
    """Create or update the step's assessment from a valid AssessmentForm; returns it.

    Raises StaleEdit when the version in the form is not the one in the database.
    """
    data = {name: form.cleaned_data[name] for name in Assessment.ASSESSED_FIELDS}
    expected = form.cleaned_data["version"]
    now = timezone.now()
    publishing = data["status"] == Publication.PUBLISHED
    current = Assessment.objects.filter(step=step).first()
    if current is None and expected == 0:
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    step=step, updated_by=user, published_at=now if publishing else None, **data
                )
        except IntegrityError:
            # Another monitor created it between our read and our insert.
            raise StaleEdit(Assessment.objects.get(step=step)) from None
    else:
        if current is None:
            raise StaleEdit(None)
        updated = Assessment.objects.filter(pk=current.pk, version=expected).update(
            **data,
            version=F("version") + 1,
            updated_at=now,
            updated_by=user,
            published_at=(
                Coalesce(F("published_at"), Value(now)) if publishing else F("published_at")
            ),
        )
        if not updated:
            raise StaleEdit(current)
        assessment = Assessment.objects.get(pk=current.pk)
    _change_evidence(assessment, form, user)
    AssessmentRevision.objects.create(
        assessment=assessment,
        version=assessment.version,
        saved_at=now,
        saved_by=user,
        data={
            **assessment.snapshot(),
            "evidence_files": list(
                assessment.evidence_files.values_list("original_name", flat=True)
            ),
        },
    )
    return assessment


def _change_evidence(assessment, form, user):
    removed = list(form.cleaned_data.get("remove_evidence") or [])
    for evidence in removed:
        evidence.delete()
    delete_after_commit(*(evidence.file for evidence in removed))
    for checked in form.cleaned_data.get("evidence_upload") or []:
        AssessmentEvidence.objects.create(
            assessment=assessment,
            file=checked.upload,
            original_name=checked.title,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user,
        )


@transaction.atomic
def save_report(plan, form, formset, user):
    """Create or update a report from a valid ReportForm (and its answers' formset, when it has
    one); raises StaleEdit when someone saved the report in the meantime."""
    report = form.instance
    expected = form.cleaned_data["version"]
    if report.pk:
        bumped = MonitoringReport.objects.filter(pk=report.pk, version=expected).update(
            version=F("version") + 1
        )
        if not bumped:
            raise StaleEdit(MonitoringReport.objects.get(pk=report.pk))
        report.version = expected + 1
    else:
        report.plan = plan
    report.updated_by = user
    if report.status == Publication.PUBLISHED and not report.published_on:
        report.published_on = timezone.localdate()
    form.save()
    if formset is not None:
        formset.save()
    sync_report_rows(report)
    return report


def sync_report_rows(report):
    """Give the report a row for each question or step it answers for, and no others.

    An inception report answers every co-creation question; an end-of-commitment report rates
    each step it covers. Rows of steps no longer covered go; their answers go with them.
    """
    if report.kind == MonitoringReport.Kind.INCEPTION:
        have = set(report.checklist.values_list("question", flat=True))
        ChecklistAnswer.objects.bulk_create(
            ChecklistAnswer(report=report, question=q)
            for q in ChecklistQuestion.values
            if q not in have
        )
    elif report.kind == MonitoringReport.Kind.END_OF_COMMITMENT:
        covered = set(report.steps.values_list("pk", flat=True))
        report.results.exclude(step_id__in=covered).delete()
        have = set(report.results.values_list("step_id", flat=True))
        CommitmentResult.objects.bulk_create(
            CommitmentResult(report=report, step_id=pk) for pk in sorted(covered - have)
        )
