"""One kind of import file, from its text to the database (and back, for files that export)."""

import os
from dataclasses import dataclass

from django.db import transaction
from django.utils import translation

from .bind import bind
from .export import dump, export_record
from .parse import Parser
from .problems import A_MAPPING, ImportFileError, Problem, describe, wrong_type
from .write import ImportSummary, Writer
from .yaml import Mapping, load_yaml


@dataclass(frozen=True)
class FileFormat:
    """A YAML file that starts with `format: <tag>` and holds the records `root` describes.

    `after_write(root, summary)` runs in the import's transaction once everything is written (a
    dry run rolls it back with the rest).
    """

    name: str  # what the file holds, as in "the YAML plan file"
    tag: str
    root: object  # the Section at the top of the file
    after_write: object = None
    summary: type = ImportSummary
    header: str = ""  # comment lines at the top of an export

    def import_file(self, path, dry_run=False):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        return self.import_text(text, source=str(path), dry_run=dry_run)

    def import_text(self, text, source="<text>", dry_run=False):
        """Validate the whole file, then write it in one transaction; raise ImportFileError with
        every problem found if it is invalid, writing nothing. With `dry_run`, the summary says
        what the import would do and the transaction is rolled back."""
        # The models' messages in English, like the importer's own.
        with translation.override("en"):
            return self._import(text, source, dry_run)

    def _import(self, text, source, dry_run):
        data, problems = load_yaml(text, source)
        if not isinstance(data, dict):
            raise ImportFileError(source, [Problem(1, "", wrong_type(A_MAPPING, data))])
        if data.get("format") != self.tag:
            got = describe(data.get("format"))
            problems.add(data.line_of("format"), "format", f"expected {self.tag!r}, got {got}")
        body = Mapping({k: v for k, v in data.items() if k != "format"})
        body.line, body.lines = data.line, data.lines
        root = Parser(problems).record(self.root, body, "", None, 1)
        summary = self.summary(os.path.basename(source), dry_run=dry_run)
        with transaction.atomic():
            bind(root, problems)
            if problems:
                raise ImportFileError(source, problems)
            Writer(summary).write(root)
            if self.after_write:
                self.after_write(root, summary)
            if dry_run:
                transaction.set_rollback(True)
        return summary

    def export(self, instance):
        """The file for `instance`, the record at the top; fetch it with its lists prefetched.
        Deterministic: the same data gives the same bytes."""
        return self.header + dump({"format": self.tag, **export_record(self.root, instance)})
