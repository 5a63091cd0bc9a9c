"""The site's languages, and which one a reader or writer is using."""

from django.conf import settings
from django.utils.translation import get_language, override


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def current_language():
    """The language of the page being made: a text written now is in it (a note, an
    annotation), and a text read now is wanted in it."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in language_codes() else settings.LANGUAGE_CODE


def language_name(code, in_language=None):
    """The language's name, in the reader's language (or in `in_language`)."""
    name = dict(settings.LANGUAGES)[code]
    if in_language:
        with override(in_language):
            return str(name)
    return str(name)
