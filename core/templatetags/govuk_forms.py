"""The error summary at the top of a form, for every form page: `{% error_summary form %}`."""

from django import template

from core.forms import summary_errors

register = template.Library()


@register.inclusion_tag("forms/_error_summary.html")
def error_summary(*forms_and_formsets, focus=True, title="", intro=""):
    """The errors of the forms and formsets given (None is skipped), each linked to its control.
    Nothing is shown when they have none."""
    return {
        "errors": summary_errors(*forms_and_formsets),
        "focus": focus,
        "title": title,
        "intro": intro,
    }
