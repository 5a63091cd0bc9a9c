from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from core.content import columns
from monitoring.models import (
    Assessment,
    AssessmentEvidence,
    AssessmentRevision,
    ChecklistAnswer,
    CommitmentResult,
    MonitoringBody,
    MonitoringReport,
)


@admin.register(MonitoringBody)
class MonitoringBodyAdmin(TranslationAdmin):
    list_display = ["plan", "name", "contact_details", "selected_on"]
    list_select_related = ["plan"]


class EvidenceInline(admin.TabularInline):
    model = AssessmentEvidence
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


class RevisionInline(admin.TabularInline):
    """Revisions are the edit history: shown, never changed here."""

    model = AssessmentRevision
    extra = 0
    fields = ["version", "saved_at", "saved_by", "data"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only: an assessment is the monitoring body's own work, edited on the portal, where
    each save is versioned and recorded."""

    list_display = ["step", "status", "completion", "early_results", "version", "updated_at"]
    list_filter = ["status", "step__plan"]
    list_select_related = ["step"]
    search_fields = ["step__code", *(f"step__{column}" for column in columns("title"))]
    inlines = [EvidenceInline, RevisionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class ChecklistInline(TranslationStackedInline):
    model = ChecklistAnswer
    extra = 0


class ResultInline(TranslationStackedInline):
    model = CommitmentResult
    extra = 0
    autocomplete_fields = ["step"]


@admin.register(MonitoringReport)
class MonitoringReportAdmin(TranslationAdmin):
    list_display = ["title", "plan", "kind", "status", "published_on"]
    list_filter = ["kind", "status", "plan"]
    list_select_related = ["plan"]
    filter_horizontal = ["steps"]
    inlines = [ChecklistInline, ResultInline]
