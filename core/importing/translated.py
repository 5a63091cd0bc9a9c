"""File keys for content in several languages, and the provenance of its translations.

    title:                      # Translated("title"): one text per site language
      sk: Budovanie kapacít …
      en: Capacity building …
    narrative:                  # TranslatedGroup(fields): several such texts under one key
      vision: {sk: …, en: …}
    translations:               # ProvenanceMap(): which texts are not the city's own wording
      title.sk: team            # official (the default), team or machine

A language may be left out; the model says whether one of them must be given, and a section
keyed by one language's text says that this one must be.
"""

from django.conf import settings

from .problems import A_MAPPING, describe, suggest, wrong_type
from .schema import Custom

PROVENANCES = ("official", "team", "machine")


def _codes():
    return [code for code, _name in settings.LANGUAGES]


def _texts(field, value, report, where=""):
    """{field_<code>: text} from a mapping {code: text}; problems go to report()."""
    texts = dict.fromkeys((f"{field}_{code}" for code in _codes()), "")
    if value is None:
        return texts
    if not isinstance(value, dict):
        report(f"{where}{wrong_type(A_MAPPING + ' of languages (sk:, en:)', value)}")
        return texts
    for code, text in value.items():
        if code not in _codes():
            report(f"{where}unknown language {code!r}{suggest(str(code), _codes())}")
        elif text is not None and not isinstance(text, str):
            report(f"{where}{code}: expected text, got {describe(text)}")
        else:
            texts[f"{field}_{code}"] = text or ""
    return texts


def _export(instance, field):
    return {
        code: getattr(instance, f"{field}_{code}")
        for code in _codes()
        if getattr(instance, f"{field}_{code}")
    }


class Translated(Custom):
    """`keyed_by`: a language whose text identifies the record (part of its section's key), so
    a record must give it even where the model asks for only one language."""

    def __init__(self, field, keyed_by=None):
        self.field = field
        self.keyed_by = keyed_by
        self.attrs = tuple(f"{field}_{code}" for code in _codes())
        self.error_attrs = (field,)

    def parse(self, value, report):
        texts = _texts(self.field, value, report)
        if self.keyed_by and isinstance(value, dict) and not texts[f"{self.field}_{self.keyed_by}"]:
            report(f"needs the {self.keyed_by}: text, which identifies the record")
        return texts

    def export(self, instance):
        return _export(instance, self.field)


class TranslatedGroup(Custom):
    def __init__(self, fields):
        self.fields = tuple(fields)
        self.attrs = tuple(f"{field}_{code}" for field in self.fields for code in _codes())

    def parse(self, value, report):
        values = {}
        if value is not None and not isinstance(value, dict):
            report(wrong_type(A_MAPPING, value))
            value = {}
        for key in value or {}:
            if key not in self.fields:
                report(f"unknown key {key!r}{suggest(str(key), self.fields)}")
        for field in self.fields:
            values.update(_texts(field, (value or {}).get(field), report, where=f"{field}: "))
        return values

    def export(self, instance):
        return {field: texts for field in self.fields if (texts := _export(instance, field))}


class ProvenanceMap(Custom):
    """The record's `provenance` column: {"title_sk": "team"}; in the file {title.sk: team}."""

    attrs = ("provenance",)

    def parse(self, value, report):
        provenance = {}
        if value is None:
            return {"provenance": provenance}
        if not isinstance(value, dict):
            report(wrong_type(A_MAPPING, value))
            return {"provenance": provenance}
        for key, kind in value.items():
            field, _dot, code = str(key).rpartition(".")
            if not field or code not in _codes():
                report(f"expected <field>.<language> such as title.sk, got {key!r}")
            elif kind not in PROVENANCES:
                report(f"{key}: expected one of {', '.join(PROVENANCES)}, got {describe(kind)}")
            elif kind != "official":
                provenance[f"{field}_{code}"] = kind
        return {"provenance": provenance}

    def export(self, instance):
        return {
            ".".join(column.rsplit("_", 1)): kind
            for column, kind in sorted(instance.provenance.items())
        }
