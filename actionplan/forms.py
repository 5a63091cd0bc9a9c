"""The step update form: what a member of staff reports, checked before anything is saved."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionStep, Challenge, ReportingPeriod
from actionplan.texts import MILESTONE_FIELDS, TEXT_FIELDS
from core.content import column_label, columns, side_by_side
from core.files import MAX_FILES, EvidenceFilesField
from core.forms import DateInput, DayField, GovukForm, VersionField
from core.models import Provenance

MAX_LINKS = 10
LINK_MAX_LENGTH = 500  # Evidence.url
NOTE_MAX_LENGTH = 2000
# Something that looks like an HTML tag or comment; a lone "<" as in "progress < 50 %" is fine.
HTML_TAG = re.compile(r"<\s*/?\s*[a-z!?][^>]*>", re.IGNORECASE)


def _plain_text(value):
    if HTML_TAG.search(value):
        raise ValidationError(
            _("Write the note as plain text, without HTML tags such as <script> or <b>.")
        )
    return value


def clean_links(text):
    """The evidence links of a form: one web address per line, at most MAX_LINKS."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationError(_("Give at most %(count)d links."), params={"count": MAX_LINKS})
    check = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            check(line)
        except ValidationError:
            raise ValidationError(
                _("“%(link)s” is not a web address starting with https:// or http://."),
                params={"link": line[:80]},
            ) from None
        if len(line) > LINK_MAX_LENGTH:
            raise ValidationError(
                _("A link can be at most %(limit)d characters long."),
                params={"limit": LINK_MAX_LENGTH},
            )
    return lines


class EvidenceFields(forms.Form):
    """Links and files of evidence, checked the same way on every form that takes them."""

    links = forms.CharField(
        label=_("Links to evidence (optional)"),
        help_text=_("One web address per line, starting with https://"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = EvidenceFilesField(label=_("Files (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "PDF, images or office documents; up to %(count)d files of at most %(limit)d MB each."
        ) % {"count": MAX_FILES, "limit": settings.EVIDENCE_MAX_BYTES // 2**20}

    def clean_links(self):
        return clean_links(self.cleaned_data["links"])


def progress_field():
    """A step's progress, as the update form and the period report ask for it."""
    return forms.IntegerField(
        label=_("Progress (%)"),
        help_text=_("A whole number from 0 to 100."),
        min_value=0,
        max_value=100,
        # Text with a numeric keyboard rather than type=number, as GOV.UK advises: browsers
        # differ in what number inputs accept and announce, and a scroll wheel changes them.
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-3",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": _("Enter the progress, a whole number from 0 to 100."),
            "invalid": _("Enter the progress as a whole number from 0 to 100, without “%”."),
            "min_value": _("Progress cannot be less than 0."),
            "max_value": _("Progress cannot be more than 100."),
        },
    )


class StepUpdateForm(GovukForm, EvidenceFields):
    """Status, progress and milestones of one step, a note saying what happened, and evidence.

    Built for the step as the user saw it; `version` travels with the form so that a save made
    by someone else in the meantime is detected (see actionplan.editing).
    """

    version = VersionField()
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStep.Status.choices,
        error_messages={"invalid_choice": _("Choose one of the listed statuses.")},
    )
    progress = progress_field()
    start_date = DayField(
        label=_("Start date"),
        required=False,
        help_text=_("For example 2026-03-31 or 31. 3. 2026."),
    )
    end_date = DayField(
        label=_("End date"),
        required=False,
        help_text=_("Moving a date is published beside the dates the plan was adopted with."),
    )
    date_reason = forms.CharField(
        label=_("Why the dates move (needed when they do)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[_plain_text],
    )
    note = forms.CharField(
        label=_("What happened"),
        help_text=_("Published with the change. Plain text; name no private persons."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[_plain_text],
        error_messages={"required": _("Say in a sentence what happened.")},
    )

    def __init__(self, data=None, files=None, *, step, milestones, next_url=None):
        initial = {
            "version": step.version,
            "status": step.status,
            "progress": step.progress,
            "start_date": step.start_date,
            "end_date": step.end_date,
            "next": next_url,
        }
        initial.update({f"milestone_{m.pk}": m.is_done for m in milestones})
        super().__init__(data, files, initial=initial)
        self.step = step
        self.milestones = milestones
        for milestone in milestones:
            self.fields[f"milestone_{milestone.pk}"] = forms.BooleanField(
                label=milestone.title,
                required=False,
            )

    def milestone_fields(self):
        return [(m, self[f"milestone_{m.pk}"]) for m in self.milestones]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == ActionStep.Status.COMPLETED
            and cleaned.get("progress") is not None
            and cleaned["progress"] != 100
        ):
            self.add_error(
                "progress",
                _("A completed step has progress 100. Set 100 or choose another status."),
            )
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if self.dates_move() and not cleaned.get("date_reason", "").strip():
            self.add_error(
                "date_reason",
                _("Say why the dates move: the reason is published with the new dates."),
            )
        return cleaned

    def dates_move(self):
        cleaned = self.cleaned_data
        return any(
            # A form posted without the date fields leaves the dates alone.
            name in self.data and name in cleaned and cleaned[name] != getattr(self.step, name)
            for name in ("start_date", "end_date")
        )

    def edit(self):
        """The cleaned values as the keyword arguments of editing.update_step."""
        data = self.cleaned_data
        return {
            "version": data["version"],
            "status": data["status"],
            "progress": data["progress"],
            "completed_milestones": {
                m.pk for m in self.milestones if data.get(f"milestone_{m.pk}")
            },
            "note": data["note"],
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "date_reason": data.get("date_reason", "").strip() if self.dates_move() else "",
            "links": data["links"],
            "files": data["files"],
        }


class TextsForm(GovukForm, forms.Form):
    """A step's or a priority's texts, each language beside the other, with where each text comes
    from (the city's wording or a translation); a step's milestone titles come with it.

    Fields are named after the columns ("title_sk"); a milestone's are prefixed
    ("milestone_12_title_sk") and each text has a "provenance_…" choice under it.
    """

    version = VersionField()

    def __init__(self, data=None, *, subject, version):
        super().__init__(data)
        self.subject = subject
        self.fields["version"].initial = version
        milestones = list(subject.milestones.all()) if isinstance(subject, ActionStep) else []
        self.targets = [("", subject, TEXT_FIELDS[type(subject)])] + [
            (f"milestone_{m.pk}_", m, MILESTONE_FIELDS) for m in milestones
        ]
        for prefix, obj, fields in self.targets:
            for field in fields:
                self._add_text_fields(prefix, obj, field)

    def _add_text_fields(self, prefix, obj, field):
        model = type(obj)
        labels = {}
        for column in columns(field):
            label = column_label(model, column)
            if prefix:  # a milestone's fields say which milestone they belong to
                label = format_lazy("{} {}: {}", _("Milestone"), obj.order, label)
            labels[column] = label
            text = model._meta.get_field(column).formfield(required=False, label=label)
            text.initial = getattr(obj, column) or ""
            text.widget.attrs["lang"] = column.rpartition("_")[2]
            self.fields[prefix + column] = text
        for column in columns(field):
            self.fields[f"provenance_{prefix}{column}"] = forms.ChoiceField(
                label=format_lazy("{} – {}", _("Wording"), labels[column]),
                choices=Provenance.choices,
                initial=obj.provenance_of(*column.rsplit("_", 1)),
            )

    def rows(self):
        return side_by_side(self.visible_fields())

    def clean(self):
        cleaned = super().clean()
        for prefix, obj, _fields in self.targets:
            if "title" in obj.required_texts and not any(
                cleaned.get(prefix + column) for column in columns("title")
            ):
                self.add_error(
                    prefix + columns("title")[0], _("Give the title in at least one language.")
                )
        return cleaned

    def apply(self):
        """Write the texts and their provenance to the subject and its milestones."""
        for prefix, obj, fields in self.targets:
            provenance = dict(obj.provenance)
            for column in columns(*fields):
                setattr(obj, column, self.cleaned_data[prefix + column])
                chosen = self.cleaned_data[f"provenance_{prefix}{column}"]
                if chosen == Provenance.OFFICIAL:
                    provenance.pop(column, None)  # official is what an unnamed text is
                else:
                    provenance[column] = chosen
            obj.provenance = provenance
            obj.save(update_fields=[*columns(*fields), "provenance"])


class PeriodReportForm(GovukForm, EvidenceFields):
    """A step's report for a reporting period: where it stands at the period's end, what
    happened, what held it back, and evidence."""

    status = forms.ChoiceField(
        label=_("Status at the end of the period"),
        choices=[c for c in ActionStep.Status.choices if c[0] != ActionStep.Status.NOT_REPORTED],
        error_messages={"invalid_choice": _("Choose one of the listed statuses.")},
    )
    progress = progress_field()
    behind_schedule = forms.BooleanField(
        label=_("The step is behind schedule"),
        required=False,
    )
    challenges = forms.MultipleChoiceField(
        label=_("Challenges"),
        help_text=_("Needed when the step has not started, is on hold or is behind schedule."),
        choices=Challenge.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    narrative = forms.CharField(
        label=_("What happened in the period"),
        help_text=_("Published with the report. Plain text; name no private persons."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[_plain_text],
        error_messages={"required": _("Say in a few sentences what happened in the period.")},
    )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == ActionStep.Status.COMPLETED and cleaned.get("progress") not in (None, 100):
            self.add_error("progress", _("A completed step has progress 100."))
        needs = cleaned.get("behind_schedule") or status in (
            ActionStep.Status.NOT_STARTED,
            ActionStep.Status.ON_HOLD,
        )
        if status and needs and not cleaned.get("challenges"):
            self.add_error(
                "challenges",
                _("Choose at least one challenge: the step has not started, is on hold or late."),
            )
        return cleaned


class PeriodForm(GovukForm, forms.ModelForm):
    """The coordinator sets a period's dates and its state."""

    class Meta:
        model = ReportingPeriod
        fields = ["start", "end", "state"]
        widgets = {"start": DateInput(), "end": DateInput(), "state": forms.RadioSelect}
