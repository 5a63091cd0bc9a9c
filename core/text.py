"""Numbers and text as the pages say them, in the reader's language."""

from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html_join
from django.utils.translation import gettext as _


def percent(value):
    """A whole-number percentage in the UI language's convention ("40%" / "40 %")."""
    if value is None:
        return _("not known")
    return _("%(value)s%%") % {"value": value}


def paragraphs(text):
    """Plain text split at blank lines into GOV.UK body paragraphs; single newlines kept as <br>."""
    blocks = [block.strip() for block in str(text).replace("\r\n", "\n").split("\n\n")]
    return format_html_join(
        "\n",
        '<p class="govuk-body">{}</p>',
        ((linebreaksbr(block),) for block in blocks if block),
    )
