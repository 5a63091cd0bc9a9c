"""The plan file: one YAML file per jurisdiction with its institutions, people, plans and groups.

fixtures/README.md documents the format for the people who edit it. One schema (schema.py) drives
both directions: `import_plan_file` reads a file, validates all of it, then writes it in one
transaction; `export_jurisdiction` writes the same format back. Records are matched by natural
keys (slugs, codes, titles), never by database ids, so a file can be imported again and again:
unchanged records are not written, which keeps the trigger-kept step history free of noise. The
engine is core.importing; what is the plan file's own is its schema and the step updates an import
records (history.py).
"""

from django.db.models import Q

from actionplan.models import ActionPlan, StakeholderGroup
from core.importing import FileFormat

from .history import PlanSummary, after_write
from .schema import FORMAT, ROOT, tree_queryset

PLAN_FILE = FileFormat(
    "plan",
    FORMAT,
    ROOT,
    after_write=after_write,
    summary=PlanSummary,
    header=(
        "# OGP Local portal plan file; the format is described in fixtures/README.md.\n"
        "# Written by `manage.py export_plan`; import with `manage.py import_plan FILE`.\n"
    ),
)


def import_plan_text(text, source="<text>", dry_run=False):
    """Validate the whole file, then write it in one transaction; raise ImportFileError if invalid.

    Records are matched by natural key and updated in place; only changed fields are written.
    """
    return PLAN_FILE.import_text(text, source, dry_run)


def import_plan_file(path, dry_run=False):
    return PLAN_FILE.import_file(path, dry_run)


def export_jurisdiction(jurisdiction, plan=None):
    """The plan file for a jurisdiction, or for one of its plans (then with only that plan and
    the groups not tied to another plan). Deterministic: the same data gives the same bytes."""
    plans = groups = None
    if plan is not None:
        plans = ActionPlan.objects.filter(pk=plan.pk)
        groups = StakeholderGroup.objects.filter(Q(plan__isnull=True) | Q(plan=plan))
    return PLAN_FILE.export(tree_queryset(plans, groups).get(pk=jurisdiction.pk))
