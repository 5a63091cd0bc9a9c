import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from following.tasks import run_round


class Command(BaseCommand):
    help = (
        "Every FOLLOWING_TICK_SECONDS: read what happened, compose the mails that are due (digests,"
        " overdue steps, the weekly reminder) and hand them to the task worker. Run it beside "
        "`manage.py db_worker`; --once for a single round (e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, once, **options):
        while True:
            result = run_round()
            if once or options["verbosity"] > 1 or result.mails or result.reminders:
                self.stdout.write(f"following: {result}")
            if once:
                return
            close_old_connections()
            time.sleep(settings.FOLLOWING_TICK_SECONDS)
