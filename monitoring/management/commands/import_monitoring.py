from core.importing.command import ImportCommand
from monitoring.loader import MONITORING_FILE


class Command(ImportCommand):
    help = (
        "Import a monitoring file (monitoring bodies, reports and assessments; format in "
        "monitoring/loader.py) for plans already imported with import_plan. The whole file is "
        "validated first and every problem reported with its line; then it is written in one "
        "transaction, updating records in place."
    )
    file_format = MONITORING_FILE
