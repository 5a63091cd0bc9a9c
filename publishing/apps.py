from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """What the portal publishes from the plan's data: PDF documents, open data and the API."""

    name = "publishing"
    verbose_name = _("Publishing")
