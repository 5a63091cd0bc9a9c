"""Who may change meetings and annotations.

The matrix rows are in permission_rows.py. The tests here cover what a matrix row cannot: guessed
addresses, board-only annotations reached by id, another plan's coordinator.
"""

import pytest
from django.urls import reverse

from actionplan.models import PlanRole
from meetings.models import Annotation, Meeting
from tests.meetings.factories import PAST, add_meeting, annotate, meeting_form_data, with_meeting


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_staff_of_another_institution_cannot_edit_by_guessing_addresses(
    client, meetings_world, htmx
):
    """Staff of B get 403 on A's published meeting, 404 on A's draft and on made-up addresses."""
    world = with_meeting(meetings_world)
    draft = add_meeting(world, title="Draft of A", is_public=False)
    client.force_login(world.users["staff_b"])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    plan = world.plan.slug
    expected = {
        reverse("meetings:edit", args=[plan, world.meeting.slug]): 403,
        reverse("meetings:edit", args=[plan, draft.slug]): 404,
        reverse("meetings:edit", args=[plan, "no-such-meeting"]): 404,
        reverse("meetings:edit", args=["no-such-plan", world.meeting.slug]): 404,
        reverse("meetings:edit_annotation", args=[world.note.pk + 1000]): 404,
    }
    for url, status in expected.items():
        assert client.get(url, **headers).status_code == status, url
        response = client.post(url, meeting_form_data(draft, title="Taken over"), **headers)
        assert response.status_code == status, url
    assert client.get(reverse("meetings:meeting", args=[plan, draft.slug])).status_code == 404
    assert not Meeting.objects.filter(title="Taken over").exists()


def test_board_only_annotation_cannot_be_reached_by_id(client, meetings_world):
    world = with_meeting(meetings_world)
    secret = annotate(world, world.meeting, visibility=Annotation.Visibility.BOARD)
    client.force_login(world.users["staff_a"])
    for name in ("meetings:annotation", "meetings:edit_annotation"):
        response = client.get(reverse(name, args=[secret.pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 404
    for name in ("meetings:withdraw_annotation", "meetings:mark_done"):
        assert client.post(reverse(name, args=[secret.pk]), {"version": 1}).status_code == 404
    assert Annotation.objects.get(pk=secret.pk).withdrawn_at is None


def test_monitor_reads_board_only_annotations_but_cannot_annotate(client, meetings_world):
    world = with_meeting(meetings_world)
    annotate(
        world, world.meeting, text="Only for the board", visibility=Annotation.Visibility.BOARD
    )
    client.force_login(world.users["monitor"])
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Only for the board" in page
    assert "Add an annotation" not in page


def test_coordinator_of_another_plan_is_like_the_public(client, meetings_world, jurisdiction):
    world = with_meeting(meetings_world)
    other = type(world.plan).objects.create(
        jurisdiction=jurisdiction,
        slug="other",
        code="OT",
        title="Other plan",
        period_start=PAST,
        period_end=PAST,
    )
    PlanRole.objects.filter(user=world.users["coordinator"]).update(plan=other)
    annotate(
        world, world.meeting, text="Only for the board", visibility=Annotation.Visibility.BOARD
    )
    client.force_login(world.users["coordinator"])
    assert "Only for the board" not in client.get(world.meeting.get_absolute_url()).content.decode()
    edit = reverse("meetings:edit", args=[world.plan.slug, world.meeting.slug])
    assert client.get(edit).status_code == 403
