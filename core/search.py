"""Search and sorting of texts in Slovak and English, the same way on PostgreSQL and SQLite.

Search ignores accents and case ("kapacity" finds "Kapacít") and the usual Slovak endings, so a
word finds its other forms: each word of the query is cut to its stem ("kapacity" to "kapacit")
and must appear in one of the searched columns, in any language. PostgreSQL folds accents with
its unaccent extension (core migration 0002); SQLite with the same Python function the portal
registers on each connection.

Sorting follows the reader's language: Slovak sorts "ch" after "h" and "č" after "c" (ICU's
sk collation on PostgreSQL; an equivalent key function on SQLite).
"""

import re
import unicodedata
from functools import reduce
from operator import and_, or_

from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.db.models.lookups import Contains

from core.languages import current_language, language_codes

UNACCENT_FUNCTION = "portal_unaccent"
SLOVAK_COLLATION = "portal_slovak"
POSTGRESQL_SLOVAK = "sk-x-icu"

# Endings of Slovak nouns, adjectives and verbs, longest first; one is cut from each query word
# that keeps at least MIN_STEM letters. English words lose a plural "s" the same way.
SUFFIXES = sorted(
    {
        "ami", "ach", "ich", "ych", "iam", "om", "ov", "ou", "mi", "ej", "ho", "mu", "ia", "ie",
        "ii", "iu", "ym", "im", "es", "a", "e", "i", "o", "u", "y", "s",
    },
    key=len,
    reverse=True,
)  # fmt: skip
MIN_STEM = 4


def fold(text):
    """Lower case without accents: "Kapacít" → "kapacit"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stems(query):
    words = re.findall(r"\w+", fold(query))
    result = []
    for word in words:
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
        result.append(word)
    return result


class Unaccent(Func):
    """The text lower-cased without accents, as `fold` gives it."""

    function = UNACCENT_FUNCTION
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return Lower(Func(*self.get_source_expressions(), function="unaccent")).as_sql(
            compiler, connection, **extra
        )


def matching(query, *column_names):
    """A condition: every stem of the query is in one of the columns (for translated fields,
    pass every language's: core.content.columns("title"))."""
    words = stems(query)
    if not words:
        return Q()
    return reduce(
        and_,
        (
            reduce(or_, (Q(Contains(Unaccent(F(name)), Value(word))) for name in column_names))
            for word in words
        ),
    )


class SlovakCollate(Func):
    template = "%(expressions)s COLLATE %(collation)s"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, collation=f'"{POSTGRESQL_SLOVAK}"', **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, collation=SLOVAK_COLLATION, **extra)


def by_text(field):
    """An order_by expression for a translated field in the reader's language (the other
    language's text where it has none), sorted by that language's rules."""
    wanted = current_language()
    others = [code for code in language_codes() if code != wanted]
    text = Coalesce(
        *(NullIf(F(f"{field}_{code}"), Value("")) for code in (wanted, *others)),
        output_field=TextField(),
    )
    return SlovakCollate(text).asc() if wanted == "sk" else Lower(text).asc()


def sort_key(text):
    """A Python sort key for a text in the reader's language, as by_text orders in the database:
    Slovak order in Slovak, case and accents folded otherwise."""
    text = text or ""
    return slovak_key(text) if current_language() == "sk" else (fold(text), text)


# --- SQLite ------------------------------------------------------------------------------------

# Slovak alphabetical order: letters that differ in their primary sort place, with "ch" one
# letter. Accented vowels and ď, ľ, ĺ, ň, ŕ, ť sort with their base letter, after it on a tie.
_ALPHABET = [
    "a", "ä", "b", "c", "č", "d", "e", "f", "g", "h", "ch", "i", "j", "k", "l", "m", "n", "o",
    "ô", "p", "q", "r", "ř", "s", "š", "t", "u", "v", "w", "x", "y", "z", "ž",
]  # fmt: skip
_PRIMARY = {letter: n for n, letter in enumerate(_ALPHABET)}


def _letters(text):
    text = text.casefold()
    i = 0
    while i < len(text):
        if text.startswith("ch", i):
            yield "ch"
            i += 2
        else:
            yield text[i]
            i += 1


def slovak_key(text):
    primary, secondary = [], []
    for letter in _letters(text):
        if letter in _PRIMARY:
            primary.append(_PRIMARY[letter])
            secondary.append(0)
        else:
            base = fold(letter)
            primary.append(_PRIMARY.get(base, 100 + ord(base[:1] or " ")))
            secondary.append(1 if base != letter else 0)
    return primary, secondary, text


def slovak_collation(a, b):
    ka, kb = slovak_key(a), slovak_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: the functions the queries above use on SQLite."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function(UNACCENT_FUNCTION, 1, fold, deterministic=True)
        raw.create_collation(SLOVAK_COLLATION, slovak_collation)
