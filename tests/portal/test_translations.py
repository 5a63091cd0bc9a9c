"""The Slovak catalog: complete, placeholders and markup kept, and used by the /sk/ pages.

The catalog is read with a small parser of our own rather than a new dependency; it understands
what makemessages writes (comments, flags, msgctxt, plurals, strings continued on several lines).
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "sk" / "LC_MESSAGES" / "django.po"
SLOVAK_PLURALS = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"
# %(name)s-style for gettext with a dict, {name} for the few strings filled in with str.format
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def forms(self):
        """(source text, translation) pairs: the singular source goes with the first form."""
        if self.msgid_plural is None:
            return [(self.msgid, self.msgstr.get(0, ""))]
        return [
            (self.msgid if index == 0 else self.msgid_plural, text)
            for index, text in sorted(self.msgstr.items())
        ]


def read_catalog(path):
    entries, entry, field_name = [], Entry(), None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            if entry.line:
                entries.append(entry)
            entry, field_name = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):  # a string continued from the line before
            _append(entry, field_name, ast.literal_eval(line))
        else:
            field_name, _, literal = line.partition(" ")
            entry.line = entry.line or number
            _append(entry, field_name, ast.literal_eval(literal))
    if entry.line:
        entries.append(entry)
    return entries


def _append(entry, field_name, text):
    if field_name in ("msgid", "msgid_plural"):
        setattr(entry, field_name, (getattr(entry, field_name) or "") + text)
    elif field_name.startswith("msgstr"):
        index = int(field_name[7:-1]) if field_name != "msgstr" else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    # msgctxt: a context does not change what is checked


@pytest.fixture(scope="module")
def catalog():
    entries = read_catalog(CATALOG)
    header, messages = entries[0], entries[1:]
    assert header.msgid == ""
    return header, messages


def where(entry):
    return f"django.po:{entry.line} {entry.msgid[:60]!r}"


def test_catalog_declares_the_three_slovak_plural_forms_and_is_not_fuzzy(catalog):
    header, _messages = catalog

    assert f"Plural-Forms: {SLOVAK_PLURALS}\n" in header.msgstr[0]
    assert "Language: sk\n" in header.msgstr[0]
    assert "fuzzy" not in header.flags


def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    _header, messages = catalog

    assert len(messages) > 500  # the parser did read the catalog
    fuzzy = [where(entry) for entry in messages if "fuzzy" in entry.flags]
    empty = [where(entry) for entry in messages if not all(text for _src, text in entry.forms)]
    plural_gaps = [
        where(entry)
        for entry in messages
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1, 2]
    ]
    assert fuzzy == []
    assert empty == []
    assert plural_gaps == []


def test_translations_keep_every_placeholder_and_add_none(catalog):
    _header, messages = catalog
    problems = []
    for entry in messages:
        for source, text in entry.forms:
            wanted = set(PLACEHOLDER.findall(source))
            if entry.msgid_plural is not None and source == entry.msgid:
                # Slovak's "one" form may spell out the number ("každú sekundu"), so a singular
                # translation may drop the count, but never invent a name the code does not pass.
                if not set(PLACEHOLDER.findall(text)) <= wanted | set(
                    PLACEHOLDER.findall(entry.msgid_plural)
                ):
                    problems.append(where(entry))
                continue
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(where(entry))
    assert problems == []


def test_python_format_translations_fill_in_without_error(catalog):
    # A stray "%" in a translation (e.g. "100 %" where "100 %%" was needed) breaks at run time.
    _header, messages = catalog
    broken = []
    for entry in messages:
        if "python-format" not in entry.flags:
            continue
        for _source, text in entry.forms:
            values = {name[2:-2]: 1 for name in PLACEHOLDER.findall(text) if name[0] == "%"}
            try:
                text % values
            except (KeyError, ValueError, TypeError):
                broken.append(where(entry))
    assert broken == []


def test_translations_keep_the_markup_of_their_source(catalog):
    _header, messages = catalog
    changed = [
        where(entry)
        for entry in messages
        for source, text in entry.forms
        if sorted(TAG.findall(source)) != sorted(TAG.findall(text))
    ]
    assert changed == []


def test_compiled_catalog_is_not_older_than_its_source():
    compiled = CATALOG.with_suffix(".mo")

    assert compiled.exists(), "run: manage.py compilemessages -l sk"
    assert compiled.stat().st_mtime >= CATALOG.stat().st_mtime, "run compilemessages again"


@pytest.mark.parametrize(
    "count, text",
    [(1, "1 stretnutie"), (3, "3 stretnutia"), (5, "5 stretnutí"), (21, "21 stretnutí")],
)
def test_slovak_counts_take_the_right_plural_form(count, text):
    with translation.override("sk"):
        phrase = translation.ngettext("%(count)s meeting", "%(count)s meetings", count)

    assert phrase % {"count": count} == text


@pytest.mark.parametrize(
    "language, expected, absent",
    [
        ("sk", ["Preskočiť na hlavný obsah", "Kroky", "Vyhlásenie o prístupnosti"], "Skip to"),
        ("en", ["Skip to main content", "Steps", "Accessibility statement"], "Preskočiť"),
    ],
)
def test_plan_page_chrome_is_in_the_language_of_its_address(
    client, plan, step, language, expected, absent
):
    with translation.override(language):
        url = reverse("actionplan:plan", kwargs={"plan_slug": plan.slug})

    html = client.get(url).content.decode()

    assert f'<html lang="{language}"' in html
    for text in expected:
        assert text in html
    assert absent not in html
