"""The public pages of an action plan: no login, server-rendered, complete without JavaScript."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan import access, changelog, selectors, statistics
from actionplan.models import ActionStep, OgpValue
from core.forms import FilterSelect, FlagCheckbox, GovukForm, search_field
from core.http import require_safe

RECENT_CHANGES_ON_OVERVIEW = 12  # step versions; one update can make several


@require_safe
def home(request):
    return render(request, "actionplan/home.html", {"jurisdictions": selectors.home_plans()})


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
