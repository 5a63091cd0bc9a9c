"""Sitemap bases: every page in each site language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class NamedPageSitemap(I18nSitemap):
    """Pages that are no model's own, as (URL name, kwargs) items."""

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)
