"""Who may change monitoring data.

MONITORING_ROWS are the monitoring rows of the permission matrix (tests/test_permission_matrix.py,
which runs them for every persona); they use only what its `world` holds (plan, step_a/b, users).
The tests here cover what a matrix row cannot: unmarked views, another plan's monitor, drafts.

The other monitoring test modules import `monitoring_world` and the helpers from here.
"""

import datetime

import pytest
from django.urls import reverse

from monitoring.models import Assessment, MonitoringBody, MonitoringReport, Publication
from tests.permissions import Row, build_world, changes_data, url_patterns

MONITORS = {"monitor", "admin"}


def assessment_data(version=0, **values):
    data = {
        "version": version,
        "verifiability": "verifiable",
        "potential_for_results": "modest",
        "completion": "limited",
        "early_results": "marginal",
        "narrative": "Work has started; the first workshop took place.",
        "evidence_links": "",
        "status": Publication.PUBLISHED,
        **{
            f"relevance_{v}": ""
            for v in (
                "access_to_information",
                "civic_participation",
                "public_accountability",
                "technology_innovation",
            )
        },
        "relevance_civic_participation": "True",
        "relevance_civic_participation_explanation": "Residents co-design the rules.",
    }
    data.update(values)
    return data


def assessment_url(step):
    kwargs = {"plan_slug": step.plan.slug, "code": step.code}
    return reverse("monitoring:assessment_edit", kwargs=kwargs)


def _assess(world, persona):
    return "post", assessment_url(world.step_a), assessment_data(narrative=f"By {persona}.")


def _assessed(world, persona):
    return Assessment.objects.filter(step=world.step_a).exists()


def _edit_body(world, persona):
    url = reverse("monitoring:body_edit", kwargs={"plan_slug": world.plan.slug})
    return "post", url, {"name": f"Body named by {persona}", "contact_details": "TBC"}


def _body_edited(world, persona):
    return MonitoringBody.objects.filter(plan=world.plan, name__startswith="Body named").exists()


def _new_report(world, persona):
    url = reverse("monitoring:report_new", kwargs={"plan_slug": world.plan.slug})
    return (
        "post",
        url,
        {
            "version": 0,
            "kind": "final_learning",
            "title": f"Learning by {persona}",
            "authors": "A. Evaluator",
            "status": "draft",
        },
    )


def _report_created(world, persona):
    return MonitoringReport.objects.filter(title__startswith="Learning by").exists()


def _edit_report(world, persona):
    report, _ = MonitoringReport.objects.get_or_create(
        plan=world.plan, title="Inception", kind="final_learning", defaults={"authors": "A. B."}
    )
    url = reverse("monitoring:report_edit", kwargs={"plan_slug": world.plan.slug, "pk": report.pk})
    return (
        "post",
        url,
        {
            "version": report.version,
            "title": f"Inception edited by {persona}",
            "authors": "A. B.",
            "status": "draft",
        },
    )


def _report_edited(world, persona):
    return MonitoringReport.objects.filter(title__startswith="Inception edited").exists()


MONITORING_ROWS = {
    "monitoring:assessment_edit": Row(MONITORS, _assess, _assessed),
    "monitoring:body_edit": Row(MONITORS, _edit_body, _body_edited),
    "monitoring:report_new": Row(MONITORS, _new_report, _report_created),
    "monitoring:report_edit": Row(MONITORS, _edit_report, _report_edited),
}


@pytest.fixture
def monitoring_world(plan, jurisdiction, priority):
    return build_world(plan, jurisdiction, priority)


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
    from actionplan.models import ActionPlan
    from portal.models import PlanRole

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
    assert client.get(reverse("monitoring:report_pdf", kwargs=kwargs)).status_code == 404
    body_page = client.get(reverse("monitoring:body", kwargs={"plan_slug": world.plan.slug}))
    assert b"Draft inception" not in body_page.content
    sheet = client.get(
        reverse("monitoring:step_sheet", kwargs={"plan_slug": world.plan.slug, "code": "S-A"})
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
