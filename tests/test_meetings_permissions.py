"""Who may change meetings and annotations.

MEETING_ROWS are the meetings' rows of the permission matrix (tests/test_permission_matrix.py,
which runs them for every persona); they use only what its `world` holds (plan, institution_a/b,
step_a/b, users). The tests here cover what a matrix row cannot: guessed addresses, board-only
annotations reached by id, another plan's coordinator.

The other modules of the meetings tests import `meetings_world` and the helpers from here.
"""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from meetings import services
from meetings.forms import PART_FORMSETS
from meetings.models import AgendaItem, Annotation, Meeting
from portal.models import PlanRole
from tests.permissions import Row, build_world

PAST = datetime.date(2025, 3, 4)


@pytest.fixture
def meetings_world(plan, jurisdiction, priority):
    return build_world(plan, jurisdiction, priority)


def add_meeting(world, **values):
    """A published past meeting organised by institution A, with one agenda item."""
    values = {
        "plan": world.plan,
        "title": "Board session",
        "kind": Meeting.Kind.BOARD,
        "start_date": PAST,
        "organiser": world.institution_a,
        "is_public": True,
        "audience": Meeting.Audience.OPEN,
        **values,
    }
    meeting = Meeting(**values)
    meeting.slug = services.unique_slug(world.plan, meeting.start_date, meeting.title)
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, order=1, title="Progress of the plan")
    return meeting


def annotate(world, meeting, author="board", **values):
    values = {"text": "A note from the board.", **values}
    return services.create_annotation(
        Annotation(meeting=meeting, **values), author=world.users[author]
    )


def follow_up_values(world, **values):
    return {
        "kind": Annotation.Kind.FOLLOW_UP,
        "owner": world.institution_a,
        "due_date": datetime.date(2025, 5, 1),
        "text": "Publish the minutes.",
        **values,
    }


def meeting_form_data(meeting, **fields):
    """What the edit form posts for `meeting` unchanged, with `fields` changed."""
    data = {
        "version": meeting.version if meeting.pk else "",
        "title": meeting.title,
        "local_title": meeting.local_title,
        "kind": meeting.kind,
        "audience": meeting.audience,
        "start_date": meeting.start_date.isoformat(),
        "start_time": "",
        "end_date": "",
        "end_time": "",
        "date_precision": meeting.date_precision,
        "date_note": meeting.date_note,
        "format": meeting.format,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "organiser": meeting.organiser_id or "",
        "description": meeting.description,
        "outcomes": meeting.outcomes,
        "source_url": meeting.source_url,
    }
    if meeting.is_public:
        data["is_public"] = "on"
    for prefix, formset_class in PART_FORMSETS.items():
        related = Meeting.PARTS[prefix][0]
        parts = list(getattr(meeting, related).all()) if meeting.pk else []
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(parts),
                f"{prefix}-INITIAL_FORMS": len(parts),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, part in enumerate(parts):
            values = model_to_dict(part, fields=formset_class.form._meta.fields)
            data[f"{prefix}-{index}-id"] = part.pk
            for name, value in values.items():
                data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def _objects(world):
    """The meeting, its board note and follow-up that the rows act on; made once per world."""
    if not hasattr(world, "meeting"):
        world.meeting = add_meeting(world)
        world.note = annotate(world, world.meeting)
        world.follow_up = annotate(world, world.meeting, **follow_up_values(world))
    return world


def _new_title(persona):
    return f"Meeting recorded by {persona}"


def _create(world, persona):
    plan = world.plan
    organiser = world.institution_b if persona == "staff_b" else world.institution_a
    draft = Meeting(
        plan=plan,
        title=_new_title(persona),
        kind=Meeting.Kind.WORKSHOP,
        start_date=PAST,
        organiser=organiser,
    )
    return "post", reverse("meetings:create", args=[plan.slug]), meeting_form_data(draft)


def _edit(world, persona):
    meeting = _objects(world).meeting
    url = reverse("meetings:edit", args=[world.plan.slug, meeting.slug])
    return "post", url, meeting_form_data(meeting, title=_new_title(persona))


def _add_annotation(world, persona):
    meeting = _objects(world).meeting
    url = reverse("meetings:add_annotation", args=[world.plan.slug, meeting.slug])
    return "post", url, {"kind": "note", "visibility": "public", "text": f"Noted by {persona}"}


def _edit_annotation(world, persona):
    note = _objects(world).note
    prefix = f"annotation-{note.pk}"
    return (
        "post",
        reverse("meetings:edit_annotation", args=[note.pk]),
        {
            "version": note.version,
            f"{prefix}-kind": "decision",
            f"{prefix}-visibility": "public",
            f"{prefix}-text": f"Edited by {persona}",
        },
    )


def _annotation_action(name, attribute):
    def request(world, persona):
        annotation = getattr(_objects(world), attribute)
        return "post", reverse(name, args=[annotation.pk]), {"version": annotation.version}

    return request


MEETING_ROWS = {
    "meetings:create": Row(
        allowed={"staff_a", "staff_b", "coordinator", "admin"},
        request=_create,
        changed=lambda world, persona: Meeting.objects.filter(title=_new_title(persona)).exists(),
    ),
    "meetings:edit": Row(
        allowed={"staff_a", "coordinator", "admin"},
        request=_edit,
        changed=lambda world, persona: Meeting.objects.filter(title=_new_title(persona)).exists(),
    ),
    "meetings:add_annotation": Row(
        allowed={"coordinator", "board", "admin"},
        request=_add_annotation,
        changed=lambda world, persona: Annotation.objects.filter(
            text=f"Noted by {persona}"
        ).exists(),
    ),
    "meetings:edit_annotation": Row(
        allowed={"board"},
        request=_edit_annotation,
        changed=lambda world, persona: Annotation.objects.filter(
            text=f"Edited by {persona}"
        ).exists(),
    ),
    "meetings:withdraw_annotation": Row(
        allowed={"board"},
        request=_annotation_action("meetings:withdraw_annotation", "note"),
        changed=lambda world, persona: (
            Annotation.objects.get(pk=world.note.pk).withdrawn_at is not None
        ),
    ),
    "meetings:mark_done": Row(
        allowed={"staff_a", "coordinator", "admin"},
        request=_annotation_action("meetings:mark_done", "follow_up"),
        changed=lambda world, persona: (
            Annotation.objects.get(pk=world.follow_up.pk).done_at is not None
        ),
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["html", "htmx"])
def test_staff_of_another_institution_cannot_edit_by_guessing_addresses(
    client, meetings_world, htmx
):
    """Staff of B get 403 on A's published meeting, 404 on A's draft and on made-up addresses."""
    world = _objects(meetings_world)
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
    world = _objects(meetings_world)
    secret = annotate(world, world.meeting, visibility=Annotation.Visibility.BOARD)
    client.force_login(world.users["staff_a"])
    for name in ("meetings:annotation", "meetings:edit_annotation"):
        response = client.get(reverse(name, args=[secret.pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 404
    for name in ("meetings:withdraw_annotation", "meetings:mark_done"):
        assert client.post(reverse(name, args=[secret.pk]), {"version": 1}).status_code == 404
    assert Annotation.objects.get(pk=secret.pk).withdrawn_at is None


def test_monitor_reads_board_only_annotations_but_cannot_annotate(client, meetings_world):
    world = _objects(meetings_world)
    annotate(
        world, world.meeting, text="Only for the board", visibility=Annotation.Visibility.BOARD
    )
    client.force_login(world.users["monitor"])
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Only for the board" in page
    assert "Add an annotation" not in page


def test_coordinator_of_another_plan_is_like_the_public(client, meetings_world, jurisdiction):
    world = _objects(meetings_world)
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
