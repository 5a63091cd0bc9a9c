"""The site's sitemap: every public page of every app, in each language (served at /sitemap.xml)."""

from actionplan import sitemaps as plan_sitemaps
from actionplan.models import ActionPlan
from core.sitemaps import NamedPageSitemap
from meetings import sitemaps as meeting_sitemaps
from meetings.sitemaps import SITEMAPS as MEETING_SITEMAPS
from monitoring import sitemaps as monitoring_sitemaps
from publishing import sitemaps as publishing_sitemaps

PLAN_PAGES = (
    *plan_sitemaps.PLAN_PAGES,
    *meeting_sitemaps.PLAN_PAGES,
    *monitoring_sitemaps.PLAN_PAGES,
    *publishing_sitemaps.PLAN_PAGES,
)


class PlanPageSitemap(NamedPageSitemap):
    """The pages each public plan has in every app, read with one query."""

    def items(self):
        return [
            (name, {"plan_slug": slug})
            for slug in ActionPlan.objects.public().values_list("slug", flat=True)
            for name in PLAN_PAGES
        ]


class SitePageSitemap(NamedPageSitemap):
    def items(self):
        return [("portal:accessibility", {}), ("portal:contacts", {})]


SITEMAPS = {
    **plan_sitemaps.SITEMAPS,
    "plan-pages": PlanPageSitemap,
    **MEETING_SITEMAPS,
    **monitoring_sitemaps.SITEMAPS,
    "site": SitePageSitemap,
}
