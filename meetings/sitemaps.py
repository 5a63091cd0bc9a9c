"""The meetings list and every published meeting of a public plan, in each site language.

Annotations have no pages of their own, so nothing board-only can be listed here.
"""

from core.sitemaps import I18nSitemap, NamedPageSitemap

from .models import Meeting

# The pages every public plan has here; portal/sitemaps.py lists them with the other apps'.
PLAN_PAGES = ("meetings:responses",)


class MeetingListSitemap(NamedPageSitemap):
    """The list of all meetings; a plan's meetings page only redirects to it, filtered."""

    def items(self):
        return [("meetings:list", {})]


class MeetingSitemap(I18nSitemap):
    def items(self):
        # plan: the URL contains its slug.
        meetings = Meeting.objects.public().select_related("plan")
        return meetings.order_by("plan_id", "start_date", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at


SITEMAPS = {"meeting-list": MeetingListSitemap, "meetings": MeetingSitemap}
