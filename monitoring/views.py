"""Pages of the monitoring body, its forms, the PDF downloads and the open-data downloads."""

import itertools
import json

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from actionplan import queries
from monitoring import opendata, pdf, progress
from monitoring.access import (
    get_report_for_edit,
    get_report_for_user,
    get_step_for_monitor,
    is_monitor,
    require_monitor,
)
from monitoring.forms import (
    AssessmentForm,
    BodyForm,
    ChecklistFormSet,
    PdfOptionsForm,
    ReportForm,
    ResultFormSet,
)
from monitoring.models import Assessment, AssessmentEvidence, MonitoringBody, MonitoringReport
from monitoring.services import StaleEdit, save_assessment, save_report
from portal.access import changes_data

PREPARING_REFRESH_SECONDS = 3
# The documents' templates extend this on the web and base_print.html in a PDF.
WEB_BASE = "actionplan/_plan_layout.html"


# --- The monitoring body --------------------------------------------------------------------------


@require_safe
def body(request, plan_slug):
    plan = queries.get_public_plan(plan_slug)
    monitor = is_monitor(request.user, plan)
    body, members = progress.monitoring_body(plan)
    return render(
        request,
        "monitoring/body.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "body": body,
            "members": members,
            "reports": progress.reports_of(plan, include_drafts=monitor),
            "steps": progress.assessment_rows(plan, include_drafts=monitor),
            "is_monitor": monitor,
            "report_kinds": MonitoringReport.Kind.choices,
        },
    )


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def body_edit(request, plan_slug):
    plan = queries.get_public_plan(plan_slug)
    require_monitor(request.user, plan)
    instance = MonitoringBody.objects.filter(plan=plan).first() or MonitoringBody(plan=plan)
    form = BodyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("monitoring:body", plan_slug=plan.slug)
    return render(
        request,
        "monitoring/body_edit.html",
        {"plan": plan, "jurisdiction": plan.jurisdiction, "form": form},
        status=422 if form.errors else 200,
    )


# --- Assessments ----------------------------------------------------------------------------------


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def assessment_edit(request, plan_slug, code):
    """The assessment form: inline on the step page with HTMX, a page of its own without.

    A save replies with the updated assessment (HTMX) or a redirect to the step page; invalid
    input with the form and its errors (422); a stale version with the form, the current saved
    values beside the user's input, and 409.
    """
    plan, step = get_step_for_monitor(request.user, plan_slug, code)
    assessment = Assessment.objects.filter(step=step).first() or Assessment(step=step)
    status, current = 200, None
    if request.method == "POST":
        form = AssessmentForm(request.POST, request.FILES, instance=assessment)
        if form.is_valid():
            try:
                saved = save_assessment(step, form, request.user)
            except StaleEdit as stale:
                current = stale.current
                status = 409
                # The form keeps the user's input; its version moves to the saved one, so that
                # a second save after reviewing the difference goes through.
                data = request.POST.copy()
                data["version"] = current.version if current else 0
                # A separate instance: validating the form writes the input onto it, and
                # `current` must keep showing what was saved.
                instance = Assessment.objects.filter(step=step).first() or Assessment(step=step)
                form = AssessmentForm(data, instance=instance)
                form.is_valid()
            else:
                if request.htmx:
                    saved.step = step
                    return render(
                        request,
                        "monitoring/_assessment.html",
                        {
                            "plan": plan,
                            "step": step,
                            "assessment": saved,
                            "can_assess": True,
                            "just_saved": True,
                        },
                    )
                return redirect(f"{step.get_absolute_url()}#assessment")
        else:
            status = 422
    else:
        form = AssessmentForm(instance=assessment)
    context = {
        "plan": plan,
        "jurisdiction": plan.jurisdiction,
        "step": step,
        "form": form,
        "assessment": assessment if assessment.pk else None,
        "current": current,
    }
    template = "monitoring/assessment_edit.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=status)


@login_required
@require_GET
def assessment_history(request, plan_slug, code):
    plan, step = get_step_for_monitor(request.user, plan_slug, code)
    assessment = get_object_or_404(Assessment, step=step)
    revisions = list(assessment.revisions.select_related("saved_by"))  # who saved each one
    labels = {
        name: Assessment._meta.get_field(name).verbose_name for name in Assessment.ASSESSED_FIELDS
    }
    labels["evidence_files"] = _("evidence files")
    for newer, older in itertools.pairwise(revisions):
        newer.changed = [
            label for name, label in labels.items() if older.data.get(name) != newer.data.get(name)
        ]
    return render(
        request,
        "monitoring/assessment_history.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "step": step,
            "assessment": assessment,
            "revisions": revisions,
        },
    )


@require_safe
def evidence(request, pk):
    """An evidence file, as a download: to anyone once its assessment is published, to the
    plan's monitors before."""
    item = get_object_or_404(
        AssessmentEvidence.objects.select_related("assessment__step__plan"), pk=pk
    )
    assessment = item.assessment
    if not (assessment.is_published or is_monitor(request.user, assessment.step.plan)):
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


# --- Reports --------------------------------------------------------------------------------------


@require_safe
def report(request, plan_slug, pk):
    plan = queries.get_public_plan(plan_slug)
    report = get_report_for_user(request.user, plan, pk)
    report.plan = plan
    return render(
        request,
        "monitoring/report.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "report": report,
            "base_template": WEB_BASE,
            "is_monitor": is_monitor(request.user, plan),
            **progress.report_details(report),
        },
    )


def _report_formset(report, data=None):
    if report.kind == MonitoringReport.Kind.INCEPTION:
        return ChecklistFormSet(data, queryset=report.checklist.all(), prefix="checklist")
    if report.kind == MonitoringReport.Kind.END_OF_COMMITMENT:
        # step: each row is labelled with its step.
        return ResultFormSet(data, queryset=report.results.select_related("step"), prefix="results")
    return None


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def report_new(request, plan_slug):
    plan = queries.get_public_plan(plan_slug)
    require_monitor(request.user, plan)
    initial = {"kind": request.GET.get("kind")}
    form = ReportForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        report = save_report(plan, form, None, request.user)
        # The answers (checklist, results per step) come on the edit page, now that they exist.
        if report.kind == MonitoringReport.Kind.FINAL_LEARNING:
            return redirect(report.get_absolute_url())
        return redirect("monitoring:report_edit", plan_slug=plan.slug, pk=report.pk)
    return render(
        request,
        "monitoring/report_edit.html",
        {"plan": plan, "jurisdiction": plan.jurisdiction, "form": form, "formset": None},
        status=422 if form.errors else 200,
    )


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, plan_slug, pk):
    plan = queries.get_public_plan(plan_slug)
    report = get_report_for_edit(request.user, plan, pk)
    report.plan = plan
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, plan=plan, instance=report)
    formset = _report_formset(report, data)
    status, current = 200, None
    if request.method == "POST":
        if form.is_valid() and (formset is None or formset.is_valid()):
            try:
                save_report(plan, form, formset, request.user)
            except StaleEdit as stale:
                status, current = 409, stale.current
                # The user's input stays; the version moves on so that saving again goes through.
                data = request.POST.copy()
                data["version"] = current.version
                form = ReportForm(data, plan=plan, instance=report)
                form.is_valid()
            else:
                return redirect(report.get_absolute_url())
        else:
            status = 422
    return render(
        request,
        "monitoring/report_edit.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "form": form,
            "formset": formset,
            "report": report,
            "current": current,
        },
        status=status,
    )


# --- PDFs and their pages -------------------------------------------------------------------------


def _options(request, plan):
    form = PdfOptionsForm(request.GET, earliest=progress.earliest_record(plan))
    if form.is_valid():
        return form, *form.options(get_language())
    return form, None, None


def _site_root(request):
    return request.build_absolute_uri("/")


def _serve(request, document):
    row = pdf.request_pdf(document)
    context = {"plan": document.plan, "jurisdiction": document.plan.jurisdiction, "row": row}
    if row.status == row.Status.READY:
        response = FileResponse(
            row.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=document.filename(),
        )
        response["Cache-Control"] = "private, no-cache"  # revalidate: the data may change
        return response
    if row.status == row.Status.FAILED:
        response = render(request, "monitoring/pdf_failed.html", context, status=503)
        response["Retry-After"] = int(pdf.RETRY_AFTER.total_seconds())
        return response
    context["refresh_seconds"] = PREPARING_REFRESH_SECONDS
    response = render(request, "monitoring/pdf_preparing.html", context, status=202)
    response["Retry-After"] = PREPARING_REFRESH_SECONDS
    response["Cache-Control"] = "no-store"
    return response


def _bad_options(request, plan, form, back_url):
    return render(
        request,
        "monitoring/pdf_options_invalid.html",
        {"plan": plan, "jurisdiction": plan.jurisdiction, "form": form, "back_url": back_url},
        status=400,
    )


@require_safe
def progress_report(request, plan_slug):
    """The progress report as a web page, with the options of its PDF."""
    plan = queries.get_public_plan(plan_slug)
    form, _language, as_of = _options(request, plan)
    return render(
        request,
        "monitoring/progress_report.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "progress": progress.plan_progress(plan, as_of),
            "as_of": as_of,
            "options": form,
            "base_template": WEB_BASE,
            "generated_at": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def progress_report_pdf(request, plan_slug):
    plan = queries.get_public_plan(plan_slug)
    form, language, as_of = _options(request, plan)
    if form.errors:
        back = reverse("monitoring:progress_report", kwargs={"plan_slug": plan.slug})
        return _bad_options(request, plan, form, back)
    return _serve(request, pdf.ProgressReport(plan, language, as_of, base_url=_site_root(request)))


@require_safe
def step_sheet(request, plan_slug, code):
    plan = queries.get_public_plan(plan_slug)
    step = queries.get_step(plan, code)
    form, _language, as_of = _options(request, plan)
    sheet = progress.step_sheet(plan, step.pk, as_of)
    return render(
        request,
        "monitoring/step_sheet.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "step": sheet,
            "requested_step": step,
            "as_of": as_of,
            "today": as_of or timezone.localdate(),
            "options": form,
            "base_template": WEB_BASE,
            "generated_at": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def step_sheet_pdf(request, plan_slug, code):
    plan = queries.get_public_plan(plan_slug)
    step = get_object_or_404(plan.steps.all(), code=code)
    form, language, as_of = _options(request, plan)
    if form.errors:
        return _bad_options(request, plan, form, step.get_absolute_url())
    return _serve(request, pdf.StepSheet(plan, language, as_of, step, _site_root(request)))


@require_safe
def report_pdf(request, plan_slug, pk):
    plan = queries.get_public_plan(plan_slug)
    report = get_report_for_user(request.user, plan, pk)
    report.plan = plan
    form, language, _as_of = _options(request, plan)
    if form.errors:
        return _bad_options(request, plan, form, report.get_absolute_url())
    return _serve(request, pdf.ReportDocument(plan, language, None, report, _site_root(request)))


# --- Open data ------------------------------------------------------------------------------------


@require_safe
def open_data(request, plan_slug):
    plan = queries.get_public_plan(plan_slug)
    return render(
        request,
        "monitoring/open_data.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "datasets": opendata.DATASETS,
            "licence_name": opendata.LICENCE_NAME,
            "licence_url": opendata.LICENCE_URL,
        },
    )


@require_safe
def download(request, plan_slug, dataset, fmt):
    plan = queries.get_public_plan(plan_slug)
    spec = opendata.BY_NAME.get(dataset)
    if spec is None:
        raise Http404("No such dataset.")
    rows = spec.rows(plan)
    filename = f"{plan.slug}-{spec.name}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(spec.csv(rows), content_type="text/csv; charset=utf-8")
    else:
        payload = {
            "dataset": spec.name,
            "plan": plan.slug,
            "licence": {"name": opendata.LICENCE_NAME, "url": opendata.LICENCE_URL},
            "generated_at": timezone.now().isoformat(),
            "fields": {c.name: str(c.description) for c in spec.columns},
            "results": spec.records(rows),
        }
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
