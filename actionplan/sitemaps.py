"""Every public page, in each site language, with hreflang alternates (see portal/urls.py)."""

from actionplan.models import ActionPlan, ActionStep, Institution, Jurisdiction, Priority
from core.sitemaps import I18nSitemap, NamedPageSitemap

# The pages every public plan has here; portal/sitemaps.py lists them with the other apps'.
PLAN_PAGES = (
    "actionplan:plan",
    "actionplan:steps",
    "actionplan:cocreation",
    "actionplan:periods",
)


class PageSitemap(NamedPageSitemap):
    """Home, the network of cities, and each city's listing pages."""

    def items(self):
        pages = [("actionplan:home", {}), ("actionplan:network", {})]
        for jurisdiction in Jurisdiction.objects.only("slug"):
            for name in ("institutions", "stakeholders"):
                pages.append((f"actionplan:{name}", {"jurisdiction_slug": jurisdiction.slug}))
        return pages


class PrioritySitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        return Priority.objects.filter(plan__in=ActionPlan.objects.public()).select_related("plan")


class StepSitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        return ActionStep.objects.filter(plan__in=ActionPlan.objects.public()).select_related(
            "plan"
        )

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
