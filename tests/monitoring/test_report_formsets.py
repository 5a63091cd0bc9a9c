"""A report's answers come as a formset; a tampered or missing management form is the client's
mistake: 400 with a message, never a server error, and nothing is saved."""

import pytest
from django.urls import reverse

from monitoring.models import MonitoringReport


@pytest.fixture
def monitor(client, monitoring_world):
    client.force_login(monitoring_world.users["monitor"])
    return client


def report_of(world, kind, monitor):
    url = reverse("monitoring:report_new", kwargs={"plan_slug": world.plan.slug})
    data = {
        "version": 0,
        "authors": "K. V.",
        "status": "draft",
        "kind": kind,
        "title_en": "A report",
        "steps": [world.step_a.pk],
    }
    assert monitor.post(url, data).status_code == 302
    return MonitoringReport.objects.get(kind=kind)


def posted(report, prefix, rows, **management):
    data = {
        "version": report.version,
        "title_en": "Changed title",
        "authors": "K. V.",
        "status": "draft",
        "steps": list(report.steps.values_list("pk", flat=True)),
    }
    for n, row in enumerate(rows):
        data[f"{prefix}-{n}-id"] = row.pk
    data.update({f"{prefix}-{key}": value for key, value in management.items()})
    return data


TAMPERINGS = {
    "missing management form": {},
    "more forms than rows": {"TOTAL_FORMS": 50, "INITIAL_FORMS": 50},
    "more initial forms than rows": {"TOTAL_FORMS": 1, "INITIAL_FORMS": 9},
    "extra new rows": {"TOTAL_FORMS": 5, "INITIAL_FORMS": 1},
    "not a number": {"TOTAL_FORMS": "many", "INITIAL_FORMS": "1"},
    "negative": {"TOTAL_FORMS": -3, "INITIAL_FORMS": -1},
    "beyond the absolute maximum": {"TOTAL_FORMS": 10**6, "INITIAL_FORMS": 10**6},
    "fewer forms than rows": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
}


KINDS = [("inception", "checklist"), ("end_of_commitment", "results")]


@pytest.mark.parametrize("kind,prefix", KINDS)
@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_a_tampered_management_form_gets_400_with_a_message(
    monitor, monitoring_world, kind, prefix, tampering
):
    report = report_of(monitoring_world, kind, monitor)
    rows = list(report.checklist.all() if prefix == "checklist" else report.results.all())
    data = posted(report, prefix, rows, **TAMPERINGS[tampering])
    kwargs = {"plan_slug": report.plan.slug, "pk": report.pk}
    response = monitor.post(reverse("monitoring:report_edit", kwargs=kwargs), data)
    assert response.status_code == 400, tampering
    assert "The form was changed" in response.content.decode()
    report.refresh_from_db()
    assert report.title_en == "A report"
