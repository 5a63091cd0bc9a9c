"""Reports of the monitoring body, its public page, and the demo monitoring file."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplan.models import ActionPlan
from monitoring.models import (
    Assessment,
    ChecklistAnswer,
    ChecklistQuestion,
    CommitmentResult,
    MonitoringBody,
    MonitoringReport,
)


@pytest.fixture
def monitor(client, monitoring_world):
    client.force_login(monitoring_world.users["monitor"])
    return client


def new_report(client, plan, **data):
    """A new report as the monitor posts it; title= is its English title."""
    url = reverse("monitoring:report_new", kwargs={"plan_slug": plan.slug})
    if "title" in data:
        data["title_en"] = data.pop("title")
    return client.post(url, {"version": 0, "authors": "K. V., D. J.", "status": "draft", **data})


def edit_url(report):
    kwargs = {"plan_slug": report.plan.slug, "pk": report.pk}
    return reverse("monitoring:report_edit", kwargs=kwargs)


def test_an_inception_report_answers_every_co_creation_question(monitor, monitoring_world):
    world = monitoring_world
    response = new_report(
        monitor, world.plan, kind="inception", title="Inception", steps=[world.step_a.pk]
    )
    report = MonitoringReport.objects.get()
    assert response["Location"] == edit_url(report)
    assert list(report.checklist.values_list("question", flat=True)) == ChecklistQuestion.values
    answers = list(report.checklist.all())
    data = {
        "version": 1,
        "title_en": "Inception",
        "authors": "K. V.",
        "status": "published",
        "steps": [world.step_a.pk],
        "checklist-TOTAL_FORMS": len(answers),
        "checklist-INITIAL_FORMS": len(answers),
    }
    for n, answer in enumerate(answers):
        data[f"checklist-{n}-id"] = answer.pk
        data[f"checklist-{n}-answer"] = "True" if n == 0 else ""
        data[f"checklist-{n}-explanation_en"] = f"Because {n}."
    response = monitor.post(edit_url(report), data)
    assert response.status_code == 302
    first = ChecklistAnswer.objects.get(report=report, question="1.1")
    assert first.answer is True and first.explanation == "Because 0."
    assert ChecklistAnswer.objects.get(report=report, question="1.2").answer is None
    report.refresh_from_db()
    assert report.is_published and report.published_on and report.version == 2
    page = monitor.get(report.get_absolute_url())
    assert b"1.1 Does a forum exist?" in page.content and b"Because 0." in page.content


def test_an_end_of_commitment_report_rates_each_covered_step_per_ogp_value(
    monitor, monitoring_world
):
    world = monitoring_world
    new_report(
        monitor,
        world.plan,
        kind="end_of_commitment",
        title="EoC",
        steps=[world.step_a.pk, world.step_b.pk],
    )
    report = MonitoringReport.objects.get()
    assert set(report.results.values_list("step__code", flat=True)) == {"S-A", "S-B"}
    results = list(report.results.order_by("step__code"))
    data = {
        "version": 1,
        "title_en": "EoC",
        "authors": "K. V.",
        "status": "published",
        "steps": [world.step_a.pk],  # S-B is no longer covered: its row goes
        "results-TOTAL_FORMS": 2,
        "results-INITIAL_FORMS": 2,
    }
    for n, result in enumerate(results):
        data.update(
            {
                f"results-{n}-id": result.pk,
                f"results-{n}-completion": "substantial",
                f"results-{n}-result_civic_participation": "major",
            }
        )
    assert monitor.post(edit_url(report), data).status_code == 302
    result = CommitmentResult.objects.get()
    assert (result.step, result.completion, result.result_civic_participation) == (
        world.step_a,
        "substantial",
        "major",
    )
    page = monitor.get(report.get_absolute_url())
    assert b"Did it open government? Civic participation" in page.content


def test_a_final_learning_exercise_has_its_four_sections(monitor, monitoring_world):
    new_report(monitor, monitoring_world.plan, kind="final_learning", title="Learning")
    report = MonitoringReport.objects.get()
    data = {
        "version": 1,
        "title_en": "Learning",
        "authors": "A",
        "status": "published",
        "what_worked_en": "Dialogues.",
        "what_did_not_work_en": "Long forms.",
        "lessons_en": "Start early.",
        "recommendations_en": "Keep the board.",
    }
    assert monitor.post(edit_url(report), data).status_code == 302
    page = monitor.get(report.get_absolute_url()).content
    for text in (
        b"What worked",
        b"Dialogues.",
        b"Long forms.",
        b"Start early.",
        b"Keep the board.",
    ):
        assert text in page


def test_a_stale_report_edit_is_refused_with_409(monitor, monitoring_world):
    new_report(monitor, monitoring_world.plan, kind="final_learning", title="Learning")
    report = MonitoringReport.objects.get()
    data = {"version": 1, "title_en": "First", "authors": "A", "status": "draft"}
    assert monitor.post(edit_url(report), data).status_code == 302
    response = monitor.post(edit_url(report), {**data, "title_en": "Second"})
    assert response.status_code == 409
    assert b"Someone else saved this report" in response.content
    assert MonitoringReport.objects.get().title == "First"


def test_invalid_report_input_is_refused_with_422(monitor, monitoring_world):
    response = new_report(
        monitor,
        monitoring_world.plan,
        kind="final_learning",
        title="",
        period_start="2025-05-01",
        period_end="2025-01-01",
    )
    assert response.status_code == 422
    assert b"The period cannot end before it starts." in response.content
    assert not MonitoringReport.objects.exists()


def test_the_public_page_names_a_body_to_be_confirmed(client, monitoring_world):
    MonitoringBody.objects.create(plan=monitoring_world.plan, contact_details="TBC")
    page = client.get(reverse("monitoring:body", kwargs={"plan_slug": monitoring_world.plan.slug}))
    assert page.status_code == 200
    assert b"To be confirmed (TBC)" in page.content
    assert b"Demo Monitor" in page.content  # the monitor role makes a member


def test_the_public_page_never_shows_a_monitors_username(client, monitoring_world):
    monitor = monitoring_world.users["monitor"]
    monitor.username, monitor.first_name, monitor.last_name = "m.secret-login", "", ""
    monitor.save()
    MonitoringBody.objects.create(plan=monitoring_world.plan, contact_details="TBC")

    page = client.get(reverse("monitoring:body", kwargs={"plan_slug": monitoring_world.plan.slug}))

    assert b"m.secret-login" not in page.content
    assert b"a member of the monitoring body (name not published)" in page.content


def test_the_body_page_costs_the_same_queries_for_few_and_many_steps(
    client, monitoring_world, django_assert_num_queries
):
    from actionplan.models import ActionStep

    url = reverse("monitoring:body", kwargs={"plan_slug": monitoring_world.plan.slug})
    client.get(url)  # warm the session and content types
    counts = []
    for extra in (0, 30):
        ActionStep.objects.bulk_create(
            ActionStep(plan=monitoring_world.plan, code=f"X{extra}-{n}", title="x")
            for n in range(extra)
        )
        # plan, monitoring body, monitors, reports, steps, assessments
        with django_assert_num_queries(6):
            counts.append(client.get(url).status_code)
    assert counts == [200, 200]


def test_the_demo_file_records_the_2021_22_inception_report_and_a_tbc_body(db):
    call_command("import_plan", "fixtures/banska-bystrica.yaml", verbosity=0)
    call_command("import_monitoring", "fixtures/banska-bystrica-monitoring.yaml")
    old = ActionPlan.objects.get(slug="ap-ov-bb-2021-2022")
    report = MonitoringReport.objects.get(plan=old)
    assert report.is_published and report.kind == "inception"
    assert report.authors == "Katarína Vitálišová, Darina Jánošková"
    # Matched by its English title; the Slovak one and the summaries are ours.
    assert report.title_en.startswith("Inception Report – Action plan – Banská Bystrica")
    assert report.title_sk.startswith("Úvodná hodnotiaca správa")
    assert report.provenance == {"summary_en": "team", "summary_sk": "team", "title_sk": "team"}
    assert list(report.steps.values_list("code", flat=True)) == ["SKBBA0001"]
    answers = dict(report.checklist.values_list("question", "answer"))
    assert answers["1.1"] is True and answers["1.2"] is True and answers["endorsed"] is None
    assessment = Assessment.objects.get(step__code="SKBBA0001")
    assert assessment.is_published and assessment.verifiability == "verifiable"
    assert assessment.potential_for_results == ""  # the scale label was not stated
    current = ActionPlan.objects.get(slug="ap-og-24-26")
    body = MonitoringBody.objects.get(plan=current)
    assert body.name == "" and body.contact_details == "TBC"
    assert body.description_sk and body.description_en
    assert not MonitoringReport.objects.filter(plan=current).exists()
    revisions = assessment.revisions.count()
    call_command("import_monitoring", "fixtures/banska-bystrica-monitoring.yaml")
    assert assessment.revisions.count() == revisions  # importing again changes nothing


def test_the_progress_report_page_costs_the_same_queries_for_few_and_many_steps(
    client, monitoring_world, django_assert_num_queries
):
    from actionplan.models import ActionStep

    url = reverse("publishing:progress_report", kwargs={"plan_slug": monitoring_world.plan.slug})
    Assessment.objects.create(step=monitoring_world.step_a, status="published")
    client.get(url)
    for extra in (0, 30):
        steps = ActionStep.objects.bulk_create(
            ActionStep(plan=monitoring_world.plan, code=f"X{extra}-{n}", title="x")
            for n in range(extra)
        )
        for step in steps:
            Assessment.objects.create(step=step, status="published")
        # plan; first history entry (the as-of field's limit); priorities; steps, their
        # institutions, milestones; assessments with evidence; updates; body; monitors;
        # meetings; reports
        with django_assert_num_queries(13):
            assert client.get(url).status_code == 200


def test_import_monitoring_rejects_a_file_that_is_not_a_mapping(tmp_path, db):
    from django.core.management import CommandError, call_command

    path = tmp_path / "text.yaml"
    path.write_text("just a line\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_monitoring", str(path))
