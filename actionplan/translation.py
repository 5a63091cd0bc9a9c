"""The plan's content in each site language (django-modeltranslation): every text a visitor reads
has a column per language, `title_sk` and `title_en`. Pages show them through core.content,
which says so when a text is shown in the other language because its own is missing."""

from modeltranslation.translator import TranslationOptions, register

from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Jurisdiction,
    Membership,
    Milestone,
    Priority,
    Stakeholder,
    StakeholderGroup,
)


@register(Jurisdiction)
class JurisdictionText(TranslationOptions):
    fields = ("name",)


@register(ActionPlan)
class ActionPlanText(TranslationOptions):
    fields = ("title", *ActionPlan.NARRATIVE_FIELDS)


@register(Priority)
class PriorityText(TranslationOptions):
    fields = ("title", "description")


@register(ActionStep)
class ActionStepText(TranslationOptions):
    fields = ("title", "problem", "description", "expected_result")


@register(Milestone)
class MilestoneText(TranslationOptions):
    fields = ("title",)


@register(Institution)
class InstitutionText(TranslationOptions):
    fields = ("name",)


@register(StakeholderGroup)
class StakeholderGroupText(TranslationOptions):
    fields = ("name", "description")


@register(Stakeholder)
class StakeholderText(TranslationOptions):
    fields = ("affiliation", "public_role")


@register(Membership)
class MembershipText(TranslationOptions):
    fields = ("role",)
