from django.core.management.base import BaseCommand, CommandError

from publishing import recovery


class Command(BaseCommand):
    help = (
        "Close background jobs whose worker died (left running for ever) and queue their PDFs "
        "again. Run it before starting a worker, with that worker's id, and now and then with "
        "--older-than for workers that never come back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker-id", help="jobs this worker was running (it is about to start again)"
        )
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="SECONDS",
            help="jobs running for longer than this (longer than any render takes)",
        )

    def handle(self, *, worker_id, older_than, verbosity, **options):
        if not worker_id and older_than is None:
            raise CommandError("give --worker-id, --older-than SECONDS, or both")
        closed, requeued, given_up = recovery.recover(
            worker_id=worker_id, older_than=recovery.parse_age(older_than)
        )
        if verbosity:
            self.stdout.write(
                f"{closed} lost job(s) closed; {requeued} PDF(s) queued again, {given_up} given up"
            )
