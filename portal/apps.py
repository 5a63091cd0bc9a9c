from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from axes.signals import user_locked_out

        from portal import audit, mfa, throttle  # noqa: F401 - their receivers connect on import

        user_locked_out.connect(audit.locked_out, dispatch_uid="audit_locked_out")
