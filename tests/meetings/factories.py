"""Meetings and annotations for the meetings tests, made the way the portal makes them."""

import datetime

from django.forms.models import model_to_dict

from core.content import columns
from meetings import services
from meetings.forms import PART_FORMSETS
from meetings.models import AgendaItem, Annotation, Meeting

PAST = datetime.date(2025, 3, 4)


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


def _texts(meeting, *fields):
    """The translated fields as the form posts them: a column per language."""
    return {column: getattr(meeting, column) or "" for column in columns(*fields)}


TEXTS = ("title", "date_note", "place", "description", "outcomes")


def meeting_form_data(meeting, **fields):
    """What the edit form posts for `meeting` unchanged, with `fields` changed; a text given by its
    field's name (title=...) is its English text, the language the tests read."""
    fields = {f"{name}_en" if name in TEXTS else name: value for name, value in fields.items()}
    data = {
        "version": meeting.version if meeting.pk else "",
        **_texts(meeting, *TEXTS),
        "kind": meeting.kind,
        "audience": meeting.audience,
        "start_date": meeting.start_date.isoformat(),
        "start_time": "",
        "end_date": "",
        "end_time": "",
        "date_precision": meeting.date_precision,
        "format": meeting.format,
        "online_url": meeting.online_url,
        "organiser": meeting.organiser_id or "",
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


def with_meeting(world):
    """The meeting, its board note and follow-up that the rows act on; made once per world."""
    if not hasattr(world, "meeting"):
        world.meeting = add_meeting(world)
        world.note = annotate(world, world.meeting)
        world.follow_up = annotate(world, world.meeting, **follow_up_values(world))
    return world
