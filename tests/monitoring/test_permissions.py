"""Who may change monitoring data.

The matrix rows are in permission_rows.py. The tests here cover what a matrix row cannot: unmarked
views, another plan's monitor, drafts.
"""

import datetime

import pytest
from django.urls import reverse

from monitoring.models import Assessment, MonitoringReport
from tests.monitoring.factories import assessment_data, assessment_url
from tests.personas import changes_data, url_patterns


def monitoring_urls():
    """(name, marked @changes_data, its URL parameters) of every URL of the monitoring app."""
    for namespace, pattern in url_patterns():
        if namespace and namespace[-1] == "monitoring":
            params = list(pattern.pattern.converters)
            yield f"monitoring:{pattern.name}", changes_data(pattern), params


def test_monitoring_urls_not_marked_as_changing_data_refuse_to_change_anything(
    client, monitoring_world
):
    """An unmarked view would escape the matrix: a POST to each must change nothing."""
    client.force_login(monitoring_world.users["admin"])
    values = {"plan_slug": monitoring_world.plan.slug, "code": "S-A", "pk": 1, "dataset": "steps"}
    for name, changes, params in monitoring_urls():
        if changes:
            continue
        url = reverse(name, kwargs={param: values[param] for param in params})
        response = client.post(url, {"title": "x", "name": "x", "status": "published"})
        assert response.status_code in (404, 405), name
    assert not Assessment.objects.exists() and not MonitoringReport.objects.exists()


def test_a_monitor_of_another_plan_cannot_assess_this_one(client, monitoring_world, jurisdiction):
    from actionplan.models import ActionPlan, PlanRole

    other = ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="other",
        code="OTHER",
        title="Other plan",
        status=ActionPlan.Status.PUBLISHED,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2025, 1, 1),
    )
    monitor = monitoring_world.users["monitor"]
    PlanRole.objects.filter(user=monitor).update(plan=other)
    client.force_login(monitor)
    response = client.post(assessment_url(monitoring_world.step_a), assessment_data())
    assert response.status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("persona", ["anonymous", "staff_a", "coordinator", "board"])
def test_drafts_are_not_found_by_anyone_but_monitors(client, monitoring_world, persona):
    world = monitoring_world
    report = MonitoringReport.objects.create(
        plan=world.plan, kind="inception", title="Draft inception", authors="X", status="draft"
    )
    Assessment.objects.create(step=world.step_a, status="draft", narrative="Secret draft text")
    if world.users[persona]:
        client.force_login(world.users[persona])
    kwargs = {"plan_slug": world.plan.slug, "pk": report.pk}
    assert client.get(reverse("monitoring:report", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("publishing:report_pdf", kwargs=kwargs)).status_code == 404
    body_page = client.get(reverse("monitoring:body", kwargs={"plan_slug": world.plan.slug}))
    assert b"Draft inception" not in body_page.content
    sheet = client.get(
        reverse("publishing:step_sheet", kwargs={"plan_slug": world.plan.slug, "code": "S-A"})
    )
    assert b"Secret draft text" not in sheet.content


def test_monitors_see_their_drafts(client, monitoring_world):
    world = monitoring_world
    report = MonitoringReport.objects.create(
        plan=world.plan, kind="inception", title="Draft inception", authors="X", status="draft"
    )
    client.force_login(world.users["monitor"])
    kwargs = {"plan_slug": world.plan.slug, "pk": report.pk}
    assert client.get(reverse("monitoring:report", kwargs=kwargs)).status_code == 200
    body_page = client.get(reverse("monitoring:body", kwargs={"plan_slug": world.plan.slug}))
    assert b"Draft inception" in body_page.content
