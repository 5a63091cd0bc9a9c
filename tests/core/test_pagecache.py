"""The public page cache: what it stores, what it costs, and that every kind of write shows on the
very next request (the data version moves on, whatever wrote)."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from actionplan.models import ActionStep, Milestone, PlanRole, Role
from core import dataversion
from meetings.models import Annotation, Meeting
from meetings.services import create_annotation
from tests.personas import build_world

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "banska-bystrica.yaml"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(page_cache, settings):
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture
def world(plan, jurisdiction, priority):
    return build_world(plan, jurisdiction, priority)


def step_url(step):
    return reverse("actionplan:step", kwargs={"plan_slug": step.plan.slug, "code": step.code})


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response


def cached_then(client, url, write):
    """Fetch `url` until it is served from the cache, do the write, fetch again: the page after
    the write (it must not come from the cache)."""
    fetch(client, url)
    assert fetch(client, url)["X-Page-Cache"] == "hit"
    write()
    response = fetch(client, url)
    assert response["X-Page-Cache"] == "miss"
    return response.content.decode()


def test_a_cached_page_costs_one_query_the_data_version(client, world, django_assert_num_queries):
    url = step_url(world.step_a)
    fetch(client, url)
    with django_assert_num_queries(1):
        response = fetch(client, url)
    assert response["X-Page-Cache"] == "hit"


def test_a_page_is_cached_per_language_and_per_htmx_request(client, world):
    url = step_url(world.step_a)
    fetch(client, url)
    assert fetch(client, url.replace("/en/", "/sk/"))["X-Page-Cache"] == "miss"
    assert fetch(client, url, HTTP_HX_REQUEST="true")["X-Page-Cache"] == "miss"


def test_signed_in_people_always_get_a_fresh_page(client, world):
    client.force_login(world.users["staff_a"])
    url = step_url(world.step_a)
    fetch(client, url)
    assert "X-Page-Cache" not in fetch(client, url)


def test_a_conditional_request_is_answered_304(client, world):
    url = step_url(world.step_a)
    first = fetch(client, url)
    assert first["ETag"] and first["Last-Modified"]
    assert "must-revalidate" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_an_answer_that_sets_a_cookie_or_is_not_200_is_not_stored(client, world):
    missing = reverse("actionplan:step", kwargs={"plan_slug": world.plan.slug, "code": "NOPE"})
    assert client.get(missing).status_code == 404
    assert "X-Page-Cache" not in client.get(missing)
    login = reverse("accounts:login")  # its form sets the CSRF cookie
    assert "X-Page-Cache" not in client.get(login)
    assert "X-Page-Cache" not in client.get(login)


# --- Every kind of write shows on the next request ---------------------------------------------


def test_a_staff_update_through_the_portal(client, world):
    step = world.step_a
    staff = world.users["staff_a"]

    def write():
        other = type(client)()
        other.force_login(staff)
        url = reverse("staff:update_step", kwargs={"plan_slug": step.plan.slug, "code": step.code})
        data = {"version": step.version, "status": "in_progress", "progress": "64", "note": "x"}
        assert other.post(url, data).status_code == 302

    assert "64%" in cached_then(client, step_url(step), write)


def test_an_edit_in_the_admin(client, world):
    step = world.step_a
    admin = type(client)()
    admin.force_login(world.users["admin"])
    change = reverse("admin:actionplan_institution_change", args=[world.institution_a.pk])
    form = admin.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name_en="Office A, renamed", jurisdiction=world.jurisdiction.pk)

    def write():
        response = admin.post(change, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    assert "Office A, renamed" in cached_then(client, step_url(step), write)


def test_an_import(client, tmp_path):
    call_command("import_plan", str(FIXTURE), verbosity=0)
    step = ActionStep.objects.get(plan__slug="ap-og-24-26", code="SKBBA0004")
    edited = tmp_path / "plan.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    # The English title (the page is in English) is folded over two lines: edit its start.
    start = "Increasing the integration and use of the CoLaboratory tool"
    assert step.title_en.startswith(start) and text.count(start) == 1
    edited.write_text(text.replace(start, "Agents of Co-Existence, imported anew"))

    def write():
        call_command("import_plan", str(edited), verbosity=0)

    assert "imported anew" in cached_then(client, step_url(step), write)


def test_a_row_written_by_a_trigger(client, world):
    """A milestone's completion set in raw SQL: the history trigger writes the step change that
    the page shows; no Python code runs at all."""
    step = world.step_a
    milestone = Milestone.objects.get(step=step)

    def write():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE actionplan_milestone SET completed_on = %s WHERE id = %s",
                [datetime.date(2025, 1, 20), milestone.pk],
            )

    html = cached_then(client, step_url(step), write)
    assert "“First milestone” completed on" in html and "Jan. 20, 2025" in html


def test_the_monitoring_body_publishing_an_assessment(client, world):
    step = world.step_a
    monitor = type(client)()
    monitor.force_login(world.users["monitor"])
    url = reverse("monitoring:assessment_edit", kwargs={"plan_slug": step.plan.slug, "code": "S-A"})
    data = {
        "version": 0,
        "verifiability": "verifiable",
        "potential_for_results": "modest",
        "completion": "limited",
        "early_results": "marginal",
        "narrative_en": "Assessed and published today.",
        "evidence_links": "",
        "status": "published",
    }

    def write():
        assert monitor.post(url, data).status_code == 302

    assert "Assessed and published today." in cached_then(client, step_url(step), write)


def test_a_public_annotation_on_a_meeting(client, world):
    meeting = Meeting.objects.create(
        plan=world.plan,
        slug="session",
        title="Session",
        start_date=datetime.date(2025, 3, 4),
        is_public=True,
    )

    def write():
        create_annotation(
            Annotation(meeting=meeting, text="Agreed to publish the minutes.", visibility="public"),
            author=world.users["board"],
        )

    assert "Agreed to publish the minutes." in cached_then(
        client, meeting.get_absolute_url(), write
    )


def test_a_renamed_person_on_the_monitoring_page(client, world):
    monitor = world.users["monitor"]
    assert PlanRole.objects.filter(user=monitor, role=Role.MONITOR).exists()
    url = reverse("monitoring:body", kwargs={"plan_slug": world.plan.slug})

    def write():
        User.objects.filter(pk=monitor.pk).update(first_name="Zuzana", last_name="Nová")

    assert "Zuzana Nová" in cached_then(client, url, write)


def test_every_tracked_table_has_its_trigger():
    tables = dataversion.tracked_tables()
    assert {"actionplan_actionstep", "meetings_annotation", "auth_user"} <= set(tables)
    assert "monitoring_renderedpdf" not in tables  # the PDF cache is no page content
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'core_dv_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'core_dv_%'")
        triggers = {row[0] for row in cursor.fetchall()}
    for table in tables:
        assert any(name.startswith(f"core_dv_{table}") for name in triggers), table
