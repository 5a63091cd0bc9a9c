"""What the three file importers (import_plan, import_meetings, import_monitoring) share.

Each one checks the whole file first; if anything is wrong, every problem goes to stderr, one a
line with its place in the file, the command fails and nothing is written. Otherwise the file is
written in one transaction and the command prints a one-line summary of the counts.
"""

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError, no_translations


class ImportFileError(Exception):
    """The file cannot be imported; `lines()` gives every problem found, one a line."""

    def lines(self):
        raise NotImplementedError


@dataclass
class ImportSummary:
    """What an import wrote; subclasses say it in their own words (`__str__`)."""

    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def verb(self):
        return "would import" if self.dry_run else "imported"

    def counts(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def count(self, created, changed=True):
        """Count one record of the file: new, changed by the file, or already as the file has it."""
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


class ImportCommand(BaseCommand):
    """A command importing one YAML file; subclasses give `help`, `noun` and `importer`."""

    noun = "import"  # as in "path of the YAML <noun> file"
    # importer(path[, dry_run=...]) -> ImportSummary; raises ImportFileError, OSError or
    # UnicodeDecodeError. Set with staticmethod().
    importer = None
    can_dry_run = True

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"path of the YAML {self.noun} file")
        if self.can_dry_run:
            parser.add_argument(
                "--dry-run",
                action="store_true",
                help="validate and count the changes, write nothing",
            )

    # The importers' messages are English whatever the site's language, like the summary.
    @no_translations
    def handle(self, file, dry_run=False, **options):
        try:
            summary = self.importer(file, **({"dry_run": dry_run} if self.can_dry_run else {}))
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text ({exc.reason}, byte {exc.start})") from exc
        except ImportFileError as exc:
            lines = exc.lines()
            for line in lines:
                self.stderr.write(line)
            count = len(lines)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
            ) from exc
        self.stdout.write(str(summary))
