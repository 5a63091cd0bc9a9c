"""Django's flush, allowed to empty the step history: the history refuses DELETE and TRUNCATE
except while the whole database is being emptied on purpose (the test runner flushes too)."""

from django.core.management.commands import flush

from actionplan.history import purging_history


class Command(flush.Command):
    def handle(self, **options):
        with purging_history():
            return super().handle(**options)
