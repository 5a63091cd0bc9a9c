from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of a plan and the CoLaboratory Board's annotations on them."""

    name = "meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from meetings import completeness, files  # noqa: F401 - files' receivers connect on import

        completeness.register()
