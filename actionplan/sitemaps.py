"""Every public page, in each site language, with hreflang alternates (see portal/urls.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actionplan import queries
from actionplan.models import ActionStep, Institution, Jurisdiction, Priority


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class NamedPageSitemap(I18nSitemap):
    """Pages that are no model's own, as (URL name, kwargs) items."""

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)


class PageSitemap(NamedPageSitemap):
    """Home, and the plan's and city's listing pages."""

    def items(self):
        pages = [("actionplan:home", {})]
        for plan in queries.public_plans().only("slug"):
            for name in ("plan", "steps", "cocreation"):
                pages.append((f"actionplan:{name}", {"plan_slug": plan.slug}))
        for jurisdiction in Jurisdiction.objects.only("slug"):
            for name in ("institutions", "stakeholders"):
                pages.append((f"actionplan:{name}", {"jurisdiction_slug": jurisdiction.slug}))
        return pages


class PrioritySitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        return Priority.objects.filter(plan__in=queries.public_plans()).select_related("plan")


class StepSitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        return ActionStep.objects.filter(plan__in=queries.public_plans()).select_related("plan")

    def lastmod(self, step):
        return step.updated_at


class InstitutionSitemap(I18nSitemap):
    def items(self):
        # jurisdiction: the URL contains its slug.
        return Institution.objects.select_related("jurisdiction").order_by("jurisdiction", "slug")


SITEMAPS = {
    "pages": PageSitemap,
    "priorities": PrioritySitemap,
    "steps": StepSitemap,
    "institutions": InstitutionSitemap,
}
