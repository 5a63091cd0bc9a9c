"""Pages for people who keep the plan up to date: "My steps" and the step update form.

One URL serves both worlds: an HTMX request gets the fragment it swaps in, a plain request gets
the full page and, after a save, a redirect (post/redirect/get).
"""

import datetime
import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.vary import vary_on_headers

from actionplan import changelog, editing, freshness, selectors
from actionplan.access import editable_steps, get_step_for_user, step_access
from actionplan.forms import StepUpdateForm
from actionplan.models import (
    ActionStep,
    Evidence,
    Institution,
    Milestone,
    ReportEvidence,
    StepInstitution,
)
from actionplan.models.roles import Role, institution_ids, plans_with_role
from core.editing import StaleEdit
from core.files import attachment
from core.forms import carry_version
from core.http import changes_data, login_required, require_http_methods, require_safe, safe_next
from core.search import by_text

MILESTONE_HORIZON = datetime.timedelta(days=14)
FORM = "staff/_step_update.html#form"


# --- My steps ----------------------------------------------------------------------------------


# What makes a step need attention, the most urgent first.
SIGNAL_KINDS = ("overdue", "milestone", "stale")


@dataclass
class Signal:
    kind: str  # one of SIGNAL_KINDS
    text: str


@dataclass
class StepRow:
    step: ActionStep
    signals: list = field(default_factory=list)

    @property
    def urgency(self):
        """The index in SIGNAL_KINDS of the most urgent signal; len(SIGNAL_KINDS) if none."""
        return min((SIGNAL_KINDS.index(s.kind) for s in self.signals), default=len(SIGNAL_KINDS))


def _signals(step, today, now):
    """What makes a step need attention, most urgent first."""
    signals = []
    finished = step.status in ActionStep.NEVER_OVERDUE
    if step.is_overdue(today):
        signals.append(
            Signal(
                "overdue",
                _("Overdue: the end date %(date)s has passed.") % {"date": _date(step.end_date)},
            )
        )
    if not finished:
        for milestone in step.milestones.all():
            if (
                milestone.completed_on is None
                and milestone.due_date
                and (milestone.due_date <= today + MILESTONE_HORIZON)
            ):
                text = (
                    _("Milestone “%(title)s” was due %(date)s.")
                    if milestone.due_date < today
                    else _("Milestone “%(title)s” is due %(date)s.")
                )
                signals.append(
                    Signal(
                        "milestone",
                        text % {"title": milestone.title, "date": _date(milestone.due_date)},
                    )
                )
        if freshness.is_stale(step, now):
            signals.append(
                Signal(
                    "stale",
                    _("No update for more than %(days)d days.")
                    % {"days": freshness.stale_after().days},
                )
            )
    return signals


def _date(value):
    return date_format(value, "DATE_FORMAT")


def dashboard_rows(steps, today=None, now=None):
    """Each step with its signals, the most urgent first: overdue, then milestones due soon, then
    no recent update; within a kind, the longest waiting first; then the newest plan first, in
    plan order."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    rows = [StepRow(step, _signals(step, today, now)) for step in steps]

    def sort_key(row):
        step = row.step
        due = min(
            (m.due_date for m in step.milestones.all() if m.due_date and not m.completed_on),
            default=datetime.date.max,
        )
        since = step.reported_since.date() if step.reported_since else datetime.date.min
        when = {0: step.end_date, 1: due, 2: since}.get(row.urgency) or datetime.date.max
        return (
            row.urgency,
            when,
            -step.plan.period_start.toordinal(),
            step.plan_id,
            step.order,
            step.code,
        )

    return sorted(rows, key=sort_key)


def dashboard_steps(queryset):
    # plan: each row links to the public step page; priority labels the step.
    queryset = queryset.select_related("plan__jurisdiction", "priority").prefetch_related(
        selectors.ROLES_WITH_INSTITUTIONS,
        Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id")),
    )
    return freshness.with_last_report(queryset)


@login_required
@never_cache
@require_safe
def my_steps(request):
    user = request.user
    coordinated = plans_with_role(user, Role.COORDINATOR)
    coordinator = coordinated is None or coordinated.exists()
    steps = editable_steps(user)
    institutions = []
    chosen = None
    if coordinator:
        # The filter lists the institutions with a role in the steps the user coordinates.
        institutions = list(
            Institution.objects.filter(step_roles__step__in=steps.values("pk"))
            .select_related("jurisdiction")
            .distinct()
            .order_by(by_text("name"))
        )
        slug = request.GET.get("institution", "")
        chosen = next((i for i in institutions if i.slug == slug), None)
        if chosen:
            steps = steps.filter(
                pk__in=StepInstitution.objects.filter(institution=chosen).values("step")
            )
    rows = dashboard_rows(dashboard_steps(steps))
    return render(
        request,
        "staff/my_steps.html",
        {
            "rows": rows,
            "coordinator": coordinator,
            "institutions": institutions,
            "chosen": chosen,
            "has_affiliations": bool(institution_ids(user)),
            "stale_after_days": freshness.stale_after().days,
            "next_url": request.get_full_path(),
            "counts": {
                kind: sum(1 for row in rows if any(s.kind == kind for s in row.signals))
                for kind in SIGNAL_KINDS
            },
        },
    )


# --- Updating a step ---------------------------------------------------------------------------


def _milestones(step):
    return list(Milestone.objects.filter(step=step).order_by("order", "id"))


def _new_entries(step, since_version):
    """The step's history after `since_version`, newest first, one entry per update, naming the
    person too (staff see it)."""
    return [
        group
        for group in changelog.step_history(step, with_people=True)
        if group.version > since_version
    ]


def _conflict(step, form):
    """The saved values next to the user's unsaved input, for the 409 fragment."""
    data = form.cleaned_data if form.is_valid() else {}
    status_labels = dict(ActionStep.Status.choices)
    milestones = form.milestones
    theirs_done = {m.pk for m in milestones if m.is_done}
    yours_done = {m.pk for m in milestones if data.get(f"milestone_{m.pk}")}
    rows = [
        (
            _("Status"),
            status_labels.get(step.status, step.status),
            status_labels.get(data.get("status"), data.get("status", "")),
        ),
        (_("Progress (%)"), step.progress, data.get("progress", "")),
    ]
    for m in milestones:
        rows.append(
            (
                m.title,
                _("done") if m.pk in theirs_done else _("not done"),
                _("done") if m.pk in yours_done else _("not done"),
            )
        )
    return rows


@changes_data
@login_required
@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def update_step(request, plan_slug, code):
    step, access = get_step_for_user(request, plan_slug, code)
    access.require("can_edit")
    milestones = _milestones(step)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET":
        form = StepUpdateForm(step=step, milestones=milestones, next_url=next_url)
        return _render_form(request, step, form, next_url)
    form = StepUpdateForm(request.POST, request.FILES, step=step, milestones=milestones)
    if form.is_valid():
        try:
            update = editing.update_step(step, user=request.user, **form.edit())
        except StaleEdit:
            return _stale(request, step, form, next_url)
        except editing.NothingChanged:
            form.add_error(
                None,
                _(
                    "Nothing changed. Change the status, the progress or a milestone to record "
                    "an update."
                ),
            )
        else:
            return _saved(request, step, update, next_url)
    return _render_form(request, step, form, next_url, status=422)


def _opened_on_step_page(step, next_url):
    return bool(next_url) and next_url.split("#")[0] == step.get_absolute_url()


def _render_form(request, step, form, next_url, status=200, **extra):
    # A swapped-in form names itself: under the step page's h1 (h2) or a card's h2 (h3). The
    # full page has its own h1.
    heading_level = None
    if request.htmx:
        heading_level = 2 if _opened_on_step_page(step, next_url) else 3
    context = {
        "step": step,
        "plan": step.plan,
        "form": form,
        "next_url": next_url,
        "heading_level": heading_level,
        **extra,
    }
    template = FORM if request.htmx else "staff/step_update.html"
    return render(request, template, context, status=status)


def _stale(request, step, form, next_url):
    """409: nothing was saved. Show what is saved now beside the user's input, in a form that
    carries the current version, so that saving again applies the input over the new state."""
    seen_version = form.cleaned_data["version"]
    step.refresh_from_db(fields=["status", "progress", "version"])
    # Built again for the milestones as saved now, which the comparison shows.
    form = StepUpdateForm(request.POST, step=step, milestones=_milestones(step))
    carry_version(form, step.version)
    return _render_form(
        request,
        step,
        form,
        next_url,
        status=409,
        conflict=_conflict(step, form),
        entries_since=_new_entries(step, seen_version),
        files_dropped=bool(request.FILES),
    )


def _saved(request, step, update, next_url):
    messages.success(
        request,
        _("Saved. The public page of %(code)s shows the change.") % {"code": step.code},
    )
    if not request.htmx:
        return redirect(next_url or step.get_absolute_url())
    if _opened_on_step_page(step, next_url):
        # Reload the step page's main content, so that its summary, milestones and history all
        # show the new state, with the confirmation where the form was.
        response = HttpResponse()
        response["HX-Location"] = json.dumps(
            {
                "path": step.get_absolute_url(),
                "target": "#main-content",
                "select": "#main-content",
                "swap": "outerHTML",
            }
        )
        return response
    # On My steps: the step's card comes back whole, with its new state and history entry.
    row = dashboard_rows(dashboard_steps(ActionStep.objects.filter(pk=step.pk)))[0]
    response = render(
        request,
        "staff/_step_update.html#card",
        {
            "row": row,
            "saved": True,
            "entries": _new_entries(step, update.from_version),
            "next_url": next_url,
        },
    )
    response["HX-Retarget"] = f"#step-card-{step.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


# --- Evidence ----------------------------------------------------------------------------------


@require_safe
def evidence_file(request, pk):
    """An evidence file of a step update."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("update__step__plan").exclude(file=""), pk=pk
    )
    return _download(request, evidence, evidence.update.step)


@require_safe
def report_evidence_file(request, pk):
    """An evidence file of a period report."""
    evidence = get_object_or_404(
        ReportEvidence.objects.select_related("report__step__plan").exclude(file=""), pk=pk
    )
    return _download(request, evidence, evidence.report.step)


def _download(request, evidence, step):
    """An evidence file, always as a download: it is never rendered by the browser, whatever its
    content, so an uploaded file cannot run script in the portal's origin."""
    if not step_access(request.user, step).can_see:
        raise Http404("No such file.")
    return attachment(evidence.file, evidence.title, evidence.content_type)
