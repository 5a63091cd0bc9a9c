"""Plan content on a page, in the reader's language (core.content.text_of).

    {% text step "title" %}                 inline: the text, escaped
    {% text step "title" plain=True %}      for <title>, meta and option labels: no markup
    {% text_block step "description" %}     a block of paragraphs (or format="markdown")

A text shown in the other language because the reader's is missing carries its own `lang` and a
short note saying so. A text that is a translation rather than the city's own wording is counted
for the page, whose footer says so once ({% translation_note %} in base.html); a block says it
under itself too.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.content import text_of
from core.languages import current_language, language_name
from core.markup import render_markdown
from core.models import Provenance
from core.text import paragraphs

register = template.Library()

FORMATS = {"paragraphs": paragraphs, "markdown": render_markdown}


def _note_translation(context, shown):
    request = context.get("request")
    if request is not None and shown.text and shown.is_translation:
        kinds = request.__dict__.setdefault("_content_translations", set())
        kinds.add(shown.provenance)


@register.simple_tag(takes_context=True)
def text(context, obj, field, plain=False):
    shown = text_of(obj, field)
    if plain:
        return shown.text
    _note_translation(context, shown)
    if shown.is_fallback:
        return format_html(
            '<span lang="{}">{}</span> <span class="app-fallback">({})</span>',
            shown.lang,
            shown.text,
            shown.fallback_note(),
        )
    return shown.text


@register.simple_tag(takes_context=True)
def text_block(context, obj, field, format="paragraphs"):
    shown = text_of(obj, field)
    if not shown.text:
        return ""
    _note_translation(context, shown)
    body = FORMATS[format](shown.text)
    note = ""
    if shown.is_fallback:
        note = format_html('<p class="app-fallback">{}</p>', shown.fallback_note().capitalize())
    elif shown.is_translation:
        note = format_html(
            '<p class="app-provenance">{}</p>', Provenance(shown.provenance).label.capitalize()
        )
    return format_html('<div lang="{}">{}</div>{}', shown.lang, body, note)


@register.inclusion_tag("core/_translation_note.html", takes_context=True)
def translation_note(context):
    request = context.get("request")
    kinds = getattr(request, "_content_translations", set()) if request is not None else set()
    return {"labels": [Provenance(kind).label for kind in sorted(kinds)]}


@register.simple_tag
def written_in(language):
    """For a text kept in the language it was written in (a staff note, an annotation): the
    `lang` attribute it needs, and where the page is in another language, a short note saying
    which: <p{% written_in note.language %}>…</p>{% written_in_note note.language %}"""
    if not language:
        return ""
    return format_html(' lang="{}"', language)


@register.simple_tag
def written_in_note(language):
    if not language or language == current_language():
        return ""
    return format_html(
        '<span class="app-fallback">({})</span>',
        _("written in %(language)s") % {"language": language_name(language)},
    )
