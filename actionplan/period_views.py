"""Reporting periods: the public period pages, the period report form of the lead institution's
staff, and the coordinator's setting of a period's dates and state."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from actionplan import backfill, periods, selectors
from actionplan.access import editable_steps, get_step_for_user
from actionplan.forms import PeriodForm, PeriodReportForm
from actionplan.models import ActionPlan
from actionplan.models.roles import Role, has_plan_role
from core.forms import GovukForm
from core.http import changes_data, login_required, require_http_methods, require_POST, require_safe


@require_safe
def period_list(request, plan_slug):
    plan = selectors.get_public_plan(plan_slug)
    return render(
        request,
        "actionplan/periods.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "periods": periods.plan_periods(plan),
            "step_count": plan.steps.count(),
            "is_coordinator": has_plan_role(request.user, plan.pk, Role.COORDINATOR),
        },
    )


@require_safe
def period(request, plan_slug, number):
    plan = selectors.get_public_plan(plan_slug)
    period = periods.get_period(plan, number)
    overview = periods.period_overview(plan, period)
    editable = set()
    if request.user.is_authenticated:
        editable = set(editable_steps(request.user, plan).values_list("pk", flat=True))
    return render(
        request,
        "actionplan/period.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "period": period,
            "overview": overview,
            "editable": editable,
            "is_coordinator": has_plan_role(request.user, plan.pk, Role.COORDINATOR),
        },
    )


# --- Staff --------------------------------------------------------------------------------------


@changes_data
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def file_report(request, plan_slug, number, code):
    step, access = get_step_for_user(request, plan_slug, code)
    access.require("can_edit")
    period = periods.get_period(step.plan, number)
    status = 200
    if request.method == "POST":
        form = PeriodReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                periods.file_report(
                    period,
                    step,
                    user=request.user,
                    status=data["status"],
                    progress=data["progress"],
                    narrative=data["narrative"],
                    challenges=data["challenges"],
                    behind_schedule=data["behind_schedule"],
                    links=data["links"],
                    files=data["files"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                text = (
                    _("Correction filed for %(code)s: the period is closed, so it shows as one.")
                    if period.is_closed
                    else _("Report filed for %(code)s.")
                )
                messages.success(request, text % {"code": step.code})
                return redirect(period.get_absolute_url())
        status = 422
    else:
        form = PeriodReportForm(initial={"status": step.status, "progress": step.progress})
    return render(
        request,
        "staff/period_report.html",
        {"plan": step.plan, "step": step, "period": period, "form": form},
        status=status,
    )


def _coordinated_period(request, plan_slug, number):
    plan = get_object_or_404(ActionPlan.objects.select_related("jurisdiction"), slug=plan_slug)
    if not has_plan_role(request.user, plan.pk, Role.COORDINATOR):
        if not plan.is_public:
            raise Http404("No such plan.")
        raise PermissionDenied
    return plan, (periods.get_period(plan, number) if number is not None else None)


@changes_data
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit_period(request, plan_slug, number):
    plan, period = _coordinated_period(request, plan_slug, number)
    status = 200
    if request.method == "POST":
        form = PeriodForm(request.POST, instance=period)
        if form.is_valid():
            data = form.cleaned_data
            periods.set_period(period, start=data["start"], end=data["end"], state=data["state"])
            messages.success(request, _("Period %(number)s saved.") % {"number": period.number})
            return redirect(period.get_absolute_url())
        status = 422
    else:
        form = PeriodForm(instance=period)
    return render(
        request,
        "staff/period_edit.html",
        {"plan": plan, "period": period, "form": form},
        status=status,
    )


@changes_data
@login_required
@require_POST
def generate_periods(request, plan_slug):
    plan, _period = _coordinated_period(request, plan_slug, None)
    created = periods.ensure_periods(plan)
    messages.success(
        request, _("The plan has %(count)d reporting periods.") % {"count": len(created)}
    )
    return redirect("actionplan:periods", plan_slug=plan.slug)


# --- Past updates from a spreadsheet -------------------------------------------------------


class PastUpdatesForm(GovukForm, forms.Form):
    file = forms.FileField(
        label=_("CSV file of past updates"),
        help_text=_(
            "Columns: step, date, status, progress, start_date, end_date, note, source. "
            "Step, date and note are required; a day a step already has is skipped."
        ),
    )

    MAX_BYTES = 2 * 2**20

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as CSV in UTF-8.")) from None


@changes_data
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_past_updates(request, plan_slug):
    """The coordinator brings in past updates from a spreadsheet (actionplan.backfill)."""
    plan, _period = _coordinated_period(request, plan_slug, None)
    status, problems = 200, []
    if request.method == "POST":
        form = PastUpdatesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                count = backfill.import_csv(form.cleaned_data["file"], plan)
            except backfill.CsvProblem as problem:
                problems = problem.problems
            else:
                messages.success(
                    request, _("%(count)d past updates backfilled.") % {"count": count}
                )
                return redirect("actionplan:plan", plan_slug=plan.slug)
        status = 422
    else:
        form = PastUpdatesForm()
    return render(
        request,
        "staff/past_updates.html",
        {"plan": plan, "form": form, "problems": problems},
        status=status,
    )
