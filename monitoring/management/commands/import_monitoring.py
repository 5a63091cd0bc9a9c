from django.core.management.base import BaseCommand, CommandError, no_translations

from monitoring.loader import MonitoringFileError, import_monitoring_file


class Command(BaseCommand):
    help = (
        "Import a monitoring file (monitoring bodies, reports and assessments) for plans already "
        "imported with import_plan. Updates records in place; nothing is written if any problem "
        "is found."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the YAML monitoring file")

    @no_translations
    def handle(self, file, **options):
        try:
            summary = import_monitoring_file(file)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except MonitoringFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            count = len(exc.problems)
            raise CommandError(f"{count} problem(s) found; nothing was imported.") from exc
        self.stdout.write(str(summary))
