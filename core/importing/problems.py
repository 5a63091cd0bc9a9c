"""Problems found in an import file, each with its line and its place (`plans[slug=x].title`).

An import reports every problem it finds, in file order, and writes nothing when there is one.
"""

import difflib
from dataclasses import dataclass

A_MAPPING = "a mapping (key: value lines)"
A_LIST = "a list"


@dataclass(frozen=True)
class Problem:
    line: int | None
    where: str
    message: str

    def format(self, source):
        parts = [f"{source}:{self.line}" if self.line else source]
        if self.where:
            parts.append(self.where)
        return ": ".join([*parts, self.message])


class Problems(list):
    """The problems found so far in a file, in the order found."""

    def add(self, line, where, message):
        self.append(Problem(line, where, message))


class ImportFileError(Exception):
    """The file cannot be imported; `lines()` gives every problem found, one a line, in file
    order."""

    def __init__(self, source, problems):
        self.source = source
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(self.lines()))

    def lines(self):
        return [problem.format(self.source) for problem in self.problems]


def describe(value):
    """A YAML value as the person who wrote it sees it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def wrong_type(expected, value):
    return f"expected {expected}, got {describe(value)}"


def join_path(where, key):
    """The place of `key` inside the record at `where`, as problems name it: plans[0].title."""
    if not key:
        return where
    return f"{where}.{key}" if where else key


def suggest(word, choices):
    """ "; did you mean ...?" for the closest of `choices` to a misspelt `word`, or ""."""
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
