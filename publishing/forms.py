"""The options of a PDF document, read from the query string."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplan.models import LANGUAGE_CHOICES
from core.forms import DateInput, GovukForm


class PdfOptionsForm(GovukForm, forms.Form):
    """The options of a PDF: its language and the day the plan is shown as it stood."""

    lang = forms.ChoiceField(
        label=_("Language of the PDF"),
        choices=[("", _("The language of this page")), *LANGUAGE_CHOICES],
        required=False,
    )
    as_of = forms.DateField(
        label=_("Show the plan as it stood on"),
        required=False,
        help_text=_("Leave empty for today. For example 31. 12. 2025 or 2025-12-31."),
        input_formats=["%Y-%m-%d", "%d. %m. %Y", "%d.%m.%Y"],
        widget=DateInput(),
    )

    def __init__(self, data, *, earliest=None):
        super().__init__(data)
        self.earliest = earliest

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day is None:
            return None
        if day > timezone.localdate():
            raise ValidationError(_("Choose a day that is not in the future."))
        if self.earliest and day < self.earliest:
            raise ValidationError(
                _("The plan has no record before %(day)s."),
                params={"day": self.earliest.isoformat()},
            )
        if day == timezone.localdate():
            return None  # today's state is the current one
        return day

    def options(self, default_language):
        """(language, as_of date or None) from valid data."""
        return self.cleaned_data.get("lang") or default_language, self.cleaned_data.get("as_of")
