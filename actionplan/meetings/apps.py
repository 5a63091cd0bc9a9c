from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings and annotations: part of the plan, kept as its own app for its own migrations."""

    name = "actionplan.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
