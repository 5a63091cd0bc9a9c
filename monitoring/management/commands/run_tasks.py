from django.core.management.base import BaseCommand

from monitoring.taskqueue import work


class Command(BaseCommand):
    help = (
        "Run the background tasks queued by the database task backend (settings TASKS_BACKEND="
        "database), such as rendering PDF reports. Runs until stopped, or with --once until the "
        "queue is empty. Several workers may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues", help="queue name(s) to run")
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, queues, once, interval, **options):
        done = work(queues or ["default"], once=once, interval=interval)
        self.stdout.write(f"{done} task(s) run")
