"""The monitoring rows of the permission matrix (tests/portal/test_permission_matrix.py runs them
for every persona). They use only what its `world` holds: plan, step_a/b, users.
"""

from django.urls import reverse

from monitoring.models import Assessment, MonitoringBody, MonitoringReport
from tests.monitoring.factories import assessment_data, assessment_url
from tests.personas import Row

MONITORS = {"monitor", "admin"}


def _assess(world, persona):
    return "post", assessment_url(world.step_a), assessment_data(narrative=f"By {persona}.")


def _assessed(world, persona):
    return Assessment.objects.filter(step=world.step_a).exists()


def _edit_body(world, persona):
    url = reverse("monitoring:body_edit", kwargs={"plan_slug": world.plan.slug})
    return "post", url, {"name_en": f"Body named by {persona}", "contact_details": "TBC"}


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
            "title_en": f"Learning by {persona}",
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
            "title_en": f"Inception edited by {persona}",
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
