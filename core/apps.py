from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """Helpers every app shares (HTTP, forms, editing, files, dates, importing, the page cache).
    It imports no app of the portal; the import-linter contract in pyproject.toml keeps it so."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import dataversion, search, sessions  # noqa: F401 - sessions' receiver

        # After every migrate (and every test database flush): tables added since are covered.
        post_migrate.connect(dataversion.install, sender=self, dispatch_uid="core.dataversion")
        connection_created.connect(
            search.register_sqlite_functions, dispatch_uid="core.search.sqlite"
        )
