"""Names and titles in the right language, status labels and the overdue flag.

Plan content is stored in the language it was written in. A name or title has a local variant
(`local_name`, `local_title`) in the city's language; it is shown when the page is in that
language, and every text is marked with its `lang` so that screen readers pronounce it right.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actionplan.models import ActionStep

register = template.Library()


def display_text(obj, field, local_language=None, text_language=None):
    """(text, lang) of obj.<field> or obj.local_<field>, whichever the UI language calls for.

    lang is None when the language of the text is not known (an institution's `name`).
    """
    local_language = local_language or obj.jurisdiction.local_language
    local_text = getattr(obj, f"local_{field}")
    if local_text and (get_language() or "").split("-")[0] == local_language:
        return local_text, local_language
    return getattr(obj, field), text_language


def _marked(text, lang):
    if lang:
        return format_html('<span lang="{}">{}</span>', lang, text)
    return text


@register.simple_tag
def name_of(obj, jurisdiction, plain=False):
    """An institution's, stakeholder group's or city's name; plain=True for a <title>."""
    text, lang = display_text(obj, "name", jurisdiction.local_language)
    return text if plain else _marked(text, lang)


@register.simple_tag
def title_of(obj, plan, plain=False):
    """A plan's, priority's or step's title; the plain title is in the plan's content language."""
    text, lang = display_text(obj, "title", plan.jurisdiction.local_language, plan.content_language)
    return text if plain else _marked(text, lang)


@register.simple_tag
def institution_link(institution, jurisdiction):
    url = reverse(
        "actionplan:institution",
        kwargs={"jurisdiction_slug": jurisdiction.slug, "slug": institution.slug},
    )
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>', url, name_of(institution, jurisdiction)
    )


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


@register.filter
def percent(value):
    """A whole-number percentage in the UI language's convention ("40%" / "40 %")."""
    if value is None:
        return _("not known")
    return _("%(value)s%%") % {"value": value}


@register.filter
def paragraphs(text):
    """Plain text split at blank lines into GOV.UK body paragraphs; single newlines kept as <br>."""
    blocks = [block.strip() for block in str(text).replace("\r\n", "\n").split("\n\n")]
    return format_html_join(
        "\n",
        '<p class="govuk-body">{}</p>',
        ((linebreaksbr(block),) for block in blocks if block),
    )
