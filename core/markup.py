"""Markdown written by people (annotations, minutes) turned into HTML that is safe to show.

Markdown passes raw HTML through, so its output is never trusted: nh3 keeps only basic formatting
and links to http, https and mailto addresses, and drops everything else (scripts, styles, event
handlers, images, frames, relative and javascript:/data: links).
"""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}},
    url_schemes=ALLOWED_SCHEMES,
    url_relative="deny",
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


# A link whose address the cleaner dropped keeps only the rel it added: an <a> without href is
# no link, and rel on it is invalid HTML. Its text stays.
_DEAD_LINK = re.compile(r"<a(?![^>]*\bhref=)[^>]*>(.*?)</a>", re.S)


def render_markdown(text):
    """Sanitised HTML for `text`, marked safe for templates."""
    if not text:
        return ""
    html = _cleaner.clean(markdown.markdown(text, output_format="html"))
    return mark_safe(_DEAD_LINK.sub(r"\1", html))
