"""The meetings list and every published meeting of a public plan, in each site language.

Annotations have no pages of their own, so nothing board-only can be listed here.
"""

from actionplan import queries as plan_queries
from actionplan.sitemaps import I18nSitemap
from django.urls import reverse

from . import queries


class MeetingListSitemap(I18nSitemap):
    """The list of all meetings and each public plan's meetings page."""

    def items(self):
        plans = plan_queries.public_plans().values_list("slug", flat=True)
        return [("meetings:list", {})] + [
            ("meetings:plan_meetings", {"plan_slug": slug}) for slug in plans
        ]

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)


class MeetingSitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        meetings = queries.public_meetings().select_related("plan")
        return meetings.order_by("plan_id", "start_date", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at


SITEMAPS = {"meeting-list": MeetingListSitemap, "meetings": MeetingSitemap}
