"""Links to institutions, who recorded a change, status labels, the overdue flag, and the
formatting of percentages and paragraphs. Texts in the reader's language: core's {% text %}."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from actionplan import statistics
from actionplan.models import ActionStep
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
