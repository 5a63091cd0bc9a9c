from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app shares (HTTP, forms, editing, files, dates, importing). It imports no app
    of the portal; the import-linter contract in pyproject.toml keeps it that way."""

    name = "core"
    verbose_name = "Core"
