"""Assessments of action steps: the HTMX form and its full-page fallback, publication, revision
history, stale edits and evidence files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from monitoring.models import Assessment, AssessmentEvidence, AssessmentRevision
from tests.monitoring.factories import assessment_data, assessment_url

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(monitoring_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return monitoring_world


@pytest.fixture
def monitor(client, world):
    client.force_login(world.users["monitor"])
    return client


def test_the_form_opens_inline_for_htmx_and_as_a_page_without(monitor, world):
    fragment = monitor.get(assessment_url(world.step_a), **HTMX)
    page = monitor.get(assessment_url(world.step_a))
    assert fragment.status_code == page.status_code == 200
    assert b"<html" not in fragment.content and b'id="assessment"' in fragment.content
    assert b"<html" in page.content and b'hx-post="' in page.content
    assert fragment["Vary"] and "HX-Request" in fragment["Vary"]


def test_htmx_save_swaps_in_the_published_assessment(monitor, world):
    response = monitor.post(assessment_url(world.step_a), assessment_data(), **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"saved and published" in response.content
    assert b"Residents co-design the rules." in response.content
    assessment = Assessment.objects.get(step=world.step_a)
    assert assessment.is_published and assessment.published_at and assessment.version == 1
    assert assessment.updated_by == world.users["monitor"]


def test_plain_save_redirects_to_the_step_page(monitor, world):
    response = monitor.post(assessment_url(world.step_a), assessment_data(status="draft"))
    assert response.status_code == 302
    assert response["Location"] == world.step_a.get_absolute_url() + "#assessment"
    assert Assessment.objects.get(step=world.step_a).published_at is None


def test_invalid_input_comes_back_in_the_fragment_with_422(monitor, world):
    data = assessment_data(verifiability="maybe", evidence_links="javascript:alert(1)")
    response = monitor.post(assessment_url(world.step_a), data, **HTMX)
    assert response.status_code == 422
    assert b"<html" not in response.content
    assert b"govuk-error-summary" in response.content
    assert b"is not a web address" in response.content
    assert not Assessment.objects.exists()


def test_every_save_is_recorded_as_a_revision(monitor, world):
    monitor.post(assessment_url(world.step_a), assessment_data(status="draft"))
    monitor.post(assessment_url(world.step_a), assessment_data(version=1, completion="substantial"))
    revisions = list(AssessmentRevision.objects.order_by("version"))
    assert [(r.version, r.data["status"], r.data["completion"]) for r in revisions] == [
        (1, "draft", "limited"),
        (2, "published", "substantial"),
    ]
    history = monitor.get(
        reverse(
            "monitoring:assessment_history", kwargs={"plan_slug": world.plan.slug, "code": "S-A"}
        )
    )
    assert history.status_code == 200
    assert b"Version 2" in history.content and b"Changed: Completion, Status" in history.content


def test_stale_edit_is_rejected_with_409_and_keeps_the_users_input(monitor, world):
    monitor.post(assessment_url(world.step_a), assessment_data())  # version 1
    monitor.post(assessment_url(world.step_a), assessment_data(version=1, narrative="Second save."))
    # A form opened at version 1 is saved after the second save:
    stale = assessment_data(version=1, narrative="My unsaved words.")
    response = monitor.post(assessment_url(world.step_a), stale, **HTMX)
    assert response.status_code == 409
    assert b"Someone else saved this assessment" in response.content
    assert b"My unsaved words." in response.content  # the user's input, kept in the form
    assert b"Second save." in response.content  # the saved values, shown beside it
    assert b'name="version" value="2"' in response.content
    assert Assessment.objects.get(step=world.step_a).narrative == "Second save."


def test_creating_an_assessment_someone_else_just_created_is_a_conflict(monitor, world):
    Assessment.objects.create(step=world.step_a, narrative="First.")
    response = monitor.post(assessment_url(world.step_a), assessment_data(version=0))
    assert response.status_code == 409
    assert Assessment.objects.get(step=world.step_a).narrative == "First."


def test_an_evidence_file_is_served_once_the_assessment_is_published(client, monitor, world):
    upload = SimpleUploadedFile("minutes of the meeting.pdf", PDF_BYTES, "application/pdf")
    data = {**assessment_data(status="draft"), "evidence_upload": upload}
    monitor.post(assessment_url(world.step_a), data)
    evidence = AssessmentEvidence.objects.get()
    assert evidence.original_name == "minutes_of_the_meeting.pdf"
    assert evidence.file.name.startswith("monitoring/evidence/")
    assert "minutes" not in evidence.file.name  # a server-made name
    url = evidence.get_absolute_url()
    assert monitor.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404  # a draft's evidence is not public
    Assessment.objects.update(status="published")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_executable_renamed_to_pdf_is_refused(monitor, world):
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    data = {**assessment_data(), "evidence_upload": upload}
    response = monitor.post(assessment_url(world.step_a), data, **HTMX)
    assert response.status_code == 422
    assert b"checked by their content" in response.content
    assert not AssessmentEvidence.objects.exists()


def test_removing_an_evidence_file_deletes_it(monitor, world, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")
    monitor.post(assessment_url(world.step_a), {**assessment_data(), "evidence_upload": upload})
    evidence = AssessmentEvidence.objects.get()
    storage, name = evidence.file.storage, evidence.file.name
    data = {**assessment_data(version=1), "remove_evidence": [evidence.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        monitor.post(assessment_url(world.step_a), data)
    assert not AssessmentEvidence.objects.exists()
    assert not storage.exists(name)
    assert AssessmentRevision.objects.get(version=2).data["evidence_files"] == []


def render_tag(user, step, plan):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load monitoring_tags %}{% step_assessment step plan %}")
    return template.render(Context({"request": request, "step": step, "plan": plan}))


def test_the_step_page_section_shows_drafts_to_monitors_only(world, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    Assessment.objects.create(step=world.step_a, status="draft", narrative="Draft words.")
    step, plan = world.step_a, world.plan
    with django_assert_num_queries(1):  # the published assessment (none)
        public = render_tag(AnonymousUser(), step, plan)
    assert "Draft words." not in public and "has not published an assessment" in public
    assert "Assess this step" not in public
    monitor = render_tag(world.users["monitor"], step, plan)
    assert "Draft words." in monitor and "Edit the assessment" in monitor
    coordinator = render_tag(world.users["coordinator"], step, plan)
    assert "Draft words." not in coordinator


def test_removing_several_evidence_files_deletes_every_one_after_commit(
    monitor, world, django_capture_on_commit_callbacks
):
    uploads = [SimpleUploadedFile(f"{n}.pdf", PDF_BYTES, "application/pdf") for n in range(3)]
    monitor.post(assessment_url(world.step_a), {**assessment_data(), "evidence_upload": uploads})
    files = [(e.file.storage, e.file.name) for e in AssessmentEvidence.objects.all()]
    assert len(files) == 3
    data = {
        **assessment_data(version=1),
        "remove_evidence": list(AssessmentEvidence.objects.values_list("pk", flat=True)),
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        monitor.post(assessment_url(world.step_a), data)
    # Nothing is deleted before the commit; then each file, not only the last one.
    assert all(storage.exists(name) for storage, name in files)
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for storage, name in files)


def test_the_evidence_download_cannot_run_in_the_portal(client, monitor, world):
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES, "application/pdf")
    monitor.post(assessment_url(world.step_a), {**assessment_data(), "evidence_upload": upload})
    response = monitor.get(AssessmentEvidence.objects.get().get_absolute_url())
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
