from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ActionPlanConfig(AppConfig):
    name = "actionplan"
    verbose_name = _("Action plan")

    def ready(self):
        from actionplan import completeness
        from actionplan.history import register_purge_function

        completeness.register()

        connection_created.connect(register_purge_function, dispatch_uid="history_purge")
