"""Backfill a plan's past step updates from a CSV file kept by staff in a spreadsheet."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actionplan import backfill
from actionplan.models import ActionPlan


class Command(BaseCommand):
    help = (
        "Bring in past updates of a plan's steps with their real dates from a CSV file with the "
        f"columns {', '.join(backfill.CSV_COLUMNS)} (step, date and note required). They are "
        "stored as backfilled history; a day a step already has is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's slug, e.g. ap-og-24-26")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--language", default="sk", help="language of the notes without their own (sk)"
        )

    def handle(self, plan, file, language, **options):
        found = ActionPlan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"no plan {plan!r}")
        try:
            count = backfill.import_csv(file.read_text(encoding="utf-8"), found, language)
        except backfill.CsvProblem as problem:
            raise CommandError(f"{file}: nothing imported:\n{problem}") from None
        self.stdout.write(f"{file.name}: {count} past update(s) backfilled for {found.code}")
