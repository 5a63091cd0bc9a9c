"""The administration edits meetings and annotations through the same services as the portal."""

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Annotation, Meeting, MeetingRevision
from tests.meetings.factories import add_meeting, annotate

INLINES = ("agenda_items", "participation", "attendees", "documents")


@pytest.fixture
def admin_client(client, meetings_world):
    client.force_login(meetings_world.users["admin"])
    return client


def _management(**totals):
    data = {}
    for prefix in INLINES:
        total, initial = totals.get(prefix, (0, 0))
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": total,
                f"{prefix}-INITIAL_FORMS": initial,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    return data


def _meeting_data(world, **fields):
    return {
        "plan": world.plan.pk,
        "slug": "",
        "title_en": "Added in the admin",
        "kind": "board",
        "start_date": "2025-02-03",
        "date_precision": "day",
        "is_public": "on",
        **_management(agenda_items=(1, 0)),
        "agenda_items-0-order": 1,
        "agenda_items-0-title_en": "Opening",
        **fields,
    }


def test_a_meeting_added_in_the_admin_gets_a_slug_and_a_revision(admin_client, meetings_world):
    url = reverse("admin:meetings_meeting_add")
    response = admin_client.post(url, _meeting_data(meetings_world))
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(title="Added in the admin")
    assert meeting.slug == "2025-02-03-added-in-the-admin"
    assert meeting.agenda_items.get().title == "Opening"
    revision = meeting.revisions.get()
    assert revision.source == "admin" and ["agenda", "", "Opening"] in revision.changes


def test_a_stale_admin_edit_is_refused(admin_client, meetings_world):
    meeting = add_meeting(meetings_world)
    item = meeting.agenda_items.get()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        **_meeting_data(
            meetings_world,
            slug=meeting.slug,
            title_en="Edited in the admin",
            audience="open",
            organiser=meetings_world.institution_a.pk,
            start_date="2025-03-04",
        ),
        **_management(agenda_items=(1, 1)),
        "agenda_items-0-id": item.pk,
        "agenda_items-0-meeting": meeting.pk,
        "agenda_items-0-order": 1,
        "agenda_items-0-title_en": item.title,
        "expected_version": 1,
    }
    Meeting.objects.filter(pk=meeting.pk).update(version=2)  # someone saved meanwhile
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "Someone saved this" in response.content.decode()
    data["expected_version"] = 2
    assert admin_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Edited in the admin" and meeting.version == 3
    assert MeetingRevision.objects.get(meeting=meeting).changes == [
        ["title_en", "Board session", "Edited in the admin"]
    ]


def test_an_annotation_edited_in_the_admin_keeps_its_history(admin_client, meetings_world):
    meeting = add_meeting(meetings_world)
    note = annotate(meetings_world, meeting, text="Original")
    url = reverse("admin:meetings_annotation_change", args=[note.pk])
    response = admin_client.post(
        url,
        {
            "meeting": meeting.pk,
            "kind": "note",
            "visibility": "public",
            "text": "Moderated",
            "expected_version": 1,
        },
    )
    assert response.status_code == 302
    assert list(note.revisions.order_by("version").values_list("text", "source")) == [
        ("Original", "portal"),
        ("Moderated", "admin"),
    ]


def test_parts_and_revisions_are_read_only_in_the_admin(admin_client, meetings_world):
    add_meeting(meetings_world)
    for model in (
        "agendaitem",
        "participation",
        "attendee",
        "meetingdocument",
        "meetingrevision",
        "annotationrevision",
    ):
        assert admin_client.get(reverse(f"admin:meetings_{model}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:meetings_{model}_add")).status_code == 403
    item = AgendaItem.objects.get()
    assert (
        admin_client.post(
            reverse("admin:meetings_agendaitem_delete", args=[item.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Annotation.objects.count() == 0
