"""Atom feeds of step changes, one entry per step version: a plan's, a priority's, a step's."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
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


class PriorityChangesFeed(PlanChangesFeed):
    """The changes to the steps of one priority."""

    def get_object(self, request, plan_slug, code):
        plan = selectors.get_public_plan(plan_slug)
        priority = selectors.get_priority(plan, code)
        priority.plan = plan
        return priority

    def title(self, priority):
        return _("%(plan)s, %(code)s: changes to action steps") % {
            "plan": priority.plan.code,
            "code": priority.code,
        }

    def subtitle(self, priority):
        return _("Status, progress, dates and milestones of the steps of priority %(title)s.") % {
            "title": priority.title
        }

    def link(self, priority):
        return priority.get_absolute_url()

    def feed_url(self, priority):
        return reverse(
            "actionplan:priority_feed",
            kwargs={"plan_slug": priority.plan.slug, "code": priority.code},
        )

    def items(self, priority):
        return changelog.recent_changes(
            priority.plan, FEED_LENGTH, steps=priority.plan.steps.filter(priority=priority)
        )


class StepChangesFeed(PlanChangesFeed):
    """The changes to one step."""

    def get_object(self, request, plan_slug, code):
        plan = selectors.get_public_plan(plan_slug)
        step = get_object_or_404(plan.steps.all(), code=code)
        step.plan = plan
        return step

    def title(self, step):
        return _("%(plan)s, %(code)s: changes") % {"plan": step.plan.code, "code": step.code}

    def subtitle(self, step):
        return _("Status, progress, dates and milestones of action step %(code)s %(title)s.") % {
            "code": step.code,
            "title": step.title,
        }

    def link(self, step):
        return step.get_absolute_url()

    def feed_url(self, step):
        return reverse(
            "actionplan:step_feed", kwargs={"plan_slug": step.plan.slug, "code": step.code}
        )

    def items(self, step):
        return changelog.recent_changes(
            step.plan, FEED_LENGTH, steps=step.plan.steps.filter(pk=step.pk)
        )
