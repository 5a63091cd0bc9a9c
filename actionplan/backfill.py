"""Past updates of a step, brought in with their real dates when a city moves to the portal.

The step history is written by database triggers at the moment of each change, so on its own it
begins on the day of the import. A city's earlier updates (from its spreadsheet or its reports)
come in through the plan file (`history:` of a step) or a CSV file (`import_step_history`), and
are stored as history rows marked `backfilled`, dated on their own day (at noon, local time), with
version 0: they precede every version the portal counts. The plan "as of" a past day
(actionplan.history.plan_state_as_of) then folds them like any other row.

Only this module writes such rows, inside history.backfilling(); a trigger refuses them
elsewhere, so everything entered in the portal stays its own append-only record. Backfilling is
additive and idempotent: an entry for a day the step already has is skipped, never changed.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplan.history import backfilling
from actionplan.models import LANGUAGE_CHOICES, ActionStep, StepChange, StepUpdate

FIELDS = ("status", "progress", "start_date", "end_date")
NOON = datetime.time(12)


@dataclass(frozen=True)
class PastUpdate:
    day: datetime.date
    note: str
    source: str = "backfill"
    language: str = "sk"
    status: str | None = None
    progress: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    reason: str = ""  # why the dates moved, when this update moved them

    def values(self):
        """{field: text as the triggers store it} for the fields this update states."""
        out = {}
        for name in FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
        return out


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, NOON))


def check(entry, today=None):
    """The problems of one entry, as a list of messages (empty when it is fine)."""
    today = today or timezone.localdate()
    problems = []
    if entry.day > today:
        problems.append(f"date {entry.day} is in the future")
    if entry.status is not None and entry.status not in ActionStep.Status.values:
        problems.append(
            f"unknown status {entry.status!r} (allowed: {', '.join(ActionStep.Status.values)})"
        )
    if entry.progress is not None and not 0 <= entry.progress <= 100:
        problems.append("progress must be a whole number from 0 to 100")
    if entry.language not in dict(LANGUAGE_CHOICES):
        problems.append(f"unknown language {entry.language!r}")
    if not entry.note.strip():
        problems.append("a past update needs a note saying what happened")
    if not entry.values():
        problems.append("a past update states at least one of " + ", ".join(FIELDS))
    return problems


def record(step, entries):
    """Store `entries` (PastUpdate) as backfilled history of `step`; return how many were new.

    Entries on a day the step has a backfilled update for already are skipped. An entry may not
    be later than the step's first change recorded by the portal itself.
    """
    entries = sorted(entries, key=lambda e: e.day)
    if not entries:
        return 0
    for entry in entries:
        problems = check(entry)
        if problems:
            raise ValidationError(f"{step.code} {entry.day}: {'; '.join(problems)}")
    first_own = (
        StepChange.objects.filter(step=step, backfilled=False)
        .order_by("changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )
    if first_own and moment(entries[-1].day) > first_own:
        raise ValidationError(
            f"{step.code} {entries[-1].day}: past updates must be older than the portal's own "
            f"history of the step, which begins {timezone.localtime(first_own).date()}"
        )
    known = set(
        StepUpdate.objects.filter(step=step, backfilled=True).values_list("created_at", flat=True)
    )
    # What the step was before each entry, as the backfilled rows so far say.
    state = {}
    for name, value in (
        StepChange.objects.filter(step=step, backfilled=True)
        .order_by("changed_at", "id")
        .values_list("field", "new_value")
    ):
        state[name] = value
    changes, updates = _rows(step, entries, state, known)
    with transaction.atomic(), backfilling():
        StepChange.objects.bulk_create(changes)
        StepUpdate.objects.bulk_create(updates)
    return len(updates)


def _rows(step, entries, state, known):
    """The StepChange and StepUpdate rows of `entries` (oldest first) that are not `known` yet,
    from the step's `state` before them ({field: value as stored})."""
    changes, updates = [], []
    for entry in entries:
        at = moment(entry.day)
        if at in known:
            continue
        known.add(at)
        for name, value in entry.values().items():
            if state.get(name) != value:
                changes.append(
                    StepChange(
                        step=step,
                        version=0,
                        changed_at=at,
                        field=name,
                        old_value=state.get(name),
                        new_value=value,
                        backfilled=True,
                    )
                )
                state[name] = value
        updates.append(
            StepUpdate(
                step=step,
                from_version=0,
                to_version=0,
                created_at=at,
                source=entry.source[:20] or "backfill",
                note=entry.note,
                language=entry.language,
                date_reason=entry.reason,
                backfilled=True,
            )
        )
    return changes, updates


def record_for_new_steps(entries_by_step):
    """Backfill steps that have no history but their creation, all at once (sample data): the
    same rows as record(), written in two statements whatever the number of steps."""
    changes, updates = [], []
    for step, entries in entries_by_step.items():
        rows = _rows(step, sorted(entries, key=lambda e: e.day), {}, set())
        changes += rows[0]
        updates += rows[1]
    with transaction.atomic(), backfilling():
        StepChange.objects.bulk_create(changes)
        StepUpdate.objects.bulk_create(updates)
    return len(updates)


def past_updates(step):
    """The step's backfilled updates as PastUpdate, oldest first (for the plan file's export)."""
    values = {}
    for change in step.changes.all():
        if change.backfilled:
            values.setdefault(change.changed_at, {})[change.field] = change.new_value
    out = []
    for update in sorted(
        (u for u in step.updates.all() if u.backfilled), key=lambda u: u.created_at
    ):
        stated = values.get(update.created_at, {})
        out.append(
            PastUpdate(
                day=timezone.localtime(update.created_at).date(),
                note=update.note,
                source=update.source,
                language=update.language,
                status=stated.get("status"),
                progress=int(stated["progress"]) if stated.get("progress") else None,
                start_date=_date(stated.get("start_date")),
                end_date=_date(stated.get("end_date")),
                reason=update.date_reason,
            )
        )
    return out


def _date(value):
    return datetime.date.fromisoformat(value[:10]) if value else None


# --- CSV for staff who keep a spreadsheet ---------------------------------------------------

CSV_COLUMNS = ("step", "date", "status", "progress", "start_date", "end_date", "note", "source")


class CsvProblem(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_csv(text, plan, language="sk"):
    """{step: [PastUpdate]} from CSV text with a header row of CSV_COLUMNS (step and date and note
    required, the rest optional); raise CsvProblem listing every bad line, reading nothing in."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"step", "date", "note"} - set(reader.fieldnames or ())
    if missing:
        raise CsvProblem([f"line 1: missing column(s) {', '.join(sorted(missing))}"])
    steps = {s.code: s for s in plan.steps.all()}
    problems, found = [], {}
    for number, row in enumerate(reader, start=2):
        code = (row.get("step") or "").strip()
        step = steps.get(code)
        if step is None:
            problems.append(f"line {number}: no step {code!r} in {plan.code}")
            continue
        try:
            entry = PastUpdate(
                day=datetime.date.fromisoformat((row.get("date") or "").strip()),
                note=(row.get("note") or "").strip(),
                source=(row.get("source") or "").strip() or "spreadsheet",
                language=(row.get("language") or "").strip() or language,
                status=(row.get("status") or "").strip() or None,
                progress=int(row["progress"]) if (row.get("progress") or "").strip() else None,
                start_date=_date((row.get("start_date") or "").strip()),
                end_date=_date((row.get("end_date") or "").strip()),
            )
        except ValueError as error:
            problems.append(f"line {number}: {error}")
            continue
        problems += [f"line {number}: {p}" for p in check(entry)]
        found.setdefault(step, []).append(entry)
    if problems:
        raise CsvProblem(problems)
    return found


def import_csv(text, plan, language="sk"):
    """Backfill the past updates of a CSV file in one transaction; return how many were new."""
    found = parse_csv(text, plan, language)
    with transaction.atomic():
        try:
            return sum(record(step, entries) for step, entries in found.items())
        except ValidationError as error:
            raise CsvProblem(error.messages) from None
