"""Template tags for the site chrome in base.html: the language links and the main navigation."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.text import capfirst
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each site language, as dicts: code, name (in that language), url,
    absolute_url (for hreflang alternates) and current.

    Plain links, so switching works without JavaScript and keeps the page the reader is on.
    """
    request = context["request"]
    path = request.get_full_path()
    active = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        with override(code):
            own_name = capfirst(str(name))  # "Slovenčina", "English": each in its own language
        links.append(
            {
                "code": code,
                "name": own_name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == active,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """Main navigation as (label, url, state): state "page" marks the link to this very page,
    "section" the link of the section this page is in (the longest link that prefixes it)."""
    plan = context.get("plan")
    home = reverse("actionplan:home")
    links = [(_("Home"), home)]
    if plan:
        by_plan = {"plan_slug": plan.slug}
        by_city = {"jurisdiction_slug": plan.jurisdiction.slug}
        links += [
            (_("Action plan"), reverse("actionplan:plan", kwargs=by_plan)),
            (_("Steps"), reverse("actionplan:steps", kwargs=by_plan)),
            (_("Meetings"), reverse("meetings:plan_meetings", kwargs=by_plan)),
            (_("Institutions"), reverse("actionplan:institutions", kwargs=by_city)),
            (_("Stakeholders"), reverse("actionplan:stakeholders", kwargs=by_city)),
            (_("Co-creation"), reverse("actionplan:cocreation", kwargs=by_plan)),
        ]
    path = context["request"].path
    # A page below the navigation marks the closest link above it; home, above every page, never.
    section = None
    if all(url != path for _label, url in links):
        section = max(
            (url for _label, url in links if url != home and path.startswith(url)),
            key=len,
            default=None,
        )
    return [
        (label, url, "page" if url == path else "section" if url == section else "")
        for label, url in links
    ]
