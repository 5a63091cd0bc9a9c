"""Numbers and text as the pages say them, in the reader's language."""

from django.utils.translation import gettext as _


def percent(value):
    """A whole-number percentage in the UI language's convention ("40%" / "40 %")."""
    if value is None:
        return _("not known")
    return _("%(value)s%%") % {"value": value}
