from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Load an archive written by `backup` into an empty database and media storage, then "
        "count every table and check every file against the archive's manifest. A database "
        "that has tables is refused unless --force, which replaces all of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a file written by `manage.py backup`")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that is not empty (its tables are dropped, nothing is "
            "deleted row by row) and media files of the same names",
        )

    def handle(self, archive, database, force, **options):
        try:
            summary = restore(archive, using=database, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored and verified {archive}: {summary}")
