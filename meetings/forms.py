"""Forms for meetings and annotations."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from core.content import BilingualFormMixin, columns, side_by_side
from core.forms import DateInput, GovukForm, ScrollingCheckboxes, TimeInput, VersionedModelForm
from core.markup import render_markdown

from .models import AgendaItem, Annotation, Attendee, Meeting, MeetingDocument, Participation


class MeetingForm(BilingualFormMixin, GovukForm, VersionedModelForm):
    required_in_one_language = ("title",)

    class Meta:
        model = Meeting
        fields = list(Meeting.EDITABLE_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "priorities": ScrollingCheckboxes(),
            "steps": ScrollingCheckboxes(),
            **{column: forms.Textarea(attrs={"rows": 4}) for column in columns("description")},
            **{column: forms.Textarea(attrs={"rows": 8}) for column in columns("outcomes")},
        }
        error_messages = {"start_date": {"required": _("Give the date of the meeting.")}}

    # The form's sections, in order; `is_public` comes last, by the save button.
    SECTIONS = (
        (_("The meeting"), (*columns("title"), "kind", "audience", *columns("description"))),
        (
            _("When"),
            (
                "start_date",
                "start_time",
                "end_date",
                "end_time",
                "date_precision",
                *columns("date_note"),
            ),
        ),
        (_("Where"), ("format", *columns("place"), "online_url")),
        (_("Organiser and what it concerns"), ("organiser", "priorities", "steps")),
        (_("Outcomes"), (*columns("outcomes"), "source_url")),
    )

    def sections(self):
        """(legend, rows of fields) for each section of the form."""
        return [
            (legend, side_by_side([self[name] for name in names]))
            for legend, names in self.SECTIONS
        ]

    def __init__(self, *args, plan, organisers, organiser_required, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["organiser"].queryset = organisers
        self.fields["organiser"].required = organiser_required
        self.fields["priorities"].queryset = plan.priorities.all()
        self.fields["steps"].queryset = plan.steps.all()
        self.fields["format"].choices = [("", _("Not recorded")), *Meeting.Format.choices]
        self.fields["audience"].choices = [("", _("Not recorded")), *Meeting.Audience.choices]


class PartForm(BilingualFormMixin, GovukForm, forms.ModelForm):
    """A row of a meeting's agenda, participation, attendees or documents."""

    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)


class BasePartFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, plan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "plan": self.plan}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")
        if index is not None and form.instance.pk is None and "order" in form.fields:
            form.fields["order"].initial = index + 1  # a new row goes after the existing ones


class AgendaItemForm(PartForm):
    required_in_one_language = ("title",)

    class Meta:
        model = AgendaItem
        fields = ["order", *columns("title"), "duration_minutes", "step"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = self.plan.steps.all()


class ParticipationForm(PartForm):
    class Meta:
        model = Participation
        fields = ["count", *columns("description"), "sector", "group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = self.plan.jurisdiction.stakeholder_groups.all()


class AttendeeForm(PartForm):
    class Meta:
        model = Attendee
        fields = ["name", "affiliation", "consents_to_be_named"]


class DocumentForm(PartForm):
    required_in_one_language = ("title",)

    class Meta:
        model = MeetingDocument
        fields = [*columns("title"), "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Files are added in the administration, which checks them; the form takes links.
        self.fields["url"].required = True


def _part_formset(model, form, extra):
    return inlineformset_factory(
        Meeting,
        model,
        form=form,
        formset=BasePartFormSet,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
        max_num=100,
        validate_max=True,
    )


# One formset per part of a meeting (Meeting.PARTS names them), in the order of the form.
PART_FORMSETS = {
    "agenda": _part_formset(AgendaItem, AgendaItemForm, 3),
    "participation": _part_formset(Participation, ParticipationForm, 2),
    "attendees": _part_formset(Attendee, AttendeeForm, 2),
    "documents": _part_formset(MeetingDocument, DocumentForm, 2),
}


def part_formsets(data, meeting, plan):
    """[(part name, heading, formset)]; the part name is also the formset's prefix."""
    return [
        (
            name,
            Meeting.PART_LABELS[name],
            formset_class(data, instance=meeting, prefix=name, plan=plan),
        )
        for name, formset_class in PART_FORMSETS.items()
    ]


class AnnotationForm(GovukForm, VersionedModelForm):
    class Meta:
        model = Annotation
        fields = ["agenda_item", "kind", "visibility", "text", "step", "owner", "due_date"]
        error_messages = {"text": {"required": _("Write the annotation.")}}
        widgets = {
            "kind": forms.RadioSelect(),
            "visibility": forms.RadioSelect(),
            "text": forms.Textarea(attrs={"rows": 5}),
            "due_date": DateInput(),
        }
        help_texts = {
            "owner": _(
                "Only for a follow-up. A board-only follow-up is not shown to the institution's "
                "staff, only to coordinators."
            ),
            "due_date": _("Only for a follow-up."),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        plan = meeting.plan
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["agenda_item"].empty_label = _("The meeting as a whole")
        self.fields["step"].queryset = plan.steps.all()
        self.fields["owner"].queryset = plan.jurisdiction.institutions.all()
        # A blank choice would be a third option nobody needs: one is always chosen.
        for name in ("kind", "visibility"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        visibility_to_be_chosen(self)

    def clean_text(self):
        return checked_annotation_text(self.cleaned_data["text"])


def visibility_to_be_chosen(form):
    """A new annotation has no visibility until its author picks one: a board member who forgets
    must not publish a confidential note (the model's default would have made it public)."""
    field = form.fields["visibility"]
    field.required = True
    field.error_messages["required"] = _(
        "Choose who can read the annotation: everyone, or the board only."
    )
    if form.instance.pk is None:
        form.initial.pop("visibility", None)
        field.initial = None
        if not isinstance(field.widget, forms.RadioSelect):  # the admin's select
            field.choices = [("", "---------"), *[c for c in field.choices if c[0]]]


def checked_annotation_text(text):
    """The text, unless nothing of it would be shown once sanitised (only a script, an image…)."""
    if text and not strip_tags(render_markdown(text)).replace("&nbsp;", "").strip():
        raise forms.ValidationError(
            _(
                "Nothing of this text would be shown: scripts, images and other markup are "
                "removed. Write the annotation as text."
            )
        )
    return text
