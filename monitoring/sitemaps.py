"""The monitoring body's page of each public plan and its published reports."""

from actionplan.models import ActionPlan
from core.sitemaps import I18nSitemap
from monitoring.models import MonitoringReport

# The pages every public plan has here; portal/sitemaps.py lists them with the other apps'.
PLAN_PAGES = ("monitoring:body",)


class ReportSitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        return (
            MonitoringReport.objects.published()
            .filter(plan__in=ActionPlan.objects.public())
            .select_related("plan")
            .order_by("plan_id", "pk")
        )


SITEMAPS = {"reports": ReportSitemap}
