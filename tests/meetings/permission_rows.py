"""The meetings' rows of the permission matrix (tests/portal/test_permission_matrix.py runs them
for every persona). They use only what its `world` holds: plan, institution_a/b, step_a/b, users.
"""

from django.urls import reverse

from meetings.models import Annotation, Meeting, ReasonedResponse
from tests.meetings.factories import PAST, meeting_form_data, with_meeting
from tests.personas import Row


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
    meeting = with_meeting(world).meeting
    url = reverse("meetings:edit", args=[world.plan.slug, meeting.slug])
    return "post", url, meeting_form_data(meeting, title=_new_title(persona))


def _add_annotation(world, persona):
    meeting = with_meeting(world).meeting
    url = reverse("meetings:add_annotation", args=[world.plan.slug, meeting.slug])
    return "post", url, {"kind": "note", "visibility": "public", "text": f"Noted by {persona}"}


def _edit_annotation(world, persona):
    note = with_meeting(world).note
    prefix = f"annotation-{note.pk}"
    return (
        "post",
        reverse("meetings:edit_annotation", args=[note.pk]),
        {
            f"{prefix}-version": note.version,
            f"{prefix}-kind": "decision",
            f"{prefix}-visibility": "public",
            f"{prefix}-text": f"Edited by {persona}",
        },
    )


def _annotation_action(name, attribute):
    def request(world, persona):
        annotation = getattr(with_meeting(world), attribute)
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


# --- The register of reasoned responses --------------------------------------------------------


def _propose(world, persona):
    url = reverse("meetings:propose_response", args=[world.plan.slug])
    data = {
        "source_kind": "public",
        "received_on": "2025-05-01",
        "text_en": f"Proposed by {persona}",
        "response": "adopted",
        "reason_en": "It fits the plan.",
    }
    return "post", url, data


def _proposed(world, persona):
    return ReasonedResponse.objects.filter(text_en=f"Proposed by {persona}").exists()


def _publish(world, persona):
    entry, _ = ReasonedResponse.objects.get_or_create(
        plan=world.plan,
        text_en="An input to publish",
        defaults={"source_kind": "public", "received_on": PAST, "response": "considering"},
    )
    return "post", reverse("meetings:publish_response", args=[world.plan.slug, entry.pk]), {}


def _published(world, persona):
    return ReasonedResponse.objects.filter(
        text_en="An input to publish", is_published=True
    ).exists()


MEETING_ROWS |= {
    "meetings:propose_response": Row({"coordinator", "board", "admin"}, _propose, _proposed),
    "meetings:publish_response": Row({"coordinator", "admin"}, _publish, _published),
}
