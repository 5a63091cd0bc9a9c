"""The meetings list and every published meeting of a public plan, in each site language.

Annotations have no pages of their own, so nothing board-only can be listed here.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import queries


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class MeetingListSitemap(_I18nSitemap):
    def items(self):
        return ["meetings:list"]

    def location(self, item):
        return reverse(item)


class MeetingSitemap(_I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        meetings = queries.public_meetings().select_related("plan")
        return meetings.order_by("plan_id", "start_date", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at


SITEMAPS = {"meeting-list": MeetingListSitemap, "meetings": MeetingSitemap}
