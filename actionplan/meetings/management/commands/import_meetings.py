from django.core.management.base import BaseCommand, CommandError

from actionplan.meetings.importer import import_meetings_file
from actionplan.planfile import PlanFileError


class Command(BaseCommand):
    help = (
        "Import a meetings file (format in actionplan/meetings/importer.py). The whole file is "
        "validated first and every problem reported with its line; then it is written in one "
        "transaction, updating meetings in place by plan and slug. The plans must exist "
        "(import_plan first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the YAML meetings file")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count the changes, write nothing"
        )

    def handle(self, file, dry_run, **options):
        try:
            summary = import_meetings_file(file, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from exc
        except PlanFileError as exc:
            for line in exc.lines():
                self.stderr.write(line)
            count = len(exc.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was imported."
            ) from exc
        self.stdout.write(str(summary))
