"""The only ways meetings and annotations change. Each writes a revision with from → to.

Optimistic concurrency: an edit names the version it started from; one conditional UPDATE bumps the
version only if it is still that one. Zero rows updated means someone saved in between: StaleEdit,
nothing written (the caller answers 409 and shows the current values).
"""

import datetime

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.text import slugify

from core.editing import StaleEdit

from .models import (
    AgendaItem,
    Annotation,
    AnnotationRevision,
    Meeting,
    MeetingRevision,
    Participation,
)

MEETING_FIELDS = Meeting.EDITABLE_FIELDS
M2M_FIELDS = ("priorities", "steps")
ANNOTATION_FIELDS = (
    "agenda_item",
    "kind",
    "visibility",
    "text",
    "step",
    "owner",
    "due_date",
    "done_at",
    "withdrawn_at",
)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _codes(objects):
    return ", ".join(sorted(str(o.code) for o in objects))


def state_of(obj, names):
    """{field name: value as text} for the revision history; many-to-many as sorted codes."""
    state = {}
    for name in names:
        if obj._meta.get_field(name).many_to_many:
            state[name] = _codes(getattr(obj, name).all())
        else:
            state[name] = _text(getattr(obj, name))
    return state


def _part_order(part):
    return (part.order, part.pk is None, part.pk or 0)


def state_from(meeting, related, parts):
    """A meeting's state from its row (`meeting`), {m2m name: objects} and {part name: parts}.

    The same text whether the values come from the database or from a form or import file that
    is about to be saved, so that the two can be compared field by field.
    """
    state = {}
    for name in MEETING_FIELDS:
        if name in related:
            state[name] = _codes(related[name])
        else:
            state[name] = _text(getattr(meeting, name))
    for name in Meeting.PARTS:
        state[name] = "\n".join(part.summary() for part in sorted(parts[name], key=_part_order))
    return state


def meeting_state(pk):
    """A meeting as stored, with its agenda, participation, attendees and documents."""
    meeting = (
        Meeting.objects.select_related("organiser")
        .prefetch_related(
            *M2M_FIELDS,
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("step")),
            Prefetch("participation", queryset=Participation.objects.select_related("group")),
            "attendees",
            "documents",
        )
        .get(pk=pk)
    )
    return state_from(
        meeting,
        {name: getattr(meeting, name).all() for name in M2M_FIELDS},
        {name: getattr(meeting, related).all() for name, (related, _) in Meeting.PARTS.items()},
    )


def proposed_meeting_state(form, formsets):
    """The meeting as a valid MeetingForm and its part formsets would save it."""
    parts = {}
    for name, _heading, formset in formsets:
        deleted = set(map(id, formset.deleted_forms))
        parts[name] = [
            f.instance
            for f in formset.forms
            if id(f) not in deleted and (f.instance.pk or f.has_changed())
        ]
    return state_from(form.instance, {n: form.cleaned_data[n] for n in M2M_FIELDS}, parts)


def conflicting_values(form, formsets, current):
    """(field label, value saved meanwhile, value the user sent) where the two differ."""
    saved = meeting_state(current.pk)
    proposed = proposed_meeting_state(form, formsets)
    return [
        (
            Meeting.field_label(name),
            Meeting.value_label(name, saved[name]),
            Meeting.value_label(name, proposed[name]),
        )
        for name in saved
        if saved[name] != proposed[name]
    ]


def _diff(before, after):
    return [
        [name, before.get(name, ""), value]
        for name, value in after.items()
        if value != before.get(name, "")
    ]


def unique_slug(plan, start_date, title):
    base = f"{start_date:%Y-%m-%d}-{slugify(title)}"[:72].rstrip("-")
    slug, n = base, 1
    while Meeting.objects.filter(plan=plan, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def save_meeting(meeting, apply, *, actor, expected_version=None, source="portal"):
    """Create or change a meeting: the one path every edit takes (views, admin, import).

    `apply(meeting)` writes the changes (the meeting row, its many-to-many and its parts); it runs
    after the version check, inside the same transaction, and the revision records what it did.
    """
    now = timezone.now()
    if meeting.pk is None:
        before = {}
        if not meeting.slug:
            meeting.slug = unique_slug(meeting.plan, meeting.start_date, meeting.title)
        meeting.version = 1
        meeting.created_at = meeting.updated_at = now
    else:
        before = meeting_state(meeting.pk)
        bumped = Meeting.objects.filter(pk=meeting.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=now
        )
        if not bumped:
            raise StaleEdit(Meeting.objects.get(pk=meeting.pk))
        # `apply` saves the whole row, so it must carry the version just written.
        meeting.version = expected_version + 1
        meeting.updated_at = now
    apply(meeting)
    changes = _diff(before, meeting_state(meeting.pk))
    if changes:
        MeetingRevision.objects.create(
            meeting=meeting,
            version=meeting.version,
            created_at=now,
            actor=actor,
            source=source,
            changes=changes,
        )
    return meeting


@transaction.atomic
def create_annotation(annotation, *, author, source="portal"):
    now = timezone.now()
    annotation.author = author
    annotation.version = 1
    annotation.created_at = annotation.updated_at = now
    annotation.save()
    AnnotationRevision.objects.create(
        annotation=annotation,
        version=1,
        created_at=now,
        actor=author,
        source=source,
        changes=_diff({}, state_of(annotation, ANNOTATION_FIELDS)),
        text=annotation.text,
    )
    return annotation


@transaction.atomic
def change_annotation(annotation, *, actor, expected_version, source="portal", **values):
    """Edit, withdraw or mark done: `values` are the fields to set."""
    now = timezone.now()
    before = state_of(Annotation.objects.get(pk=annotation.pk), ANNOTATION_FIELDS)
    updated = Annotation.objects.filter(pk=annotation.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=now
    )
    if not updated:
        raise StaleEdit(Annotation.objects.get(pk=annotation.pk))
    for name, value in values.items():
        setattr(annotation, name, value)
    annotation.version = expected_version + 1
    annotation.updated_at = now
    AnnotationRevision.objects.create(
        annotation=annotation,
        version=annotation.version,
        created_at=now,
        actor=actor,
        source=source,
        changes=_diff(before, state_of(annotation, ANNOTATION_FIELDS)),
        text=annotation.text,
    )
    return annotation


def withdraw_annotation(annotation, *, actor, expected_version):
    return change_annotation(
        annotation, actor=actor, expected_version=expected_version, withdrawn_at=timezone.now()
    )


def mark_follow_up_done(annotation, *, actor, expected_version):
    return change_annotation(
        annotation,
        actor=actor,
        expected_version=expected_version,
        done_at=timezone.now(),
        done_by=actor,
    )
