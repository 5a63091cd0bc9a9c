import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from publishing.delivery import prune


class Command(BaseCommand):
    help = (
        "Delete cached PDF reports requested more than --days ago (default 30); they are made "
        "again on demand."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, days, **options):
        count = prune(timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(f"{count} cached PDF(s) deleted")
