"""The monitoring pages of each public plan and its published reports (see portal/sitemaps.py)."""

from actionplan import queries as plan_queries
from actionplan.sitemaps import I18nSitemap, NamedPageSitemap
from monitoring.models import MonitoringReport, Publication


class MonitoringPageSitemap(NamedPageSitemap):
    def items(self):
        return [
            (f"monitoring:{name}", {"plan_slug": slug})
            for slug in plan_queries.public_plans().values_list("slug", flat=True)
            for name in ("body", "progress_report", "open_data")
        ]


class ReportSitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        return (
            MonitoringReport.objects.filter(
                status=Publication.PUBLISHED, plan__in=plan_queries.public_plans()
            )
            .select_related("plan")
            .order_by("plan_id", "pk")
        )


SITEMAPS = {"monitoring": MonitoringPageSitemap, "reports": ReportSitemap}
