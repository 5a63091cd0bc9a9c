"""What a plan import adds to the step history that the database triggers keep."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from actionplan import backfill
from actionplan.models import ActionStep, StepUpdate
from core.importing import ImportFileError, ImportSummary, walk
from core.importing.problems import Problem


@dataclass
class PlanSummary(ImportSummary):
    step_updates: int = 0
    past_updates: int = 0

    def __str__(self):
        plural = "" if self.step_updates == 1 else "s"
        text = f"{super().__str__()}; {self.step_updates} step update{plural} recorded"
        if self.past_updates:
            text += f"; {self.past_updates} past update(s) backfilled"
        return text


def after_write(root, summary):
    record_step_updates(root, summary)
    record_past_updates(root, summary)


def record_past_updates(root, summary):
    """The `history:` of each step, stored as backfilled history (actionplan.backfill)."""
    for node in walk(root):
        entries = node.extras.get("history")
        if node.section.model is ActionStep and entries:
            try:
                summary.past_updates += backfill.record(node.instance, entries)
            except ValidationError as error:
                problems = [Problem(node.line, node.where, m) for m in error.messages]
                raise ImportFileError(summary.source, problems) from None


def record_step_updates(root, summary):
    """A StepUpdate for each existing step whose history the import moved on.

    The versions come from the database: the triggers bump them once per changed save of the step
    and once per changed milestone, so they cannot be predicted from the file alone. The bound
    steps still hold the versions read before writing, since the import never writes `version`.
    """
    old = {
        node.instance.pk: node.instance.version
        for node in walk(root)
        if node.section.model is ActionStep and not node.is_new
    }
    if not old:
        return
    now = ActionStep.objects.filter(pk__in=old).values_list("pk", "version")
    updates = [
        StepUpdate(
            step_id=pk,
            from_version=old[pk],
            to_version=version,
            source="import",
            note=f"Imported from {summary.source}.",
        )
        for pk, version in now
        if version > old[pk]
    ]
    StepUpdate.objects.bulk_create(updates)
    summary.step_updates = len(updates)
