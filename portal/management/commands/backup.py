from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive with the database (pg_dump's custom format on PostgreSQL, a copy on "
        "SQLite), every file of the media storage and a manifest of row counts and SHA-256 "
        "checksums. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="file to write, e.g. portal-2026-12-01.tar.gz")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, archive, database, **options):
        try:
            summary = backup(archive, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{archive}: {summary}")
