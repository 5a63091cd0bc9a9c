"""Administration of meetings and annotations.

Edits here go through the same service functions as the portal's forms, so they are versioned
and recorded in the history too. A meeting's parts are edited inline with their meeting; on their
own they are read-only lists, and revisions are never edited.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from actionplan.admin import ReadOnlyAdmin
from core.content import columns
from core.files import CheckedFileField

from . import services
from .forms import checked_annotation_text, visibility_to_be_chosen
from .models import (
    AgendaItem,
    Annotation,
    AnnotationRevision,
    Attendee,
    Meeting,
    MeetingDocument,
    MeetingRevision,
    Participation,
    ReasonedResponse,
)


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the edit started from, and refuses a save over someone else's."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            stored = (
                type(self.instance)
                .objects.values_list("version", flat=True)
                .get(pk=self.instance.pk)
            )
            if cleaned.get("expected_version") != stored:
                raise ValidationError(
                    _(
                        "Someone saved this after you opened it. Reload the page to see their "
                        "changes, then make yours again."
                    )
                )
        return cleaned


class MeetingAdminForm(VersionedAdminForm):
    class Meta:
        model = Meeting
        fields = "__all__"  # noqa: DJ007 - MeetingAdmin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Made from the date and title when left empty.")


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["step"]


class ParticipationInline(TranslationTabularInline):
    model = Participation
    extra = 0


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


class DocumentAdminForm(forms.ModelForm):
    """A document's file is checked as evidence is (core.files): by its content, under a name
    the server makes; its download name and type are kept with it."""

    file = CheckedFileField(label=_("file"), required=False)

    class Meta:
        model = MeetingDocument
        fields = "__all__"  # noqa: DJ007 - the inline chooses what is shown

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.file_name = upload.checked.title
            self.instance.content_type = upload.checked.content_type
        return cleaned


class DocumentInline(TranslationTabularInline):
    model = MeetingDocument
    form = DocumentAdminForm
    extra = 0
    readonly_fields = ["file_name", "content_type"]


@admin.register(Meeting)
class MeetingAdmin(TranslationAdmin):
    form = MeetingAdminForm
    list_display = ["title", "plan", "kind", "start_date", "audience", "is_public", "version"]
    list_filter = ["plan", "kind", "audience", "is_public", "format"]
    search_fields = columns("title", "description", "outcomes")
    date_hierarchy = "start_date"
    autocomplete_fields = ["organiser", "priorities", "steps"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [AgendaItemInline, ParticipationInline, AttendeeInline, DocumentInline]

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, which saves the meeting and its inlines as one edit."""

    def save_related(self, request, form, formsets, change):
        def apply(meeting):
            meeting.save()
            form.save_m2m()
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)

        services.save_meeting(
            form.instance,
            apply,
            actor=request.user,
            source="admin",
            expected_version=form.cleaned_data.get("expected_version") if change else None,
        )


class AnnotationAdminForm(VersionedAdminForm):
    class Meta:
        model = Annotation
        fields = [
            "meeting",
            "agenda_item",
            "kind",
            "visibility",
            "text",
            "step",
            "owner",
            "due_date",
            "done_at",
            "withdrawn_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visibility_to_be_chosen(self)

    def clean_text(self):
        return checked_annotation_text(self.cleaned_data["text"])


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    form = AnnotationAdminForm
    list_display = [
        "__str__",
        "meeting",
        "kind",
        "visibility",
        "author",
        "created_at",
        "withdrawn_at",
    ]
    list_filter = ["kind", "visibility", "meeting__plan"]
    search_fields = ["text"]
    list_select_related = ["meeting", "author"]
    autocomplete_fields = ["meeting", "step", "owner"]
    readonly_fields = ["author", "version", "created_at", "updated_at", "done_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            services.create_annotation(obj, author=request.user, source="admin")
            return
        values = {
            name: form.cleaned_data[name] for name in form.changed_data if name in form.Meta.fields
        }
        services.change_annotation(
            obj,
            actor=request.user,
            source="admin",
            expected_version=form.cleaned_data["expected_version"],
            **values,
        )


@admin.register(MeetingRevision)
class MeetingRevisionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "version", "created_at", "actor", "source"]
    list_filter = ["source"]
    list_select_related = ["meeting", "actor"]


@admin.register(AnnotationRevision)
class AnnotationRevisionAdmin(ReadOnlyAdmin):
    list_display = ["annotation", "version", "created_at", "actor", "source"]
    list_filter = ["source"]
    list_select_related = ["annotation", "actor"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "order", "duration_minutes", "step"]
    list_select_related = ["meeting", "step"]
    search_fields = ["title"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "count", "sector", "group", "description"]
    list_select_related = ["meeting", "group"]


@admin.register(Attendee)
class AttendeeAdmin(ReadOnlyAdmin):
    list_display = ["name", "meeting", "consents_to_be_named"]
    list_select_related = ["meeting"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(ReadOnlyAdmin):
    # The file by its download name: Django would link the stored file to MEDIA_URL, which
    # nothing serves; the meeting page links the download view.
    list_display = ["title", "meeting", "url", "file_name"]
    list_select_related = ["meeting"]
    exclude = ["file"]
    readonly_fields = ["file_name", "content_type"]


@admin.register(ReasonedResponse)
class ReasonedResponseAdmin(TranslationAdmin):
    list_display = ["received_on", "plan", "source_kind", "response", "is_published", "is_sample"]
    list_filter = ["plan", "source_kind", "response", "is_published", "is_sample"]
    search_fields = columns("text", "reason")
    list_select_related = ["plan"]
    readonly_fields = ["proposed_by", "published_at"]
