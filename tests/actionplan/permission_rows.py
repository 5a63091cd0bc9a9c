"""The reporting periods' rows of the permission matrix (tests/portal/test_permission_matrix.py
runs them for every persona). They use only what its `world` holds: plan, step_a/b, users."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan import periods
from actionplan.models import PeriodReport, ReportingPeriod, StepUpdate
from tests.personas import Row


def _first_period(world):
    return periods.ensure_periods(world.plan)[0]


def _file_report(world, persona):
    period = _first_period(world)
    url = reverse(
        "staff:file_report",
        kwargs={"plan_slug": world.plan.slug, "number": period.number, "code": world.step_a.code},
    )
    data = {"status": "in_progress", "progress": "35", "narrative": f"Filed by {persona}."}
    return "post", url, data


def _report_filed(world, persona):
    return PeriodReport.objects.filter(narrative=f"Filed by {persona}.").exists()


def _edit_period(world, persona):
    period = _first_period(world)
    url = reverse(
        "staff:edit_period", kwargs={"plan_slug": world.plan.slug, "number": period.number}
    )
    data = {"start": period.start.isoformat(), "end": period.end.isoformat(), "state": "closed"}
    return "post", url, data


def _period_closed(world, persona):
    return ReportingPeriod.objects.filter(plan=world.plan, number=1, state="closed").exists()


def _generate(world, persona):
    return "post", reverse("staff:generate_periods", kwargs={"plan_slug": world.plan.slug}), {}


def _generated(world, persona):
    return ReportingPeriod.objects.filter(plan=world.plan).exists()


PERIOD_ROWS = {
    "staff:file_report": Row({"staff_a", "coordinator", "admin"}, _file_report, _report_filed),
    "staff:edit_period": Row({"coordinator", "admin"}, _edit_period, _period_closed),
    "staff:generate_periods": Row({"coordinator", "admin"}, _generate, _generated),
}


def _import_past(world, persona):
    csv = f"step,date,progress,note\n{world.step_a.code},2024-09-15,10,Past update by {persona}\n"
    upload = SimpleUploadedFile("past.csv", csv.encode(), content_type="text/csv")
    url = reverse("staff:import_past_updates", kwargs={"plan_slug": world.plan.slug})
    return "post", url, {"file": upload}


def _imported(world, persona):
    return StepUpdate.objects.filter(backfilled=True, note=f"Past update by {persona}").exists()


PERIOD_ROWS["staff:import_past_updates"] = Row({"coordinator", "admin"}, _import_past, _imported)
