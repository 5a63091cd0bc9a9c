"""Pages of the monitoring body: its details, the assessments of steps and its reports."""

import itertools

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers

from core.editing import StaleEdit
from core.files import attachment
from core.forms import carry_version
from core.http import changes_data, login_required, require_http_methods, require_safe
from monitoring import selectors
from monitoring.access import get_plan_for_user, get_report_for_user, is_monitor
from monitoring.forms import AssessmentForm, BodyForm, ChecklistFormSet, ReportForm, ResultFormSet
from monitoring.models import Assessment, AssessmentEvidence, MonitoringBody, MonitoringReport
from monitoring.services import save_assessment, save_report

# The report's template extends this on the web and base_print.html in a PDF.
WEB_BASE = "actionplan/_plan_layout.html"


def _step_for_monitor(request, plan_slug, code):
    """(plan, step) for the plan's monitors; 404 for an unknown plan or step, 403 for others."""
    plan, access = get_plan_for_user(request, plan_slug)
    access.require("can_monitor")
    step = get_object_or_404(plan.steps.select_related("priority"), code=code)
    step.plan = plan
    return plan, step


# --- The monitoring body --------------------------------------------------------------------------


@require_safe
def body(request, plan_slug):
    plan, access = get_plan_for_user(request, plan_slug)
    monitor = access.can_monitor
    body, members = selectors.monitoring_body(plan)
    return render(
        request,
        "monitoring/body.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "body": body,
            "members": members,
            "reports": selectors.reports_of(plan, include_drafts=monitor),
            "steps": selectors.assessment_rows(plan, include_drafts=monitor),
            "is_monitor": monitor,
            "report_kinds": MonitoringReport.Kind.choices,
        },
    )


@changes_data
@login_required
@require_http_methods(["GET", "POST"])
def body_edit(request, plan_slug):
    plan, access = get_plan_for_user(request, plan_slug)
    access.require("can_monitor")
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
    plan, step = _step_for_monitor(request, plan_slug, code)
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
                carry_version(form, current.version if current else 0)
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
@require_safe
def assessment_history(request, plan_slug, code):
    plan, step = _step_for_monitor(request, plan_slug, code)
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
    return attachment(item.file, item.original_name, item.content_type)


# --- Reports --------------------------------------------------------------------------------------


@require_safe
def report(request, plan_slug, pk):
    report, access = get_report_for_user(request, plan_slug, pk)
    plan = report.plan
    return render(
        request,
        "monitoring/report.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "report": report,
            "base_template": WEB_BASE,
            "is_monitor": access.can_monitor,
            **selectors.report_details(report),
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
    plan, access = get_plan_for_user(request, plan_slug)
    access.require("can_monitor")
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
    report, access = get_report_for_user(request, plan_slug, pk)
    access.require("can_monitor")
    plan = report.plan
    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, plan=plan, instance=report)
    formset = _report_formset(report, data)
    status, current, tampered = 200, None, False
    if request.method == "POST":
        if formset is not None and not formset.management_is_intact():
            # Nothing is read from a formset whose row counts were changed: the saved answers
            # are shown again, the rest of the user's input is kept.
            status, tampered = 400, True
            formset = _report_formset(report)
            form.is_valid()
        elif form.is_valid() and (formset is None or formset.is_valid()):
            try:
                save_report(plan, form, formset, request.user)
            except StaleEdit as stale:
                status, current = 409, stale.current
                carry_version(form, current.version)
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
            "tampered": tampered,
        },
        status=status,
    )
