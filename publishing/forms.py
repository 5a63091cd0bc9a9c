"""The options of a PDF document, read from the query string."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from actionplan.models import LANGUAGE_CHOICES
from core.forms import DayField, GovukForm


class PdfOptionsForm(GovukForm, forms.Form):
    """The options of a PDF: its language and the day the plan is shown as it stood."""

    lang = forms.ChoiceField(
        label=_("Language of the PDF"),
        choices=[("", _("The language of this page")), *LANGUAGE_CHOICES],
        required=False,
    )
    as_of = DayField(
        label=_("Show the plan as it stood on"),
        required=False,
        help_text=_(
            "Leave empty for today. For example 31. 12. 2025 or 2025-12-31. Without signing in: "
            "the last day of a month, or a day a monitoring report was published."
        ),
    )

    def __init__(self, data, *, earliest=None, any_day=True, report_dates=tuple):
        """`any_day`: whether the reader may choose any past day (the portal's team); otherwise
        only the ends of months and the days of `report_dates()`, the published monitoring
        reports, each of which means something and may be rendered once for everyone."""
        super().__init__(data)
        self.earliest = earliest
        self.any_day = any_day
        self.report_dates = report_dates

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
        if not self.any_day and not is_month_end(day):
            dates = self.report_dates()
            if day not in dates:
                raise ValidationError(self.days_available(dates))
        return day

    @staticmethod
    def days_available(dates):
        dates = sorted(dates)
        if dates:
            return _(
                "Without signing in, choose the last day of a month or a day a monitoring report "
                "was published (%(dates)s). Other days are for the portal's team, signed in."
            ) % {"dates": ", ".join(date_format(d, "SHORT_DATE_FORMAT") for d in dates)}
        return _(
            "Without signing in, choose the last day of a month. Other days are for the "
            "portal's team, signed in."
        )

    def options(self, default_language):
        """(language, as_of date or None) from valid data."""
        return self.cleaned_data.get("lang") or default_language, self.cleaned_data.get("as_of")


def is_month_end(day):
    return (day + datetime.timedelta(days=1)).day == 1
