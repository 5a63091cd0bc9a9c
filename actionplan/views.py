"""The public pages of an action plan: no login, server-rendered, complete without JavaScript."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan import access, changelog, freshness, selectors, statistics
from actionplan.models import ActionStep, OgpValue
from core.content import text_of
from core.forms import FilterSelect, FlagCheckbox, GovukForm, search_field
from core.http import require_safe
from core.pagination import paginate
from core.search import sort_key

RECENT_CHANGES_ON_OVERVIEW = 12  # step versions; one update can make several
CITIES_PER_PAGE = 10  # on the home page, each with its plans: a phone's screen is narrow
NETWORK_ROWS_PER_PAGE = 50


class CitySearchForm(GovukForm, forms.Form):
    q = search_field(_("Name of a city or country, or the title or code of a plan"))


@require_safe
def home(request):
    form = CitySearchForm(request.GET)
    form.is_valid()  # the one field cannot be invalid but for its length, which is then ignored
    q = form.cleaned_data.get("q", "")
    pagination = paginate(request, selectors.home_cities(q), CITIES_PER_PAGE)
    return render(
        request,
        "actionplan/home.html",
        {
            "form": form,
            "q": q,
            "countries": selectors.home_plans(pagination.object_list),
            "pagination": pagination,
        },
    )


def _city_name(row):
    return sort_key(text_of(row.plan.jurisdiction, "name").text)


@dataclass(frozen=True)
class NetworkColumn:
    key: str
    label: str
    value: Callable  # PlanComparison -> what it is sorted by; None sorts last either way
    numeric: bool = False


NETWORK_COLUMNS = [
    NetworkColumn("city", _("City"), _city_name),
    NetworkColumn("country", _("Country"), lambda row: sort_key(row.plan.jurisdiction.country)),
    NetworkColumn("plan", _("Current plan"), lambda row: sort_key(text_of(row.plan, "title").text)),
    NetworkColumn("steps", _("Action steps"), lambda row: row.stats.total, numeric=True),
    NetworkColumn(
        "progress", _("Mean progress"), lambda row: row.stats.mean_progress, numeric=True
    ),
    NetworkColumn("overdue", _("Overdue steps"), lambda row: row.stats.overdue, numeric=True),
    NetworkColumn("updated", _("Last update"), lambda row: row.last_update, numeric=True),
]


def _sorted_rows(rows, sort):
    """Rows by the column `sort` names ("-" first: descending), then by city; unknown: by city."""
    columns = {column.key: column for column in NETWORK_COLUMNS}
    descending = sort.startswith("-")
    column = columns.get(sort.removeprefix("-"), columns["city"])
    # Each key once per row: the Slovak sort key of a name is not cheap.
    keyed = sorted(((_city_name(row), column.value(row), row) for row in rows), key=lambda k: k[0])
    known = [(value, row) for _name, value, row in keyed if value is not None]
    unknown = [row for _name, value, row in keyed if value is None]
    known.sort(key=lambda pair: pair[0], reverse=descending)
    return [row for _value, row in known] + unknown, column, descending


@require_safe
def network(request):
    plans, steps = selectors.network_plans()
    rows = statistics.compare_plans(plans, steps, timezone.localdate())
    rows, sorted_by, descending = _sorted_rows(rows, request.GET.get("sort", ""))
    headers = [
        {
            "column": column,
            # aria-sort names the order of the column the table is sorted by, and only that.
            "aria_sort": ("descending" if descending else "ascending")
            if column is sorted_by
            else "",
            # A click on the sorted column turns its order round; on another, sorts it ascending.
            "sort": f"-{column.key}" if column is sorted_by and not descending else column.key,
        }
        for column in NETWORK_COLUMNS
    ]
    return render(
        request,
        "actionplan/network.html",
        {
            "headers": headers,
            "pagination": paginate(request, rows, NETWORK_ROWS_PER_PAGE),
            "city_count": len(rows),
        },
    )


@require_safe
def plan(request, plan_slug):
    plan = selectors.get_public_plan(plan_slug)
    priorities = selectors.plan_priorities(plan)
    steps = selectors.plan_steps(plan)
    today = timezone.localdate()
    stats, priority_stats = statistics.plan_statistics(priorities, steps, today)
    narrative = [
        section
        for section in plan.narrative_sections()
        if section[0] not in selectors.COCREATION_FIELDS
    ]
    return render(
        request,
        "actionplan/plan.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "narrative": narrative,
            "steps": steps,
            "stats": stats,
            "priority_stats": priority_stats,
            "has_sample_values": any(step.is_sample for step in steps),
            "last_update": freshness.plan_last_update(steps),
            "stale_count": sum(1 for step in steps if freshness.is_stale(step)),
            "stale_after_days": freshness.stale_after().days,
            "replanning": selectors.replanning(steps),
            "recent_changes": changelog.merge_by_update(
                changelog.recent_changes(plan, RECENT_CHANGES_ON_OVERVIEW)
            ),
            "today": today,
        },
    )


@require_safe
def priority(request, plan_slug, code):
    plan = selectors.get_public_plan(plan_slug)
    priority = selectors.get_priority(plan, code)
    steps = list(
        selectors.with_step_figures(
            selectors.steps_with_institutions(plan.steps.filter(priority=priority))
        )
    )
    today = timezone.localdate()
    return render(
        request,
        "actionplan/priority.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "priority": priority,
            "steps": steps,
            "stats": statistics.step_statistics(steps, today),
            "today": today,
            **selectors.text_history(request.user, priority),
        },
    )


@require_safe
def step(request, plan_slug, code):
    plan = selectors.get_public_plan(plan_slug)
    step = selectors.get_step(plan, code)
    show_people = access.is_team_member(request.user)
    return render(
        request,
        "actionplan/step.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "step": step,
            "history": changelog.step_history(step, with_people=show_people),
            "show_people": show_people,
            "today": timezone.localdate(),
            **selectors.text_history(request.user, step),
        },
    )


class StepFilterForm(GovukForm, forms.Form):
    """The steps page's filters, read from GET so that a filtered view can be bookmarked."""

    q = search_field(_("Code, title, description or problem"))
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        widget=FilterSelect,
        error_messages={"invalid_choice": _("This plan has no priority “%(value)s”.")},
    )
    institution = forms.ChoiceField(
        label=_("Institution"),
        required=False,
        widget=FilterSelect,
        error_messages={"invalid_choice": _("No institution “%(value)s” takes part in this plan.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ActionStep.Status.choices],
        widget=FilterSelect,
        error_messages={"invalid_choice": _("“%(value)s” is not a status of an action step.")},
    )
    value = forms.ChoiceField(
        label=_("OGP value"),
        required=False,
        choices=[("", _("Any OGP value")), *OgpValue.choices],
        widget=FilterSelect,
        error_messages={"invalid_choice": _("“%(value)s” is not an OGP value.")},
    )
    overdue = forms.ChoiceField(
        label=_("Only overdue steps"),
        required=False,
        choices=[("", _("All steps")), ("1", _("Only overdue steps"))],
        widget=FlagCheckbox,
        error_messages={"invalid_choice": _("To show only overdue steps, use overdue=1.")},
    )

    def __init__(self, data, *, priorities, institutions):
        super().__init__(data)
        self.fields["priority"].choices = [("", _("Any priority"))] + [
            (p.code, f"{p.code} {p.title}") for p in priorities
        ]
        self.fields["institution"].choices = [("", _("Any institution"))] + [
            (i.slug, i.name) for i in institutions
        ]

    def active_filters(self):
        """(field label, chosen value) for each filter applied, to say what is shown."""
        applied = []
        for name, value in self.cleaned_data.items():
            if value:
                choices = dict(getattr(self.fields[name], "choices", ()))
                applied.append((self.fields[name].label, choices.get(value, value)))
        return applied


@require_safe
def steps(request, plan_slug):
    plan = selectors.get_public_plan(plan_slug)
    form = StepFilterForm(
        request.GET,
        priorities=selectors.plan_priorities(plan),
        institutions=selectors.plan_institutions(plan),
    )
    # An invalid value is reported beside its control; the valid filters still apply.
    form.is_valid()
    today = timezone.localdate()
    steps = selectors.filter_steps(
        selectors.steps_with_institutions(plan.steps.all()), today=today, **form.cleaned_data
    )
    return render(
        request,
        "actionplan/steps.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "form": form,
            "steps": list(steps),
            "filtered": any(request.GET.values()),
            "today": today,
        },
        status=400 if form.errors else 200,
    )


@require_safe
def cocreation(request, plan_slug):
    plan = selectors.get_public_plan(plan_slug)
    sections = [
        section
        for section in plan.narrative_sections()
        if section[0] in selectors.COCREATION_FIELDS
    ]
    return render(
        request,
        "actionplan/cocreation.html",
        {
            "plan": plan,
            "jurisdiction": plan.jurisdiction,
            "sections": sections,
            "groups": selectors.plan_stakeholder_groups(plan),
        },
    )


@require_safe
def institutions(request, jurisdiction_slug):
    jurisdiction = selectors.get_jurisdiction(jurisdiction_slug)
    return render(
        request,
        "actionplan/institutions.html",
        {
            "jurisdiction": jurisdiction,
            "plan": selectors.current_plan(jurisdiction),
            "institutions": selectors.jurisdiction_institutions(jurisdiction),
        },
    )


@require_safe
def institution(request, jurisdiction_slug, slug):
    jurisdiction = selectors.get_jurisdiction(jurisdiction_slug)
    institution = selectors.get_institution(jurisdiction, slug)
    roles = selectors.institution_roles(institution)
    return render(
        request,
        "actionplan/institution.html",
        {
            "jurisdiction": jurisdiction,
            "plan": selectors.current_plan(jurisdiction),
            "institution": institution,
            "lead_steps": [r.step for r in roles if r.role == r.Role.LEAD],
            "supporting_steps": [r.step for r in roles if r.role == r.Role.SUPPORTING],
            "today": timezone.localdate(),
        },
    )


@require_safe
def stakeholders(request, jurisdiction_slug):
    jurisdiction = selectors.get_jurisdiction(jurisdiction_slug)
    return render(
        request,
        "actionplan/stakeholders.html",
        {
            "jurisdiction": jurisdiction,
            "plan": selectors.current_plan(jurisdiction),
            "groups": selectors.jurisdiction_stakeholder_groups(jurisdiction),
        },
    )
