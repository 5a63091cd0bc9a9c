"""The management command shape of every import file (import_plan, import_meetings,
import_monitoring).

The whole file is checked first; if anything is wrong, every problem goes to stderr, one a line
with its place in the file, the command fails and nothing is written. Otherwise the file is
written in one transaction and the command prints a one-line summary of the counts. With
--dry-run it checks and counts the same way, and writes nothing.
"""

from django.core.management.base import BaseCommand, CommandError, no_translations

from .problems import ImportFileError


class ImportCommand(BaseCommand):
    """A command importing one YAML file; subclasses give `help` and `file_format`."""

    file_format = None  # a FileFormat

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"path of the YAML {self.file_format.name} file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and count the changes, write nothing",
        )

    # The importers' messages are English whatever the site's language, like the summary.
    @no_translations
    def handle(self, file, dry_run=False, **options):
        try:
            summary = self.file_format.import_file(file, dry_run=dry_run)
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
