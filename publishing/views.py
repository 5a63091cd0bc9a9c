"""What the portal publishes from a plan: the progress report and step sheets (as pages and PDFs),
the PDFs of monitoring reports, and the open-data downloads."""

import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from actionplan import selectors
from actionplan.models.roles import is_team_member
from core import ratelimit
from core.http import require_safe
from monitoring.access import get_report_for_user
from monitoring.selectors import published_report_dates
from publishing import delivery, documents, opendata, progress
from publishing.forms import PdfOptionsForm

PREPARING_REFRESH_SECONDS = 3
# The documents' templates extend this on the web and base_print.html in a PDF.
WEB_BASE = "actionplan/_plan_layout.html"


# --- PDFs and their pages -------------------------------------------------------------------------


def _options(request, plan):
    # Any past day for the portal's team; for everyone else the days that mean something, so
    # that nobody can queue a render for each day of the plan (publishing.forms).
    form = PdfOptionsForm(
        request.GET,
        earliest=progress.earliest_record(plan),
        any_day=is_team_member(request.user),
        report_dates=lambda: published_report_dates(plan),
    )
    if form.is_valid():
        return form, *form.options(get_language())
    return form, None, None


def _site_root(request):
    return request.build_absolute_uri("/")


def _serve(request, document):
    try:
        row = delivery.request_pdf(
            document, before_queueing=lambda: ratelimit.check(request, "pdf")
        )
    except ratelimit.RateLimited as limit:
        return ratelimit.too_many_requests(request, limit.retry_after)
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
        response = render(request, "publishing/pdf_failed.html", context, status=503)
        response["Retry-After"] = int(delivery.RETRY_AFTER.total_seconds())
        return response
    context["refresh_seconds"] = PREPARING_REFRESH_SECONDS
    response = render(request, "publishing/pdf_preparing.html", context, status=202)
    response["Retry-After"] = PREPARING_REFRESH_SECONDS
    response["Cache-Control"] = "no-store"
    return response


def _bad_options(request, plan, form, back_url):
    return render(
        request,
        "publishing/pdf_options_invalid.html",
        {"plan": plan, "jurisdiction": plan.jurisdiction, "form": form, "back_url": back_url},
        status=400,
    )


@require_safe
def progress_report(request, plan_slug):
    """The progress report as a web page, with the options of its PDF."""
    plan = selectors.get_public_plan(plan_slug)
    form, _language, as_of = _options(request, plan)
    return render(
        request,
        "publishing/progress_report.html",
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
    plan = selectors.get_public_plan(plan_slug)
    form, language, as_of = _options(request, plan)
    if form.errors:
        back = reverse("publishing:progress_report", kwargs={"plan_slug": plan.slug})
        return _bad_options(request, plan, form, back)
    return _serve(
        request, documents.ProgressReport(plan, language, as_of, base_url=_site_root(request))
    )


@require_safe
def step_sheet(request, plan_slug, code):
    plan = selectors.get_public_plan(plan_slug)
    step = selectors.get_step(plan, code)
    form, _language, as_of = _options(request, plan)
    sheet = progress.step_sheet(plan, step.pk, as_of)
    return render(
        request,
        "publishing/step_sheet.html",
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
    plan = selectors.get_public_plan(plan_slug)
    step = get_object_or_404(plan.steps.all(), code=code)
    form, language, as_of = _options(request, plan)
    if form.errors:
        return _bad_options(request, plan, form, step.get_absolute_url())
    return _serve(request, documents.StepSheet(plan, language, as_of, step, _site_root(request)))


@require_safe
def period_report_pdf(request, plan_slug, number):
    """The period progress report: the progress report at the period's end, with its reports."""
    plan = selectors.get_public_plan(plan_slug)
    period = get_object_or_404(plan.periods.all(), number=number)
    period.plan = plan
    form, language, _as_of = _options(request, plan)
    if form.errors:
        return _bad_options(request, plan, form, period.get_absolute_url())
    return _serve(
        request,
        documents.PeriodProgressReport(plan, language, None, period, _site_root(request)),
    )


@require_safe
def report_pdf(request, plan_slug, pk):
    report, _access = get_report_for_user(request, plan_slug, pk)
    plan = report.plan
    form, language, _as_of = _options(request, plan)
    if form.errors:
        return _bad_options(request, plan, form, report.get_absolute_url())
    return _serve(
        request, documents.ReportDocument(plan, language, None, report, _site_root(request))
    )


# --- Open data ------------------------------------------------------------------------------------


@require_safe
def open_data(request, plan_slug):
    plan = selectors.get_public_plan(plan_slug)
    return render(
        request,
        "publishing/open_data.html",
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
    plan = selectors.get_public_plan(plan_slug)
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
