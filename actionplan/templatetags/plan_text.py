"""Links to institutions, who recorded a change, status labels, the overdue flag, when a step
was last reported on, and the formatting of percentages and paragraphs. Texts in the reader's
language: core's {% text %}."""

import datetime

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from actionplan import freshness, statistics
from actionplan.models import ActionStep
from core.dates import end_of_day
from core.templatetags import content
from core.text import paragraphs, percent

register = template.Library()


@register.simple_tag
def institution_link(institution, jurisdiction):
    url = reverse(
        "actionplan:institution",
        kwargs={"jurisdiction_slug": jurisdiction.slug, "slug": institution.slug},
    )
    name = content.text({}, institution, "name")
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, name)


@register.simple_tag
def recorded_by(group, show_people=False):
    """Who recorded a step version (queries.ChangeGroup): the institution, as a link; the person
    too for the portal's team (show_people). Empty when nobody is known."""
    institution = (
        institution_link(group.institution, group.institution.jurisdiction)
        if group.institution
        else None
    )
    actor = group.update.actor if show_people and group.update else None
    if actor:
        person = actor.get_full_name() or actor.username
        if institution:
            return format_html(
                _("Recorded by {person} for {institution}"), person=person, institution=institution
            )
        return format_html(_("Recorded by {person}"), person=person)
    if institution:
        return format_html(_("Recorded for {institution}"), institution=institution)
    return ""


@register.simple_tag
def status_tag(status):
    """The status as a word; the app-status classes add its icon, so colour is never alone."""
    label = ActionStep.Status(status).label
    return format_html('<strong class="app-status app-status--{}">{}</strong>', status, label)


@register.simple_tag
def overdue_flag():
    """The word "Overdue"; app-overdue adds a warning icon."""
    return format_html('<strong class="app-overdue">{}</strong>', _("Overdue"))


def _moment(as_of):
    if isinstance(as_of, datetime.datetime):
        return as_of
    if isinstance(as_of, datetime.date) and as_of != timezone.localdate():
        return end_of_day(as_of)  # a report as of a past day
    return timezone.now()


@register.simple_tag
def reported_ago(moment, as_of=None):
    """ "3 months" or "5 days": how long before `as_of` (default now) `moment` was, one unit."""
    return timesince(moment, _moment(as_of), depth=1)


@register.simple_tag
def last_report(step, as_of=None, brief=False):
    """When the step was last reported on (freshness), for the step's summary and, `brief`, a
    list of steps; flagged when that is longer ago than STALE_AFTER_DAYS. Empty when the step was
    loaded without freshness.with_last_report()."""
    if not hasattr(step, "last_reported_at"):
        return ""
    at = step.last_reported_at
    if at is None:
        text = _("no update reported yet") if brief else _("No update reported yet")
        html = format_html("{}", text)
    else:
        ago = reported_ago(at, as_of)
        day = formats.date_format(timezone.localtime(at).date(), "DATE_FORMAT")
        text = _("last update %(ago)s ago") if brief else _("%(ago)s ago, on %(day)s")
        html = format_html(
            '<time datetime="{}">{}</time>', at.isoformat(), text % {"ago": ago, "day": day}
        )
    moment = _moment(as_of)
    if hasattr(step, "reported_since") and freshness.is_stale(step, moment):
        flag = _("No report for more than %(days)d days") % {"days": settings.STALE_AFTER_DAYS}
        html = format_html('{} <strong class="app-stale">{}</strong>', html, flag)
    return html


@register.filter
def last_report_on(step, as_of):
    """{% with reported=step|last_report_on:as_of %}: last_report for a summary row."""
    return last_report(step, as_of)


@register.simple_tag
def step_dates(step):
    """A step's period, e.g. "1. 3. 2025 – 30. 6. 2026", saying which end is not known. A tag,
    not an included template: lists render it for every step."""
    start = date_format(step.start_date) if step.start_date else None
    end = date_format(step.end_date) if step.end_date else None
    if start and end:
        return f"{start} – {end}"
    if start:
        return _("from %(start)s, end date not known") % {"start": start}
    if end:
        return _("until %(end)s, start date not known") % {"end": end}
    return _("dates not known")


register.filter("percent", percent)
register.filter("paragraphs", paragraphs)


@register.simple_tag
def milestone_share(step):
    """The share of the step's milestones that are done, or None without milestones."""
    return statistics.milestone_percent(step)


@register.filter
def progress_disagrees(step):
    """Reported progress and milestone completion far apart: the staff see a warning."""
    return statistics.disagreement(step)
