"""Updating a step from the portal: the service, the form and its two worlds (HTMX and plain)."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplan import editing
from actionplan.models import (
    ActionStep,
    Evidence,
    Institution,
    StepChange,
    StepInstitution,
    StepUpdate,
)
from core.editing import StaleEdit
from portal.accounts import create_demo_accounts

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def other_institution(jurisdiction):
    return Institution.objects.create(jurisdiction=jurisdiction, slug="other", name="Other office")


@pytest.fixture
def people(plan, institution, other_institution):
    """The demo personas: `staff` works for `institution` (which leads `step`), `staff2` for
    `other_institution`; coordinator, board and monitor serve `plan`."""
    create_demo_accounts(plan, institution, other_institution, password=None)
    from django.contrib.auth.models import User

    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def staff_client(client, people):
    client.force_login(people["staff"])
    return client


def update_url(step, next_url=None):
    url = reverse("staff:update_step", kwargs={"plan_slug": step.plan.slug, "code": step.code})
    return f"{url}?next={next_url}" if next_url else url


def form_data(step, **changes):
    data = {
        "version": step.version,
        "status": "in_progress",
        "progress": "40",
        "note": "Kick-off meeting held with the partners.",
        "links": "",
    }
    data.update(changes)
    return data


# --- The service -------------------------------------------------------------------------------


def test_update_records_who_why_and_the_version_range(step, people, institution):
    milestone = step.milestones.get()
    update = editing.update_step(
        step,
        user=people["staff"],
        version=1,
        status="in_progress",
        progress=40,
        completed_milestones={milestone.pk},
        note="Started.",
        links=["https://example.org/a"],
        today=datetime.date(2024, 9, 2),
    )
    step.refresh_from_db()
    milestone.refresh_from_db()
    assert (step.status, step.progress, step.version) == ("in_progress", 40, 3)
    assert milestone.completed_on == datetime.date(2024, 9, 2)
    assert (update.from_version, update.to_version, update.source) == (1, 3, "portal")
    assert (update.actor, update.institution) == (people["staff"], institution)
    assert list(update.evidence.values_list("url", flat=True)) == ["https://example.org/a"]
    # the triggers wrote the changes themselves, one version for the step, one for the milestone
    changed = StepChange.objects.filter(step=step, version__gt=1)
    assert set(changed.values_list("version", "field")) == {
        (2, "status"),
        (2, "progress"),
        (3, "milestone"),
    }


def test_coordinator_updates_for_the_plan_not_an_institution(step, people):
    update = editing.update_step(
        step,
        user=people["coordinator"],
        version=1,
        status="on_hold",
        progress=0,
        completed_milestones=set(),
        note="Paused by the OGP team.",
    )
    assert update.institution is None


def test_stale_version_is_rejected_and_saves_nothing(step, people):
    ActionStep.objects.filter(pk=step.pk).update(progress=10)  # someone else: version 2
    with pytest.raises(StaleEdit):
        editing.update_step(
            step,
            user=people["staff"],
            version=1,
            status="in_progress",
            progress=40,
            completed_milestones=set(),
            note="Based on what I saw.",
        )
    step.refresh_from_db()
    assert (step.progress, step.version) == (10, 2)
    assert not StepUpdate.objects.exists()


def test_an_edit_that_changes_nothing_records_nothing(step, people):
    with pytest.raises(editing.NothingChanged):
        editing.update_step(
            step,
            user=people["staff"],
            version=1,
            status=step.status,
            progress=step.progress,
            completed_milestones=set(),
            note="Nothing new.",
        )
    assert not StepUpdate.objects.exists()
    assert StepChange.objects.filter(step=step).exclude(version=1).count() == 0


# --- The views: both worlds --------------------------------------------------------------------


def test_form_is_a_full_page_without_htmx_and_a_fragment_with_it(staff_client, step):
    page = staff_client.get(update_url(step))
    assert page.status_code == 200
    assert b"<html" in page.content and b'name="note"' in page.content
    fragment = staff_client.get(update_url(step), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert f'id="step-update-{step.pk}"'.encode() in fragment.content
    assert "HX-Request" in page["Vary"]


def test_plain_post_redirects_to_the_public_page(staff_client, step):
    response = staff_client.post(update_url(step), form_data(step))
    assert response.status_code == 302
    assert response["Location"] == step.get_absolute_url()
    step.refresh_from_db()
    assert (step.status, step.progress) == ("in_progress", 40)


def test_plain_post_returns_to_a_safe_next_only(staff_client, step):
    my_steps = reverse("staff:my_steps")
    response = staff_client.post(update_url(step), form_data(step, next=my_steps))
    assert response["Location"] == my_steps
    step.refresh_from_db()
    response = staff_client.post(
        update_url(step), form_data(step, progress="50", next="https://evil.example/")
    )
    assert response["Location"] == step.get_absolute_url()


def test_htmx_post_on_my_steps_swaps_in_the_card_with_the_new_entry(staff_client, step, people):
    response = staff_client.post(
        update_url(step), form_data(step, next=reverse("staff:my_steps")), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#step-card-{step.pk}"
    html = response.content.decode()
    assert "Kick-off meeting held with the partners." in html
    assert "Demo Staff (participation)" in html  # staff see the person
    assert "Saved." in html


def test_htmx_post_on_the_step_page_reloads_its_main_content(staff_client, step):
    response = staff_client.post(
        update_url(step), form_data(step, next=step.get_absolute_url()), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert step.get_absolute_url() in response["HX-Location"]
    assert '"target": "#main-content"' in response["HX-Location"]


def test_expired_session_on_htmx_redirects_the_whole_page_to_sign_in(client, step, people):
    response = client.post(
        update_url(step),
        form_data(step),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver" + step.get_absolute_url(),
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    assert step.get_absolute_url() in response["HX-Redirect"].replace("%2F", "/")


# --- Bad input: a clear message, nothing saved, nothing rendered as HTML -----------------------


def assert_nothing_saved(step, media):
    step.refresh_from_db()
    assert (step.version, step.progress, step.status) == (1, 0, "not_started")
    assert not StepUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"note": ""}, "Say in a sentence what happened."),
        ({"note": "   "}, "Say in a sentence what happened."),
        ({"progress": "101"}, "Progress cannot be more than 100."),
        ({"progress": "-1"}, "Progress cannot be less than 0."),
        ({"progress": "abc"}, "Enter the progress as a whole number from 0 to 100"),
        ({"progress": ""}, "Enter the progress, a whole number from 0 to 100."),
        ({"status": "completed", "progress": "50"}, "A completed step has progress 100."),
        ({"status": "finished"}, "Choose one of the listed statuses."),
        ({"links": "javascript:alert(1)"}, "is not a web address starting with https://"),
        ({"note": "Done <script>alert(1)</script>"}, "without HTML tags"),
        ({"version": "x"}, "Enter a whole number."),
        ({"version": "99999999999999999999"}, "less than or equal to 2147483647"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    staff_client, step, media, changes, message, htmx
):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = staff_client.post(update_url(step), form_data(step, **changes), **headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "<script>alert" not in html
    assert_nothing_saved(step, media)


def test_script_in_the_note_is_shown_back_as_text(staff_client, step):
    data = form_data(step, note="<script>alert(1)</script>")
    response = staff_client.post(update_url(step), data)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_a_50_mb_upload_is_refused(staff_client, step, media):
    big = SimpleUploadedFile("report.pdf", PDF + b"\x00" * (50 * 2**20), "application/pdf")
    response = staff_client.post(update_url(step), {**form_data(step), "files": [big]})
    assert response.status_code == 422
    assert "a file can be at most 10 MB" in response.content.decode()
    assert_nothing_saved(step, media)


def test_an_executable_renamed_pdf_is_refused(staff_client, step, media):
    fake = SimpleUploadedFile("report.pdf", EXE, "application/pdf")
    response = staff_client.post(update_url(step), {**form_data(step), "files": [fake]})
    assert response.status_code == 422
    assert "checked by their content, not by their name" in response.content.decode()
    assert_nothing_saved(step, media)


@pytest.mark.parametrize(
    ("name", "content", "title", "content_type"),
    [
        ("report.pdf", PDF, "report.pdf", "application/pdf"),
        ("photo.PDF", PNG, "photo.png", "image/png"),  # the content decides, not the name
        (
            "minutes.docx",
            docx_bytes(),
            "minutes.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("old minutes.doc", OLE, "old_minutes.doc", "application/msword"),
    ],
)
def test_evidence_files_are_kept_under_server_made_names(
    staff_client, step, name, content, title, content_type
):
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    response = staff_client.post(update_url(step), {**form_data(step), "files": [upload]})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.title, evidence.content_type) == (title, content_type)
    assert evidence.size == len(content)
    stored = evidence.file.name
    assert stored.startswith("evidence/") and name.split(".")[0] not in stored

    download = staff_client.get(reverse("staff:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert title in download["Content-Disposition"]
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == content


def test_a_zip_that_is_not_an_office_document_is_refused(staff_client, step, media):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.js", "alert(1)")
    upload = SimpleUploadedFile("slides.pptx", buffer.getvalue())
    response = staff_client.post(update_url(step), {**form_data(step), "files": [upload]})
    assert response.status_code == 422
    assert_nothing_saved(step, media)


def test_evidence_of_a_draft_plan_is_not_public(client, step, people):
    update = editing.update_step(
        step,
        user=people["staff"],
        version=1,
        status="in_progress",
        progress=5,
        completed_milestones=set(),
        note="Draft work.",
    )
    evidence = Evidence.objects.create(
        update=update,
        file=SimpleUploadedFile("a.pdf", PDF),
        title="a.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    step.plan.status = "draft"
    step.plan.save()
    assert client.get(reverse("staff:evidence", args=[evidence.pk])).status_code == 404
    client.force_login(people["staff"])
    assert client.get(reverse("staff:evidence", args=[evidence.pk])).status_code == 200


# --- Stale edits -------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_stale_edit_is_rejected_with_409_showing_both_versions(client, step, people, htmx):
    client.force_login(people["staff"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    seen = form_data(step, progress="40", note="My report of the kick-off.")
    # The coordinator saves first, from the same version.
    client2 = type(client)()
    client2.force_login(people["coordinator"])
    first = client2.post(
        update_url(step), form_data(step, status="on_hold", progress="20", note="Paused.")
    )
    assert first.status_code == 302

    response = client.post(update_url(step), seen, **headers)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved this step while you were editing it" in html
    assert "My report of the kick-off." in html  # the user's input is kept
    assert "On hold" in html and "Paused." in html  # what is saved now, and by whom
    assert 'name="version" value="2"' in html  # saving again applies over the new state
    step.refresh_from_db()
    assert (step.status, step.progress) == ("on_hold", 20)
    assert StepUpdate.objects.count() == 1

    again = client.post(update_url(step), {**seen, "version": "2"}, **headers)
    assert again.status_code in (200, 302)
    step.refresh_from_db()
    assert (step.status, step.progress, step.version) == ("in_progress", 40, 3)


# --- Object-level access -----------------------------------------------------------------------


@pytest.fixture
def other_step(plan, other_institution):
    step = ActionStep.objects.create(plan=plan, code="S2", title="Another office's step")
    StepInstitution.objects.create(step=step, institution=other_institution)
    return step


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_cannot_reach_another_institutions_step(client, people, other_step, method, htmx):
    client.force_login(people["staff"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = getattr(client, method)(update_url(other_step), form_data(other_step), **headers)
    assert response.status_code == 403  # the step is public: seen, not editable
    other_step.refresh_from_db()
    assert other_step.version == 1


def test_a_supporting_institution_may_update_too(client, people, other_step, institution):
    StepInstitution.objects.create(step=other_step, institution=institution, role="supporting")
    client.force_login(people["staff"])
    response = client.post(update_url(other_step), form_data(other_step))
    assert response.status_code == 302
    assert StepUpdate.objects.get().institution == institution


def test_csrf_token_is_required_also_for_htmx(step, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["staff"])
    page = client.get(update_url(step))
    assert b"hx-headers" in page.content and b"X-CSRFToken" in page.content
    response = client.post(update_url(step), form_data(step), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    token = page.cookies["csrftoken"].value
    response = client.post(
        update_url(step), form_data(step), HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200


# --- History on the public step page -----------------------------------------------------------


def test_public_history_names_the_institution_and_staff_also_see_the_person(
    client, step, people, institution
):
    editing.update_step(
        step,
        user=people["staff"],
        version=1,
        status="in_progress",
        progress=40,
        completed_milestones=set(),
        note="Workshop held.",
    )
    public = client.get(step.get_absolute_url()).content.decode()
    assert "Workshop held." in public and institution.name in public
    assert "Demo Staff (participation)" not in public
    client.force_login(people["board"])
    staff_view = client.get(step.get_absolute_url()).content.decode()
    assert "Demo Staff (participation)" in staff_view


# --- My steps ----------------------------------------------------------------------------------


def dated_step(plan, institution, code, *, end=None, milestone_due=None, status="in_progress"):
    step = ActionStep.objects.create(
        plan=plan,
        code=code,
        title=f"Step {code}",
        status=status,
        progress=100 if status == "completed" else 10,
        end_date=end,
    )
    StepInstitution.objects.create(step=step, institution=institution)
    if milestone_due:
        step.milestones.create(title=f"Milestone of {code}", due_date=milestone_due)
    return step


def codes(response):
    return [row.step.code for row in response.context["rows"]]


def test_my_steps_lists_own_steps_most_urgent_first(client, plan, people, institution, other_step):
    today, day = datetime.date.today(), datetime.timedelta(days=1)
    dated_step(plan, institution, "LATER", end=today + 300 * day)
    dated_step(plan, institution, "DUE-SOON", milestone_due=today + 5 * day)
    dated_step(plan, institution, "OVERDUE-2", end=today - 2 * day)
    dated_step(plan, institution, "OVERDUE-30", end=today - 30 * day)
    dated_step(plan, institution, "DONE", end=today - 3 * day, status="completed")
    dated_step(plan, institution, "DUE-LATER", milestone_due=today + 20 * day)
    client.force_login(people["staff"])
    response = client.get(reverse("staff:my_steps"))
    assert response.status_code == 200
    # signals first (overdue by end date, then milestone due soon); the rest in plan order
    assert codes(response) == ["OVERDUE-30", "OVERDUE-2", "DUE-SOON", "DONE", "DUE-LATER", "LATER"]
    assert "S2" not in codes(response)  # another institution's step
    html = response.content.decode()
    assert "Overdue: the end date" in html and "Milestone “Milestone of DUE-SOON” is due" in html


def test_a_step_without_a_report_for_stale_after_days_is_flagged(step, settings):
    from actionplan.staff_views import dashboard_rows, dashboard_steps

    settings.STALE_AFTER_DAYS = 100
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=101)
    before_any_due_date = datetime.date(2024, 7, 1)
    steps = dashboard_steps(ActionStep.objects.all())
    rows = dashboard_rows(steps, today=before_any_due_date, now=later)
    assert [s.kind for s in rows[0].signals] == ["stale"]
    assert dashboard_rows(steps, today=before_any_due_date)[0].signals == []


def test_coordinator_sees_the_whole_plan_and_filters_by_institution(
    client, people, step, other_step, other_institution
):
    client.force_login(people["coordinator"])
    response = client.get(reverse("staff:my_steps"))
    assert sorted(codes(response)) == ["S1", "S2"]
    assert [i.slug for i in response.context["institutions"]] == ["dept", "other"]
    response = client.get(reverse("staff:my_steps"), {"institution": "other"})
    assert codes(response) == ["S2"]


@pytest.mark.parametrize("persona", ["board", "monitor"])
def test_my_steps_is_empty_for_roles_that_do_not_edit(client, people, step, persona):
    client.force_login(people[persona])
    response = client.get(reverse("staff:my_steps"))
    assert response.status_code == 200
    assert codes(response) == []
    assert "There are no steps for you to update." in response.content.decode()


def test_my_steps_needs_sign_in(client):
    response = client.get(reverse("staff:my_steps"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("count", [5, 50])
def test_my_steps_costs_the_same_queries_for_5_and_50_steps(
    client, plan, people, institution, django_assert_num_queries, count
):
    today = datetime.date.today()
    for n in range(count):
        dated_step(
            plan,
            institution,
            f"N{n:03}",
            end=today + datetime.timedelta(days=n - 2),
            milestone_due=today + datetime.timedelta(days=n),
        )
    client.force_login(people["staff"])
    # session, user, the user's groups, affiliations, steps (with plan, jurisdiction, priority
    # and the last change), their institutions, their milestones, the open follow-ups from
    # meetings; then the session is saved again (savepoint, update, release) as every request
    # renews it
    with django_assert_num_queries(11):
        response = client.get(reverse("staff:my_steps"))
    assert len(response.context["rows"]) == count


def test_the_admin_links_evidence_to_the_download_view_not_media(client, step, people):
    upload = SimpleUploadedFile("report.pdf", PDF, "application/pdf")
    client.force_login(people["staff"])
    client.post(update_url(step), {**form_data(step), "files": [upload]})
    evidence = Evidence.objects.get()
    client.force_login(people["admin"])
    url = reverse("admin:actionplan_stepupdate_change", args=[evidence.update_id])
    page = client.get(url).content.decode()
    assert reverse("staff:evidence", args=[evidence.pk]) in page
    assert "/media/" not in page
