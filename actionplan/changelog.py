"""The step history as people read it: the trigger-written changes (StepChange) grouped into one
entry per update, with the note, the institution and the evidence that the update recorded."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Max
from django.utils import formats
from django.utils.translation import gettext as _

from actionplan.models import ActionStep, StepChange, StepUpdate
from core.text import percent


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    new_is_set: bool = True


@dataclass
class ChangeGroup:
    """The changes that made one version of a step, with who recorded them and why."""

    step: ActionStep
    version: int
    changed_at: datetime.datetime
    created: bool = False
    changes: list = field(default_factory=list)
    update: StepUpdate | None = None
    # All versions in the group, newest first: more than one after merge_by_update().
    versions: list = field(default_factory=list)

    @property
    def note(self):
        return self.update.note if self.update else ""

    @property
    def backfilled(self):
        return bool(self.update and self.update.backfilled)

    @property
    def date_reason(self):
        return self.update.date_reason if self.update else ""

    @property
    def institution(self):
        return self.update.institution if self.update else None

    def initial_values(self):
        """For the version that created the step: the values it started with."""
        return [c for c in self.changes if c.new_is_set]

    def summary(self):
        """One line, e.g. "status In progress → Completed; progress 40 % → 100 %"."""
        if self.created:
            return _("step added to the plan")
        # Lower case for the label inside the sentence, but not for a milestone's title in it.
        return "; ".join(
            f"{c.label[:1].lower()}{c.label[1:]} {c.old} → {c.new}" for c in self.changes
        )


def _display_value(change, value):
    if value is None or value == "":
        return _("not set")
    if change.field == StepChange.Field.STATUS:
        return str(ActionStep.Status(value).label) if value in ActionStep.Status.values else value
    if change.field == StepChange.Field.PROGRESS:
        return percent(value)
    # Dates are stored as ISO text by the triggers.
    try:
        return formats.date_format(datetime.date.fromisoformat(value[:10]), "DATE_FORMAT")
    except ValueError:
        return value


def _field_label(change):
    if change.field == StepChange.Field.MILESTONE:
        title = change.milestone.title if change.milestone else _("removed milestone")
        return _("milestone “%(title)s” completed on") % {"title": title}
    # The enum's label directly: get_field_display() hashes the whole choices list each call.
    if change.field in StepChange.Field.values:
        return str(StepChange.Field(change.field).label)
    return change.field


def _group_changes(rows, updates):
    """Fold StepChange rows (newest first) into ChangeGroups, attaching the StepUpdate whose
    version range (from_version, to_version] holds each version."""
    groups = []
    # Backfilled rows all have version 0: their date tells one past update from another.
    for (step_id, version, at), items in groupby(
        rows, key=lambda c: (c.step_id, c.version, c.changed_at if c.backfilled else None)
    ):
        items = list(items)
        group = ChangeGroup(
            step=items[0].step, version=version, changed_at=items[0].changed_at, versions=[version]
        )
        for change in items:
            group.changed_at = max(group.changed_at, change.changed_at)
            if change.field == StepChange.Field.CREATED:
                group.created = True
            else:
                group.changes.append(
                    FieldChange(
                        _field_label(change),
                        _display_value(change, change.old_value),
                        _display_value(change, change.new_value),
                        new_is_set=change.new_value not in (None, ""),
                    )
                )
        group.update = next(
            (
                u
                for u in updates
                if u.step_id == step_id
                and (
                    (at is not None and u.backfilled and u.created_at == at)
                    or (
                        at is None and not u.backfilled and u.from_version < version <= u.to_version
                    )
                )
            ),
            None,
        )
        groups.append(group)
    return groups


def merge_by_update(groups):
    """Join the versions that one update made (the step's row, then each milestone's) into one
    entry, so that its note is shown once. `groups` is newest first, as _group_changes gives it;
    within an entry the changes read in the order they were made."""
    merged = []
    for group in groups:
        newer = merged[-1] if merged else None
        if (
            newer
            and group.update
            and newer.update
            and newer.update.pk == group.update.pk
            and newer.step.pk == group.step.pk
        ):
            newer.changes[:0] = group.changes
            newer.versions.append(group.version)
            newer.created = newer.created or group.created
        else:
            merged.append(group)
    return merged


def step_history(step, with_people=False):
    """Every update of one step, newest first (merge_by_update).

    The public sees which institution recorded a change; with_people (for the portal's team)
    also loads the person who did.
    """
    # milestone: its title labels a milestone change. The related manager sets row.step.
    rows = list(step.changes.select_related("milestone").order_by("-version", "id"))
    # Backfilled past updates (version 0) newest first; the sort keeps each version's own order.
    rows.sort(key=lambda c: (-c.version, -c.changed_at.timestamp() if c.backfilled else 0))
    # evidence: listed under each update's note, for the public too.
    updates = step.updates.select_related("institution__jurisdiction").prefetch_related("evidence")
    if with_people:
        updates = updates.select_related("actor")
    return merge_by_update(_group_changes(rows, list(updates)))


def recent_changes(plan, limit, steps=None):
    """The latest `limit` step versions of a plan (of `steps` only, a queryset, if given), newest
    first, as ChangeGroups.

    Three plain queries: the keys (step, version) of the latest versions, then the change rows
    and the updates of those steps from the oldest of these versions on, narrowed to the keys
    here. (One OR-ed condition per key cost more to build than the queries took to run.)
    """
    # Backfilled rows are the plan's past, dated before the import: not news.
    changes = StepChange.objects.filter(step__plan=plan, backfilled=False)
    if steps is not None:
        changes = changes.filter(step__in=steps)
    keys = list(
        changes.values_list("step_id", "version")
        .annotate(at=Max("changed_at"))
        .order_by("-at", "-step_id", "-version")[:limit]
    )
    if not keys:
        return []
    order = {(step_id, version): n for n, (step_id, version, _at) in enumerate(keys)}
    step_ids = {step_id for step_id, _version, _at in keys}
    oldest = min(version for _step_id, version, _at in keys)
    # step: each entry names and links it; milestone: its title labels a milestone change.
    candidates = StepChange.objects.filter(step_id__in=step_ids, version__gte=oldest)
    rows = sorted(
        (
            row
            for row in candidates.select_related("step", "milestone")
            if (row.step_id, row.version) in order
        ),
        key=lambda c: (order[c.step_id, c.version], c.id),
    )
    for row in rows:
        row.step.plan = plan
    updates = StepUpdate.objects.filter(step_id__in=step_ids, to_version__gte=oldest)
    return _group_changes(rows, list(updates.select_related("institution__jurisdiction")))


def versions_of(step, from_version, to_version):
    """The entries of versions from_version+1 … to_version of one step (what one update made),
    newest first, as step_history() shows them."""
    # milestone: its title labels a milestone change. The related manager sets row.step.
    rows = list(
        step.changes.filter(version__gt=from_version, version__lte=to_version)
        .select_related("milestone")
        .order_by("-version", "id")
    )
    # evidence: listed under the update's note.
    updates = (
        step.updates.filter(from_version__lt=to_version, to_version__gt=from_version)
        .select_related("institution__jurisdiction")
        .prefetch_related("evidence")
    )
    return merge_by_update(_group_changes(rows, list(updates)))
