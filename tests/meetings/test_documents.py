"""Meeting documents: files uploaded in the admin are checked as evidence is, stored under names
the server makes, served only by a view that checks who may see the meeting, as downloads that
cannot run in the portal's origin; removed files leave the disk after the commit. Nothing serves
MEDIA_ROOT directly."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from meetings.admin import DocumentAdminForm
from meetings.models import MeetingDocument
from tests.meetings.factories import add_meeting

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCRIPT = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def world(meetings_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meetings_world.meeting = add_meeting(meetings_world)
    return meetings_world


def admin_form(world, upload, instance=None):
    data = {"meeting": world.meeting.pk, "order": 1, "title_en": "Minutes", "url": ""}
    return DocumentAdminForm(data, {"file": upload}, instance=instance)


def stored(world, content=PDF_BYTES, name="minutes.pdf", meeting=None):
    form = admin_form(world, SimpleUploadedFile(name, content))
    assert form.is_valid(), form.errors
    document = form.save(commit=False)
    document.meeting = meeting or world.meeting
    document.save()
    return document


def download_url(document):
    meeting = document.meeting
    return reverse("meetings:document", args=[meeting.plan.slug, meeting.slug, document.pk])


@pytest.mark.parametrize(
    "name,content",
    [
        ("minutes.html", SCRIPT),
        ("minutes.pdf", SCRIPT),  # the name does not make it a PDF
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_the_admin_refuses_a_file_that_is_not_a_document(world, name, content):
    form = admin_form(world, SimpleUploadedFile(name, content, "application/pdf"))
    assert not form.is_valid()
    assert "checked by their content" in str(form.errors)


def test_an_accepted_file_gets_a_server_made_name_and_its_true_type(world):
    document = stored(world, name="Zápisnica <b>.html")  # a PDF whatever its name says
    assert document.file.name.startswith("meetings/") and document.file.name.endswith(".pdf")
    assert "Z" not in document.file.name and "html" not in document.file.name
    assert document.content_type == "application/pdf"
    assert document.file_name.endswith(".pdf")


def test_the_download_is_an_attachment_that_cannot_run(client, world):
    document = stored(world)
    response = client.get(download_url(document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_old_unchecked_file_is_still_only_a_download(client, world):
    """Files uploaded before the checks keep their content; they are served as bytes."""
    document = MeetingDocument.objects.create(meeting=world.meeting, title="Old")
    document.file.save("old.html", ContentFile(SCRIPT))
    response = client.get(download_url(document))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_draft_meetings_documents_are_for_its_editors_only(client, world):
    draft = add_meeting(world, title="Draft meeting", is_public=False)
    document = stored(world, meeting=draft)
    url = download_url(document)
    assert client.get(url).status_code == 404
    client.force_login(world.users["board"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["coordinator"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["staff_a"])  # the organising institution
    assert client.get(url).status_code == 200


def test_a_document_is_found_only_under_its_own_meeting(client, world):
    other = add_meeting(world, title="Another meeting")
    document = stored(world, meeting=other)
    url = reverse("meetings:document", args=[world.plan.slug, world.meeting.slug, document.pk])
    assert client.get(url).status_code == 404
    link = MeetingDocument.objects.create(
        meeting=world.meeting, title="A link", url="https://example.org/x"
    )
    assert client.get(download_url(link)).status_code == 404  # a link has no file to serve


def test_the_meeting_page_links_to_the_view_never_to_media(client, world):
    document = stored(world)
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert f'href="{download_url(document)}"' in page
    assert "/media/" not in page


@pytest.mark.parametrize("debug", [True, False])
def test_nothing_serves_media_root(client, world, debug):
    document = stored(world)
    with override_settings(DEBUG=debug):
        for path in (f"/media/{document.file.name}", f"/en/media/{document.file.name}"):
            assert client.get(path).status_code == 404


def test_removed_documents_leave_the_disk_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    documents = [stored(world, name=f"{n}.pdf") for n in range(3)]
    names = [d.file.name for d in documents]
    storage = documents[0].file.storage
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        MeetingDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    assert all(storage.exists(name) for name in names)  # not before the commit
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in names)  # each of them, not just the last


def test_a_rolled_back_removal_keeps_the_files(world, django_capture_on_commit_callbacks):
    document = stored(world)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        document.delete()
        raise RuntimeError("the edit failed")
    assert document.file.storage.exists(document.file.name)


def test_a_replaced_file_leaves_the_disk(world, django_capture_on_commit_callbacks):
    document = stored(world)
    old = document.file.name
    form = admin_form(world, SimpleUploadedFile("new.pdf", PDF_BYTES), instance=document)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()
    assert document.file.name != old
    assert not document.file.storage.exists(old)
    assert document.file.storage.exists(document.file.name)


def test_a_meeting_deleted_with_its_documents_takes_their_files(
    world, django_capture_on_commit_callbacks
):
    documents = [stored(world, name=f"{n}.pdf") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        world.meeting.delete()
    assert not any(d.file.storage.exists(d.file.name) for d in documents)


def test_the_admin_never_links_a_file_to_media(client, world):
    stored(world)
    client.force_login(world.users["admin"])
    url = reverse("admin:meetings_meeting_change", args=[world.meeting.pk])
    page = client.get(url).content.decode()
    assert "minutes.pdf" in page  # the download name, shown read-only
    assert "/media/" not in page


def test_the_read_only_document_admin_never_links_to_media(client, world):
    document = stored(world)
    client.force_login(world.users["admin"])
    for url in (
        reverse("admin:meetings_meetingdocument_changelist"),
        reverse("admin:meetings_meetingdocument_change", args=[document.pk]),
    ):
        page = client.get(url).content.decode()
        assert "minutes.pdf" in page and "/media/" not in page


def test_the_download_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    document = stored(world)
    # The meeting with its plan and organiser, then the document.
    with django_assert_num_queries(2):
        client.get(download_url(document))
