from actionplan.planfile import PLAN_FILE
from core.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a plan file (fixtures/README.md describes the format). The whole file is "
        "validated first and every problem is reported; then it is written in one transaction, "
        "updating existing records in place by their slugs and codes."
    )
    file_format = PLAN_FILE
