"""Atom feed of a plan's step changes, one entry per step version."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplan import changelog, selectors
from core.feeds import PlainTextAtomFeed

FEED_LENGTH = 30


class PlanChangesFeed(Feed):
    feed_type = PlainTextAtomFeed
    allowed_methods = frozenset({"GET", "HEAD"})  # see core.http.AllowedMethodsMiddleware

    def get_object(self, request, plan_slug):
        return selectors.get_public_plan(plan_slug)

    def title(self, plan):
        return _("%(code)s: changes to action steps") % {"code": plan.code}

    def subtitle(self, plan):
        return _("Status, progress, dates and milestones of the steps of %(title)s, %(city)s.") % {
            "title": plan.title,
            "city": plan.jurisdiction.name,
        }

    def link(self, plan):
        return plan.get_absolute_url()

    def feed_url(self, plan):
        return reverse("actionplan:feed", kwargs={"plan_slug": plan.slug})

    def items(self, plan):
        return changelog.recent_changes(plan, FEED_LENGTH)

    def item_title(self, group):
        return f"{group.step.code}: {group.summary()}"

    def item_description(self, group):
        parts = [group.summary()]
        if group.note:
            parts.append(group.note)
        return " — ".join(parts)

    def item_link(self, group):
        return f"{group.step.get_absolute_url()}#version-{group.version}"

    def item_pubdate(self, group):
        return group.changed_at

    def item_updateddate(self, group):
        return group.changed_at

    def item_author_name(self, group):
        # The institution answers for a change; the person who typed it is not published.
        if group.institution:
            return group.institution.name
        return None
