"""Forms of the monitoring body: assessments, reports and the body's public details."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms import formsets
from django.utils.translation import gettext_lazy as _

from actionplan.models import OgpValue
from core.content import BilingualFormMixin, columns, side_by_side
from core.files import EvidenceFilesField
from core.forms import DateInput, GovukForm, VersionedModelForm
from core.languages import language_codes, language_name
from monitoring.models import (
    Assessment,
    ChecklistAnswer,
    CommitmentResult,
    MonitoringBody,
    MonitoringReport,
    Publication,
    explanation_field,
    relevance_field,
)

# The values match str(True) and str(False), so that a saved answer shows as checked.
YES_NO = [("True", _("Yes")), ("False", _("No"))]


def yes_no_field(label, blank_label):
    """Yes / No / not answered, as radios; a blank answer is stored as NULL."""
    return forms.TypedChoiceField(
        label=label,
        choices=[*YES_NO, ("", blank_label)],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def blank_choice_label(field, label):
    """Radios for a model choice field, the blank choice worded as "not assessed yet"."""
    field.widget = forms.RadioSelect()
    field.choices = [(value, text) for value, text in field.choices if value] + [("", label)]


class AssessmentForm(BilingualFormMixin, GovukForm, VersionedModelForm):
    evidence_upload = EvidenceFilesField(
        label=_("Add evidence files"),
        required=False,
        help_text=_("PDF, images or office documents, up to 10 MB each."),
    )
    remove_evidence = forms.ModelMultipleChoiceField(
        label=_("Remove evidence files"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Assessment
        fields = list(Assessment.ASSESSED_FIELDS)
        widgets = {
            **{column: forms.Textarea(attrs={"rows": 8}) for column in columns("narrative")},
            "evidence_links": forms.Textarea(attrs={"rows": 3}),
            **{
                column: forms.Textarea(attrs={"rows": 2})
                for value in OgpValue.values
                for column in columns(explanation_field(value))
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("verifiability", "potential_for_results", "completion", "early_results"):
            blank_choice_label(self.fields[name], _("Not assessed yet"))
        for value in OgpValue:
            self.fields[relevance_field(value.value)] = yes_no_field(
                value.label, _("Not assessed yet")
            )
            for code in language_codes():
                self.fields[f"{explanation_field(value.value)}_{code}"].label = _(
                    "Explanation (%(language)s)"
                ) % {"language": language_name(code).lower()}
        self.fields["status"].widget = forms.RadioSelect(
            choices=[
                (Publication.DRAFT, _("Draft: only the monitoring body sees it")),
                (Publication.PUBLISHED, _("Published: on the step page, in reports and exports")),
            ]
        )
        self.fields["status"].label = _("Publication")
        if self.instance.pk and self.instance.evidence_files.exists():
            self.fields["remove_evidence"].queryset = self.instance.evidence_files.all()
        else:
            del self.fields["remove_evidence"]

    def clean_evidence_links(self):
        validate = URLValidator(schemes=["http", "https"])
        lines = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]
        links = [line for line in lines if line]
        for link in links:
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address starting with http:// or https://."),
                    params={"link": link[:80]},
                ) from None
        return "\n".join(links)

    def relevance_rows(self):
        """(yes/no field, its explanation's row of languages) for each OGP value."""
        return [
            (self[relevance_field(v)], side_by_side(self.text_fields(explanation_field(v))))
            for v in OgpValue.values
        ]

    def narrative_rows(self):
        return side_by_side(self.text_fields("narrative"))


class BodyForm(BilingualFormMixin, GovukForm, forms.ModelForm):
    class Meta:
        model = MonitoringBody
        fields = [
            *columns("name", "description"),
            "contact_details",
            "email",
            "website",
            "selected_on",
        ]
        widgets = {
            **{column: forms.Textarea(attrs={"rows": 4}) for column in columns("description")},
            "contact_details": forms.Textarea(attrs={"rows": 3}),
            "selected_on": DateInput(),
        }


class ReportForm(BilingualFormMixin, GovukForm, VersionedModelForm):
    required_in_one_language = ("title",)

    class Meta:
        model = MonitoringReport
        fields = [
            "kind",
            *columns("title"),
            "authors",
            "period_start",
            "period_end",
            "published_on",
            "steps",
            *columns("summary", *MonitoringReport.LEARNING_SECTIONS),
            "source_url",
            "status",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "steps": forms.CheckboxSelectMultiple,
            "period_start": DateInput(),
            "period_end": DateInput(),
            "published_on": DateInput(),
            **{column: forms.Textarea(attrs={"rows": 6}) for column in columns("summary")},
            **{
                column: forms.Textarea(attrs={"rows": 5})
                for column in columns(*MonitoringReport.LEARNING_SECTIONS)
            },
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].queryset = plan.steps.all()
        self.fields["steps"].label_from_instance = lambda step: f"{step.code} {step.title}"
        self.fields["status"].widget = forms.RadioSelect(choices=Publication.choices)
        if self.instance.pk:
            # The kind decides the report's sections; changing it would orphan their answers.
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = MonitoringReport.Kind.choices  # no blank radio
        kind = self.instance.kind if self.instance.pk else None
        if kind != MonitoringReport.Kind.FINAL_LEARNING:
            for name in columns(*MonitoringReport.LEARNING_SECTIONS):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class ChecklistAnswerForm(BilingualFormMixin, GovukForm, forms.ModelForm):
    answer = yes_no_field(_("Answer"), _("Not answered yet"))

    def explanation_rows(self):
        return side_by_side(self.text_fields("explanation"))

    class Meta:
        model = ChecklistAnswer
        fields = ["answer", *columns("explanation"), "evidence"]
        widgets = {
            **{column: forms.Textarea(attrs={"rows": 3}) for column in columns("explanation")},
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }


class CommitmentResultForm(BilingualFormMixin, GovukForm, forms.ModelForm):
    class Meta:
        model = CommitmentResult
        fields = ["completion", *[f"result_{v}" for v in OgpValue.values], *columns("explanation")]
        widgets = {column: forms.Textarea(attrs={"rows": 3}) for column in columns("explanation")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank_choice_label(self.fields["completion"], _("Not assessed yet"))
        for value in OgpValue.values:
            field = self.fields[f"result_{value}"]
            field.choices = [("", _("Not applicable"))] + [c for c in field.choices if c[0]]


class ReportRowsFormSet(forms.BaseModelFormSet):
    """A report's answers: one form for each row the report has, and no others. The rows are made
    by services.sync_report_rows, never by this form (edit_only)."""

    def management_is_intact(self):
        """Whether the management form came back as the page sent it: present, numbers, and as
        many forms as the report has rows. Anything else was changed on the way (a tampered
        request, a broken proxy), and reading the forms it announces could fail."""
        if not self.is_bound:
            return True
        management = self.management_form
        if not management.is_valid():
            return False
        total = management.cleaned_data[formsets.TOTAL_FORM_COUNT]
        initial = management.cleaned_data[formsets.INITIAL_FORM_COUNT]
        return total == initial == len(self.get_queryset())


def _report_rows_formset(model, form):
    return forms.modelformset_factory(
        model,
        form=form,
        formset=ReportRowsFormSet,
        extra=0,
        can_delete=False,
        edit_only=True,
    )


ChecklistFormSet = _report_rows_formset(ChecklistAnswer, ChecklistAnswerForm)
ResultFormSet = _report_rows_formset(CommitmentResult, CommitmentResultForm)
