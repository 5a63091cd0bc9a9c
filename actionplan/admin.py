from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from actionplan.models import (
    ActionPlan,
    ActionStep,
    Evidence,
    Institution,
    Jurisdiction,
    Membership,
    Milestone,
    PeriodReport,
    Priority,
    ReportingPeriod,
    Stakeholder,
    StakeholderGroup,
    StepChange,
    StepInstitution,
    StepUpdate,
)
from core.content import columns


@admin.register(Jurisdiction)
class JurisdictionAdmin(TranslationAdmin):
    """Texts in every language, one field beside the other (django-modeltranslation)."""

    list_display = ["name", "country", "ogp_member_since"]
    search_fields = columns("name")


class PriorityInline(TranslationTabularInline):
    model = Priority
    extra = 0
    fields = ["order", "code", "title"]


class StepInline(TranslationTabularInline):
    model = ActionStep
    extra = 0
    fields = ["order", "code", "title", "priority", "status", "progress", "start_date", "end_date"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("priority")


@admin.register(ActionPlan)
class ActionPlanAdmin(TranslationAdmin):
    list_display = ["code", "title", "jurisdiction", "status", "period_start", "period_end"]
    list_filter = ["status", "jurisdiction"]
    search_fields = ["code", *columns("title")]
    list_select_related = ["jurisdiction"]
    prepopulated_fields = {"slug": ["code"]}
    inlines = [PriorityInline, StepInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "jurisdiction",
                    "slug",
                    "code",
                    "title",
                    "status",
                    "period_start",
                    "period_end",
                    "submitted_on",
                    "source_url",
                ]
            },
        ),
        (_("Narrative"), {"fields": list(ActionPlan.NARRATIVE_FIELDS)}),
        (_("Co-creation figures"), {"fields": ["declared_groups", "declared_public_meetings"]}),
    ]


@admin.register(Priority)
class PriorityAdmin(TranslationAdmin):
    list_display = ["code", "title", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["code", *columns("title")]
    list_select_related = ["plan"]


class MilestoneInline(TranslationTabularInline):
    model = Milestone
    extra = 0
    fields = ["order", "title", "due_date", "completed_on"]


class StepInstitutionInline(admin.TabularInline):
    model = StepInstitution
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(ActionStep)
class ActionStepAdmin(TranslationAdmin):
    list_display = ["code", "title", "plan", "priority", "status", "progress", "end_date", "origin"]
    list_filter = ["plan", "status", "origin", "is_sample", "priority"]
    search_fields = ["code", *columns("title", "description")]
    list_select_related = ["plan", "priority"]
    readonly_fields = ["version", "updated_at"]
    inlines = [StepInstitutionInline, MilestoneInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "priority":
            kwargs["queryset"] = Priority.objects.select_related("plan")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = obj.version if change else None
        super().save_model(request, obj, form, change)
        if change:
            # The triggers recorded what changed; say who did it and from where.
            obj.refresh_from_db(fields=["version"])
            if obj.version != before:
                StepUpdate.objects.create(
                    step=obj,
                    from_version=before,
                    to_version=obj.version,
                    actor=request.user,
                    source="admin",
                    note=_("Edited in the administration."),
                )


@admin.register(Institution)
class InstitutionAdmin(TranslationAdmin):
    list_display = ["name", "kind", "jurisdiction"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = [*columns("name"), "abbreviation"]
    list_select_related = ["jurisdiction"]


class MembershipInline(TranslationTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["stakeholder"]


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(TranslationAdmin):
    list_display = ["name", "sector", "plan", "jurisdiction"]
    list_filter = ["sector", "jurisdiction"]
    search_fields = columns("name")
    list_select_related = ["plan", "jurisdiction"]
    inlines = [MembershipInline]


@admin.register(Stakeholder)
class StakeholderAdmin(TranslationAdmin):
    list_display = ["name", "kind", "affiliation", "public_role", "sector"]
    list_filter = ["kind", "sector", "jurisdiction"]
    search_fields = ["name", *columns("affiliation", "public_role")]


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is append-only: the admin may read it, never change it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StepChange)
class StepChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "step", "version", "field", "old_value", "new_value"]
    list_filter = ["field"]
    search_fields = ["step__code"]
    list_select_related = ["step"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    fields = readonly_fields = ["title", "url", "download", "content_type", "size"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, evidence):
        """The download view, which checks access; Django would link MEDIA_URL, served by
        nothing."""
        if not evidence.file:
            return "–"
        url = reverse("staff:evidence", kwargs={"pk": evidence.pk})
        return format_html('<a href="{}">{}</a>', url, evidence.title or evidence.pk)


@admin.register(StepUpdate)
class StepUpdateAdmin(ReadOnlyAdmin):
    inlines = [EvidenceInline]
    list_display = [
        "created_at",
        "step",
        "from_version",
        "to_version",
        "source",
        "actor",
        "institution",
    ]
    list_filter = ["source"]
    search_fields = ["step__code", "note"]
    list_select_related = ["step", "actor", "institution"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "start", "end", "state"]
    list_filter = ["plan", "state"]
    list_select_related = ["plan"]
    readonly_fields = ["closed_at"]


@admin.register(PeriodReport)
class PeriodReportAdmin(ReadOnlyAdmin):
    """Reports are only ever added, through the portal's form or the plan file."""

    list_display = ["period", "step", "status", "progress", "is_correction", "created_at"]
    list_filter = ["period__plan", "is_correction", "status"]
    search_fields = ["step__code", "narrative"]
    list_select_related = ["period__plan", "step"]
