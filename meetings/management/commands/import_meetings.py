from actionplan.importing import ImportCommand
from meetings.importer import import_meetings_file


class Command(ImportCommand):
    help = (
        "Import a meetings file (format in meetings/importer.py). The whole file is "
        "validated first and every problem reported with its line; then it is written in one "
        "transaction, updating meetings in place by plan and slug. The plans must exist "
        "(import_plan first)."
    )
    noun = "meetings"
    importer = staticmethod(import_meetings_file)
