"""Open data: CSV and JSON downloads, the paged JSON API and its OpenAPI description.

Drafts and board-only content carry a SECRET marker in every test here; it must never appear in
any output, while the PUBLIC marker does.
"""

import csv
import datetime
import io
import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from actionplan.models import StepUpdate
from meetings.models import Annotation, Meeting
from monitoring.models import Assessment, MonitoringReport
from publishing import opendata

SECRET = "SECRET-MARKER"
PUBLIC = "PUBLIC-MARKER"


@pytest.fixture
def world(monitoring_world):
    world = monitoring_world
    plan = world.plan
    public = Meeting.objects.create(
        plan=plan,
        slug="public",
        title=f"Meeting {PUBLIC}",
        start_date=datetime.date(2025, 3, 4),
        is_public=True,
    )
    draft = Meeting.objects.create(
        plan=plan,
        slug="draft",
        title=f"Meeting {SECRET}",
        start_date=datetime.date(2025, 3, 5),
        is_public=False,
    )
    public.participation.create(count=12, description="residents")
    author = world.users["board"]
    Annotation.objects.create(meeting=public, author=author, text=f"Note {PUBLIC}")
    Annotation.objects.create(
        meeting=public,
        author=author,
        text=f"Board {SECRET}",
        visibility=Annotation.Visibility.BOARD,
    )
    Annotation.objects.create(meeting=draft, author=author, text=f"On a draft meeting {SECRET}")
    Assessment.objects.create(
        step=world.step_a,
        status="published",
        narrative=f"A {PUBLIC}",
        relevance_civic_participation=True,
        completion="limited",
    )
    Assessment.objects.create(step=world.step_b, status="draft", narrative=f"A {SECRET}")
    MonitoringReport.objects.create(
        plan=plan, kind="inception", title=f"R {PUBLIC}", authors="X", status="published"
    )
    MonitoringReport.objects.create(
        plan=plan, kind="inception", title=f"R {SECRET}", authors="X", status="draft"
    )
    world.step_a.progress = 30
    world.step_a.save()
    StepUpdate.objects.create(
        step=world.step_a,
        from_version=1,
        to_version=2,
        institution=world.institution_a,
        actor=world.users["staff_a"],
        note=f"Workshop held {PUBLIC}",
    )
    return world


def download(client, plan, dataset, fmt):
    name = f"publishing:download_{fmt}"
    response = client.get(reverse(name, kwargs={"plan_slug": plan.slug, "dataset": dataset}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{plan.slug}-{dataset}.{fmt}"'
    return response.content.decode()


def api(client, path, **params):
    return client.get(f"/en/api/v1/{path}", params)


def test_no_output_contains_drafts_or_board_only_content(client, world):
    everything = []
    for dataset in opendata.DATASETS:
        everything.append(download(client, world.plan, dataset.name, "csv"))
        everything.append(download(client, world.plan, dataset.name, "json"))
        response = api(client, f"plans/{world.plan.slug}/{dataset.name}/", page_size=200)
        assert response.status_code == 200
        everything.append(response.content.decode())
    text = "\n".join(everything)
    assert SECRET not in text
    for public in (
        f"Meeting {PUBLIC}",
        f"Note {PUBLIC}",
        f"A {PUBLIC}",
        f"R {PUBLIC}",
        f"Workshop held {PUBLIC}",
    ):
        assert public in text, public
    history = json.loads(download(client, world.plan, "history", "json"))["results"]
    assert not any("staff" in str(value) for row in history for value in row.values())


def test_csv_has_a_header_and_a_row_per_record(client, world):
    rows = list(csv.DictReader(io.StringIO(download(client, world.plan, "steps", "csv"))))
    assert [row["code"] for row in rows] == ["S-A", "S-B"]
    assert rows[0]["progress"] == "30" and rows[0]["lead_institutions"] == "Office A"
    history = list(csv.DictReader(io.StringIO(download(client, world.plan, "history", "csv"))))
    progress_change = next(
        r for r in history if (r["step_code"], r["version"], r["field"]) == ("S-A", "2", "progress")
    )
    assert progress_change["institution"] == "Office A"
    assert progress_change["note"] == f"Workshop held {PUBLIC}"


def test_json_download_carries_the_licence_and_field_descriptions(client, world):
    payload = json.loads(download(client, world.plan, "assessments", "json"))
    assert payload["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    columns = opendata.BY_NAME["assessments"].columns
    assert set(payload["fields"]) == {column.name for column in columns}
    (record,) = payload["results"]
    assert record["relevance_civic_participation"] is True
    assert record["relevance_public_accountability"] is None
    assert record["completion"] == "limited" and record["verifiability"] is None


def test_the_api_pages_its_results(client, world):
    first = api(client, f"plans/{world.plan.slug}/steps/", page_size=1).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["results"][0]["code"] == "S-B" and second["next"] is None
    beyond = api(client, f"plans/{world.plan.slug}/steps/", page=3, page_size=1)
    assert beyond.status_code == 404 and "error" in beyond.json()
    bad = api(client, f"plans/{world.plan.slug}/steps/", page="two")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    assert api(client, "plans/no-such-plan/steps/").status_code == 404
    assert api(client, "plans/").json()["results"][0]["datasets"]["steps"].endswith("/steps/")


def test_the_open_data_page_lists_datasets_licence_and_fields(client, world):
    page = client.get(reverse("publishing:open_data", kwargs={"plan_slug": world.plan.slug}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "CC BY 4.0" in content and 'rel="license"' in content
    for dataset in opendata.DATASETS:
        assert f"/open-data/{dataset.name}.csv" in content
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in content


def test_the_api_conforms_to_its_openapi_description(world, settings):
    """schemathesis generates requests from the description and checks every response against
    it, through the WSGI application (no server): no 5xx, documented status codes, content
    types and bodies."""
    import schemathesis

    from portal.wsgi import application

    settings.ALLOWED_HOSTS = ["*"]
    # As Django's test client does: the handler must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/en/api/v1/openapi.json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 2 + len(opendata.DATASETS)
        for operation in operations:

            @given(case=operation.as_strategy())
            @hypothesis_settings(
                max_examples=15,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                case.call_and_validate()

            check()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_meeting_whose_groups_were_not_counted_has_no_participant_figure(client, world):
    """The demo data records groups present without a number; that was a 500 before."""
    uncounted = Meeting.objects.create(
        plan=world.plan,
        slug="uncounted",
        title="Forum",
        start_date=datetime.date(2025, 4, 1),
        is_public=True,
    )
    uncounted.participation.create(description="a group, not counted")
    world_counted = Meeting.objects.get(slug="public")
    world_counted.participation.create(description="another group, not counted")
    for name in ("download_csv", "download_json"):
        url = reverse(
            f"publishing:{name}", kwargs={"plan_slug": world.plan.slug, "dataset": "meetings"}
        )
        assert client.get(url).status_code == 200
    api = reverse(
        "publishing:api_dataset", kwargs={"plan_slug": world.plan.slug, "dataset": "meetings"}
    )
    rows = {row["slug"]: row for row in client.get(api).json()["results"]}
    assert rows["uncounted"]["participants"] is None
    assert rows["public"]["participants"] == 12


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, world, formula):
    world.step_a.refresh_from_db()
    version = world.step_a.version
    world.step_a.progress = 40
    world.step_a.save()
    StepUpdate.objects.create(
        step=world.step_a,
        from_version=version,
        to_version=version + 1,
        institution=world.institution_a,
        note=formula,
    )
    url = reverse(
        "publishing:download_csv", kwargs={"plan_slug": world.plan.slug, "dataset": "history"}
    )
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    notes = [row["note"] for row in rows if row["note"].endswith(formula[1:])]
    assert notes == ["'" + formula]
    json_url = url.replace(".csv", ".json")
    assert formula in [row["note"] for row in client.get(json_url).json()["results"]]
