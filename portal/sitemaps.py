"""The site's sitemap: every public page of every app, in each language (served at /sitemap.xml)."""

from meetings.sitemaps import SITEMAPS as MEETING_SITEMAPS
from actionplan.sitemaps import SITEMAPS as PLAN_SITEMAPS
from actionplan.sitemaps import NamedPageSitemap
from monitoring.sitemaps import SITEMAPS as MONITORING_SITEMAPS


class SitePageSitemap(NamedPageSitemap):
    def items(self):
        return [("portal:accessibility", {}), ("portal:contacts", {})]


SITEMAPS = {
    **PLAN_SITEMAPS,
    **MEETING_SITEMAPS,
    **MONITORING_SITEMAPS,
    "site": SitePageSitemap,
}
