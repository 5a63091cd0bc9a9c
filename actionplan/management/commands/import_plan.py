from actionplan.importing import ImportCommand
from actionplan.planfile import import_plan_file


class Command(ImportCommand):
    help = (
        "Import a plan file (fixtures/README.md describes the format). The whole file is "
        "validated first and every problem is reported; then it is written in one transaction, "
        "updating existing records in place by their slugs and codes."
    )
    noun = "plan"
    importer = staticmethod(import_plan_file)
