from core.importing.command import ImportCommand
from meetings.importer import MEETINGS_FILE


class Command(ImportCommand):
    help = (
        "Import a meetings file (format in meetings/importer.py). The whole file is "
        "validated first and every problem reported with its line; then it is written in one "
        "transaction, updating meetings in place by plan and slug. The plans must exist "
        "(import_plan first)."
    )
    file_format = MEETINGS_FILE
