from actionplan.importing import ImportCommand
from monitoring.loader import import_monitoring_file


class Command(ImportCommand):
    help = (
        "Import a monitoring file (monitoring bodies, reports and assessments) for plans already "
        "imported with import_plan. Updates records in place; nothing is written if any problem "
        "is found."
    )
    noun = "monitoring"
    can_dry_run = False
    importer = staticmethod(import_monitoring_file)
