"""Template tags for the site chrome in base.html: the language links and the main navigation."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, get_language_info
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
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == active,
            }
        )
    return links


def _reverse_or_none(name, **kwargs):
    # The plan's pages are built in parallel with the chrome; a name that does not exist yet
    # drops its link instead of breaking every page.
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """Main navigation as (label, url, state): state "page" marks the link to this very page,
    "section" the link of the section this page is in (the longest link that prefixes it)."""
    plan = context.get("plan")
    home = _reverse_or_none("actionplan:home")
    links = [(_("Home"), home)]
    if plan:
        jurisdiction = plan.jurisdiction.slug
        links += [
            (_("Action plan"), _reverse_or_none("actionplan:plan", plan_slug=plan.slug)),
            (_("Steps"), _reverse_or_none("actionplan:steps", plan_slug=plan.slug)),
            (
                _("Institutions"),
                _reverse_or_none("actionplan:institutions", jurisdiction_slug=jurisdiction),
            ),
            (
                _("Stakeholders"),
                _reverse_or_none("actionplan:stakeholders", jurisdiction_slug=jurisdiction),
            ),
            (_("Co-creation"), _reverse_or_none("actionplan:cocreation", plan_slug=plan.slug)),
        ]
    links = [(label, url) for label, url in links if url]
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
