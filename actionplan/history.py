"""Reading the step history that the database triggers write (see actionplan/history_sql.py)."""

import datetime
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

from actionplan import history_sql
from actionplan.models import StepChange
from core.dates import end_of_day


@dataclass
class StepState:
    """What a step looked like at one moment."""

    status: str | None = None
    progress: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    version: int = 0
    milestones_completed: dict[int, datetime.date | None] = field(default_factory=dict)


def plan_state_as_of(plan, moment):
    """{step id: StepState} for every step of `plan` that existed at `moment`.

    `moment` is an aware datetime or a date (meaning the end of that day in the site's time zone).
    Steps created later are absent. Folds the append-only history, so it is exact for any past date.
    """
    if isinstance(moment, datetime.date) and not isinstance(moment, datetime.datetime):
        moment = end_of_day(moment)
    rows = (
        StepChange.objects.filter(step__plan=plan, changed_at__lte=moment)
        .order_by("changed_at", "id")
        .values_list("step_id", "version", "field", "milestone_id", "new_value")
    )
    states = {}
    for step_id, version, name, milestone_id, value in rows:
        state = states.setdefault(step_id, StepState())
        state.version = max(state.version, version)
        if name == StepChange.Field.STATUS:
            state.status = value
        elif name == StepChange.Field.PROGRESS:
            state.progress = int(value) if value is not None else None
        elif name in (StepChange.Field.START_DATE, StepChange.Field.END_DATE):
            setattr(state, name, datetime.date.fromisoformat(value) if value else None)
        elif name == StepChange.Field.MILESTONE:
            state.milestones_completed[milestone_id] = (
                datetime.date.fromisoformat(value) if value else None
            )
    return states


# --- Purging the history -------------------------------------------------------------------------

_purge = threading.local()


def purge_allowed():
    """Asked by the SQLite triggers that refuse deleting history (see history_sql)."""
    return getattr(_purge, "on", False)


def register_purge_function(sender, connection, **kwargs):
    """connection_created receiver: SQLite's history triggers call these functions."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            history_sql.PURGE_FUNCTION, 0, purge_allowed, deterministic=False
        )
        connection.connection.create_function(
            history_sql.BACKFILL_FUNCTION, 0, backfill_allowed, deterministic=False
        )


# --- Backfilling past updates ---------------------------------------------------------------------

_backfill = threading.local()


def backfill_allowed():
    """Asked by the SQLite triggers that guard backfilled rows (see history_sql)."""
    return getattr(_backfill, "on", False)


@contextmanager
def _permission(flag, setting):
    """While inside, the triggers allow what `flag` (SQLite) or `setting` (PostgreSQL) names."""
    flag.on = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET {setting} = 'on'")
    try:
        yield
    finally:
        flag.on = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"RESET {setting}")


def backfilling():
    """Let rows marked backfilled be inserted while inside: only for the importers of past
    updates (actionplan.backfill)."""
    return _permission(_backfill, history_sql.BACKFILL_SETTING)


def purging_history():
    """Let the history tables be emptied while inside: only for emptying the whole database."""
    return _permission(_purge, history_sql.PURGE_SETTING)
