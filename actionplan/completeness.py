"""The plan's own kinds of content in the completeness table (core.content.completeness)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Milestone,
    Priority,
    StakeholderGroup,
)
from actionplan.models.roles import Role, has_plan_role
from actionplan.texts import MILESTONE_FIELDS, TEXT_FIELDS
from core.content import ContentKind, admin_url, register_content_kind, text_of


def texts_url(subject, user, anchor=""):
    """The text editor for a step or a priority, for the plan's coordinators."""
    if not has_plan_role(user, subject.plan_id, Role.COORDINATOR):
        return None
    kind = "priorities" if subject._meta.model_name == "priority" else "steps"
    url = reverse("staff:edit_texts", args=[subject.plan.slug, kind, subject.code])
    return url + anchor


def _named(obj):
    return f"{obj.code} {text_of(obj, 'title').text}"


def register():
    register_content_kind(
        ContentKind(
            _("Plan"),
            ("title", *ActionPlan.NARRATIVE_FIELDS),
            lambda plan: [plan],
            lambda plan: plan.code,
            admin_url,
            order=10,
        )
    )
    register_content_kind(
        ContentKind(
            _("Priorities"),
            TEXT_FIELDS[Priority],
            lambda plan: plan.priorities.select_related("plan"),
            _named,
            texts_url,
            order=20,
        )
    )
    register_content_kind(
        ContentKind(
            _("Action steps"),
            TEXT_FIELDS[ActionStep],
            lambda plan: plan.steps.select_related("plan"),
            _named,
            texts_url,
            order=30,
        )
    )
    register_content_kind(
        ContentKind(
            _("Milestones"),
            MILESTONE_FIELDS,
            lambda plan: Milestone.objects.filter(step__plan=plan).select_related("step__plan"),
            lambda m: f"{m.step.code} · {text_of(m, 'title').text}",
            lambda m, user: texts_url(m.step, user, f"#id_milestone_{m.pk}_title_sk"),
            order=40,
        )
    )
    register_content_kind(
        ContentKind(
            _("Institutions"),
            ("name",),
            lambda plan: Institution.objects.filter(step_roles__step__plan=plan).distinct(),
            lambda i: text_of(i, "name").text,
            admin_url,
            order=50,
        )
    )
    register_content_kind(
        ContentKind(
            _("Stakeholder groups"),
            ("name", "description"),
            lambda plan: StakeholderGroup.objects.filter(jurisdiction=plan.jurisdiction_id),
            lambda g: text_of(g, "name").text,
            admin_url,
            order=60,
        )
    )
