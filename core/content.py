"""Content in two languages: reading a text with a fallback that tells the truth, and editing both
languages side by side.

A translated field `title` has a column per site language (`title_sk`, `title_en`; the apps
register them with django-modeltranslation in their translation.py). Pages show a text through
`text_of()`: the reader's language when it is there, else the other language's text, marked with
its own `lang` and a short note, never an empty heading and never silently.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.languages import current_language, language_codes, language_name
from core.models import Provenance


def columns(*fields):
    """The columns of translated fields, language by language: title_sk, title_en, …"""
    return [f"{field}_{code}" for field in fields for code in language_codes()]


@dataclass(frozen=True)
class Text:
    text: str
    lang: str  # the language the text is in
    wanted: str  # the language the reader asked for
    provenance: str

    @property
    def is_fallback(self):
        return bool(self.text) and self.lang != self.wanted

    @property
    def is_translation(self):
        return self.provenance != Provenance.OFFICIAL

    def fallback_note(self):
        """ "not yet available in Slovak", in the reader's language."""
        return _("not yet available in %(language)s") % {
            "language": language_name(self.wanted).lower()
        }

    def __str__(self):
        return self.text


def text_of(obj, field, language=None):
    """The text of obj.<field> for the reader, with what the page must say about it."""
    wanted = language or current_language()
    for code in (wanted, *(c for c in language_codes() if c != wanted)):
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            provenance = getattr(obj, "provenance", None) or {}
            return Text(value, code, wanted, provenance.get(f"{field}_{code}", "official"))
    return Text("", wanted, wanted, Provenance.OFFICIAL)


def column_label(model, name):
    """A field's label; for a translation column, the field's label and its language."""
    base, _sep, code = name.rpartition("_")
    if base and code in language_codes():
        language = language_name(code)
        # English capitalises the names of languages; Slovak (like most) does not.
        if current_language() != "en":
            language = language.lower()
        return gettext_lazy("%(field)s (%(language)s)") % {
            "field": str(model._meta.get_field(base).verbose_name).capitalize(),
            "language": language,
        }
    return model._meta.get_field(name).verbose_name


def side_by_side(bound_fields):
    """The fields in rows for the page: a translated field's languages together in one row (one
    beside the other on a wide screen), every other field in a row of its own."""
    rows = []
    for bound in bound_fields:
        base, _sep, code = bound.name.rpartition("_")
        previous = rows[-1][-1].name.rpartition("_") if rows else None
        if base and code in language_codes() and previous and previous[0] == base:
            rows[-1].append(bound)
        else:
            rows.append([bound])
    return rows


class BilingualFormMixin:
    """For a model form that edits the columns of translated fields side by side: labels say the
    language, inputs carry `lang` (spelling checks, screen readers), and each field named in
    `required_in_one_language` must be given in at least one language."""

    required_in_one_language = ()

    def rows(self):
        return side_by_side(self.visible_fields())

    def text_fields(self, field):
        """The bound fields of one translated field, language by language."""
        return [self[column] for column in columns(field)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            base, _sep, code = name.rpartition("_")
            if code in language_codes() and base:
                field.label = column_label(self._meta.model, name)
                field.widget.attrs["lang"] = code
                field.required = False

    def clean(self):
        cleaned = super().clean()
        for field in self.required_in_one_language:
            if not any(cleaned.get(column) for column in columns(field)):
                first = columns(field)[0]
                label = self._meta.model._meta.get_field(field).verbose_name
                self.add_error(
                    first,
                    ValidationError(
                        _("Give the %(field)s in at least one language."), params={"field": label}
                    ),
                )
        return cleaned


@dataclass(frozen=True)
class ContentKind:
    """A kind of a plan's content, for the completeness table: each app registers its own in its
    AppConfig.ready, so that the table covers them all without importing any app."""

    label: str
    fields: tuple  # the translated fields counted
    objects: Callable  # objects(plan) -> the plan's objects of this kind, their joins stated
    name: Callable  # name(obj) -> how the table names one
    edit_url: Callable  # edit_url(obj, user) -> where this user edits its texts, or None
    order: int = 0


CONTENT_KINDS = []


def register_content_kind(kind):
    CONTENT_KINDS.append(kind)
    CONTENT_KINDS.sort(key=lambda k: k.order)


@dataclass
class Completeness:
    kind: ContentKind
    written: dict  # language -> texts written in it
    total: int  # texts that could be written, per language
    missing: list  # (object's name, field label, language's name, edit url or None)

    def shares(self):
        """(language name, written, percent) per language."""
        return [
            (
                language_name(code),
                self.written[code],
                round(100 * self.written[code] / self.total) if self.total else 100,
            )
            for code in language_codes()
        ]


def completeness(plan, user):
    """For each registered kind of content, how many of its texts are written in each language,
    counting only texts written in at least one (an empty optional field is not missing)."""
    report = []
    for kind in CONTENT_KINDS:
        written = dict.fromkeys(language_codes(), 0)
        total, missing = 0, []
        for obj in kind.objects(plan):
            for field in kind.fields:
                values = {code: getattr(obj, f"{field}_{code}", None) for code in language_codes()}
                if not any(values.values()):
                    continue
                total += 1
                for code, value in values.items():
                    if value:
                        written[code] += 1
                    else:
                        label = type(obj)._meta.get_field(field).verbose_name
                        missing.append(
                            (kind.name(obj), label, language_name(code), kind.edit_url(obj, user))
                        )
        report.append(Completeness(kind, written, total, missing))
    return report


def admin_url(obj, user):
    """The admin's change page for obj, for a user who may change it there; else None."""
    opts = obj._meta
    if not (user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")):
        return None
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
