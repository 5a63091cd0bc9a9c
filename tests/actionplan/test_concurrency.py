"""No lost updates: two people saving the same version of a step at the same moment.

The sequential case (a stale version is refused with 409) is in test_step_editing.py; here two
real transactions overlap, each on its own database connection (one thread each).
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from actionplan import editing
from actionplan.models import ActionStep, StepUpdate
from core.editing import StaleEdit
from portal.accounts import create_demo_accounts

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one transaction write at a time (BEGIN IMMEDIATE), so two writing "
    "transactions cannot overlap there; run with DATABASE_URL=postgres://… to prove this",
)


def in_thread(target):
    """Run target() in a thread with its own connection; return (thread, outcome dict)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as exc:  # recorded for the assertions of the main thread
            outcome["error"] = exc
        finally:
            outcome["done_at"] = time.monotonic()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_saves_of_one_version_keep_one_and_refuse_the_other(
    step, plan, institution, jurisdiction
):
    create_demo_accounts(plan, institution, institution, password=None)
    from django.contrib.auth.models import User

    first_user, second_user = (
        User.objects.get(username="staff"),
        User.objects.get(username="coordinator"),
    )
    first_updated = threading.Event()
    hold = 0.5  # how long the first transaction stays open after its UPDATE

    def first():
        with transaction.atomic():
            update = editing.update_step(
                ActionStep.objects.get(pk=step.pk),
                user=first_user,
                version=1,
                status="in_progress",
                progress=40,
                completed_milestones=set(),
                note="First.",
            )
            first_updated.set()
            time.sleep(hold)  # the second save starts now, against the same version
        return update

    def second():
        first_updated.wait(5)
        started = time.monotonic()
        try:
            return editing.update_step(
                ActionStep.objects.get(pk=step.pk),
                user=second_user,
                version=1,
                status="on_hold",
                progress=10,
                completed_milestones=set(),
                note="Second.",
            )
        finally:
            second_started.append(started)

    second_started = []
    thread_1, outcome_1 = in_thread(first)
    thread_2, outcome_2 = in_thread(second)
    thread_1.join(10)
    thread_2.join(10)

    assert "error" not in outcome_1, outcome_1.get("error")
    assert isinstance(outcome_2.get("error"), StaleEdit), outcome_2
    # The second UPDATE waited for the first transaction's row lock, then matched no row.
    assert outcome_2["done_at"] - second_started[0] > hold * 0.6
    step.refresh_from_db()
    assert (step.status, step.progress, step.version) == ("in_progress", 40, 2)
    assert list(StepUpdate.objects.values_list("note", "from_version", "to_version")) == [
        ("First.", 1, 2)
    ]
