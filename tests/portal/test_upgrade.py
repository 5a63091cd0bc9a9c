"""A database made by the first release migrates forward with every row kept.

The first release (commit d8777ed) had the roles in the portal app, RenderedPdf in monitoring and
meetings under actionplan/ (with its own app label). The test migrates the test database back to
that release's migrations, writes rows through the models as they were then, migrates forward to
today's, and reads every row back through today's models.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from actionplan.models import ActionPlan, ActionStep, Affiliation, PlanRole
from meetings.models import Meeting
from publishing.models import RenderedPdf

FIRST_RELEASE = [
    ("actionplan", "0004_step_status_not_reported"),
    ("portal", "0002_role_groups"),
    ("meetings", "0001_initial"),
    ("monitoring", "0001_initial"),
    ("publishing", None),  # not there yet
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def _first_release_data(apps):
    """Rows in every table whose owner changed, written as the first release wrote them."""
    User = apps.get_model("auth", "User")
    Jurisdiction = apps.get_model("actionplan", "Jurisdiction")
    city = Jurisdiction.objects.create(name="Old City", slug="old-city", country="Slovakia")
    plan = apps.get_model("actionplan", "ActionPlan").objects.create(
        jurisdiction=city,
        slug="old-plan",
        code="OP 24–26",
        title="Old plan",
        status="implementation",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    office = apps.get_model("actionplan", "Institution").objects.create(
        jurisdiction=city, slug="office", name="Office"
    )
    apps.get_model("actionplan", "ActionStep").objects.create(
        plan=plan, code="S1", title="A step", status="in_progress", progress=30
    )
    clerk = User.objects.create(username="clerk")
    monitor = User.objects.create(username="monitor-of-old")
    apps.get_model("portal", "Affiliation").objects.create(user=clerk, institution=office)
    apps.get_model("portal", "PlanRole").objects.create(user=monitor, plan=plan, role="monitor")
    apps.get_model("meetings", "Meeting").objects.create(
        plan=plan, slug="kick-off", title="Kick-off", start_date=datetime.date(2024, 2, 1)
    )
    apps.get_model("monitoring", "RenderedPdf").objects.create(
        key="k" * 64,
        kind="progress",
        plan=plan,
        language="sk",
        base_url="http://localhost/",
        status="ready",
        file="reports/old.pdf",
    )


@pytest.mark.django_db(transaction=True)
def test_a_first_release_database_migrates_forward_with_every_row():
    executor = _migrate(FIRST_RELEASE)
    released = [node for node in FIRST_RELEASE if node[1]]
    _first_release_data(executor.loader.project_state(released).apps)

    _migrate(None)

    plan = ActionPlan.objects.get(slug="old-plan")
    assert ActionStep.objects.get(plan=plan, code="S1").progress == 30
    assert Affiliation.objects.get().user.username == "clerk"
    role = PlanRole.objects.get()
    assert (role.user.username, role.plan, role.role) == ("monitor-of-old", plan, "monitor")
    assert Meeting.objects.get().slug == "kick-off"
    pdf = RenderedPdf.objects.get()
    assert (pdf.key, pdf.file.name, pdf.status) == ("k" * 64, "reports/old.pdf", "ready")
    # Permissions granted on the moved models keep pointing at them.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Affiliation).app_label == "actionplan"
    assert ContentType.objects.get_for_model(RenderedPdf).app_label == "publishing"
    assert not ContentType.objects.filter(app_label="portal", model="affiliation").exists()
