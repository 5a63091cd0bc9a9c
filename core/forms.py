"""What every form of the portal shares: the design system's classes on its widgets, the error
summary's links, and the version an edit started from.

Templates render a field with templates/forms/_field.html and the errors with the error_summary
tag (core/templatetags/govuk_forms.py). Django itself ties the hint (<auto_id>_helptext) and the
message (<auto_id>_error) to each control with aria-describedby and sets aria-invalid; the field
template gives those elements their ids.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The design system's class for each widget, by Django's widget_type (the widget's class name,
# lower case, without "Widget" or "Input"). A class given in the widget's attrs is kept.
WIDGET_CLASSES = {
    "text": "govuk-input",
    "search": "govuk-input",
    "email": "govuk-input",
    "url": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input govuk-input--width-4",
    "date": "govuk-input govuk-input--width-10",
    "time": "govuk-input govuk-input--width-5",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "multiplefile": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "flagcheckbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "scrollingcheckboxes": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
}
# A control with an error gets its base class's error variant as well.
ERROR_VARIANTS = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class DateInput(forms.DateInput):
    """The browser's date control. Its value is always ISO 8601, whatever the language: a
    Slovak "01.03.2025" would leave the control empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DayField(forms.DateField):
    """A day typed as the browser's date control sends it (ISO 8601) or as a Slovak reader
    writes it without one ("31. 3. 2026"), shown in the date control."""

    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d. %m. %Y", "%d.%m.%Y"])
        super().__init__(**kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class SearchInput(forms.TextInput):
    input_type = "search"


def search_field(help_text):
    """The free-text search of a panel of filters; `help_text` says what it searches."""
    return forms.CharField(
        label=_("Search"),
        help_text=help_text,
        required=False,
        max_length=200,
        strip=True,
        widget=SearchInput,
    )


class FilterSelect(forms.Select):
    """A select in a panel of filters (app-filters), as wide as the panel."""

    def __init__(self, attrs=None):
        super().__init__({"class": "govuk-select app-filters__select", **(attrs or {})})


class ScrollingCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a long list (a plan's steps): the field template puts them in a box that
    scrolls instead of filling several screens."""


class FlagCheckbox(forms.CheckboxInput):
    """One checkbox for a choice that is "1" or nothing, such as a filter in a bookmarkable
    address (?overdue=1). Its field stays a ChoiceField, so that a hand-edited value
    ("overdue=yes") is explained instead of being taken for yes."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: value == "1")

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")

    def format_value(self, value):
        return "1"  # what a ticked box sends, whatever the address said


def _within_range(field):
    """`field.clean`, with an id beyond what the database can store (a hand-made request:
    ?steps=-99999999999999999999) answered as an unknown choice. SQLite raises OverflowError
    for it where Django's choice fields expect only ValueError and TypeError."""
    clean = field.clean

    def within_range(value):
        try:
            return clean(value)
        except OverflowError:
            raise ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "…"},
            ) from None

    return within_range


class GovukForm:
    """Mix into every form: the design system's class on each widget, its error variant on the
    controls that have errors, and the errors for the summary at the top of the page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.clean = _within_range(field)

    def __getitem__(self, name):
        # At a field's first use rather than in __init__: a widget a subclass or a formset sets
        # after __init__ (radios for a choice, a formset's "remove" box) gets its class too.
        bound = super().__getitem__(name)
        css = WIDGET_CLASSES.get(bound.widget_type)
        if css:
            bound.field.widget.attrs.setdefault("class", css)
        return bound

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self[name].field.widget.attrs
            css = attrs.get("class", "")
            variant = ERROR_VARIANTS.get(css.split(" ")[0])
            if variant and variant not in css:
                attrs["class"] = f"{css} {variant}"

    def summary_errors(self):
        """(anchor id, message) for the error summary, in page order, so that each message
        links to its control: the first option of a group of radios or checkboxes, nothing for
        a hidden field or an error of the whole form."""
        for message in self.non_field_errors():
            yield "", message
        for bound in self:
            anchor = ""
            if not bound.is_hidden:
                anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.id_for_label
            for message in bound.errors:
                yield anchor, message


def summary_errors(*forms_and_formsets):
    """Every error of the forms and formsets given, in page order, for the error summary.
    None stands for a form the page does not have."""
    items = []
    for item in forms_and_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            items.extend(("", error) for error in item.non_form_errors())
            for form in item.forms:
                items.extend(form.summary_errors())
        else:
            items.extend(item.summary_errors())
    return items


class VersionField(forms.IntegerField):
    """The version of the object a form was opened on, for optimistic concurrency (see
    core.editing): a hidden `version` field, so that the form checks it with the rest of the
    input and a form shown again carries it on. Empty means 0, the version of an object not
    saved yet."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        # At most the largest version a PositiveIntegerField holds in every database.
        super().__init__(min_value=0, max_value=2**31 - 1, required=False, **kwargs)

    def to_python(self, value):
        version = super().to_python(value)
        return 0 if version is None else version


class VersionedModelForm(forms.ModelForm):
    """A model form for an object edited with optimistic concurrency."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0


class VersionForm(forms.Form):
    """Only the version: for a button that changes an object without other input (withdrawing
    an annotation, marking a follow-up done)."""

    version = VersionField()


def carry_version(form, version):
    """After a stale save (409): the form keeps the user's input but now carries the version
    saved meanwhile, so that saving again applies the input over it."""
    data = form.data.copy()
    data[form.add_prefix("version")] = version
    form.data = data
