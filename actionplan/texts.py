"""Editing a step's or a priority's texts in both languages, with a history of every edit.

The same optimistic pattern as status updates and meetings: the form names the text version it
started from; a save that finds another version first is a StaleEdit (409), and nothing is written.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from actionplan.models import ActionStep, Priority, TextRevision
from core.content import columns
from core.editing import StaleEdit

# The texts each kind of subject has in the editor; milestones' titles come with their step.
TEXT_FIELDS = {
    ActionStep: ("title", "problem", "description", "expected_result"),
    Priority: ("title", "description"),
}
MILESTONE_FIELDS = ("title",)


def subject_filter(subject):
    return {"step": subject} if isinstance(subject, ActionStep) else {"priority": subject}


def text_version(subject):
    """How many times the subject's texts were edited here (0: as imported)."""
    revisions = TextRevision.objects.filter(**subject_filter(subject))
    return revisions.aggregate(v=Max("version"))["v"] or 0


def text_state(subject, milestones=()):
    """{column: text} for the subject and, keyed by order, the given milestones."""
    state = {c: getattr(subject, c) or "" for c in columns(*TEXT_FIELDS[type(subject)])}
    for milestone in milestones:
        for column in columns(*MILESTONE_FIELDS):
            state[f"milestone:{milestone.order}:{column}"] = getattr(milestone, column) or ""
    return state


def _diff(before, after):
    return [[name, before[name], value] for name, value in after.items() if before[name] != value]


def stored_texts(subject):
    """text_state as the database has it now, milestones included for a step."""
    stored = type(subject).objects.get(pk=subject.pk)
    milestones = stored.milestones.order_by("order", "id") if isinstance(stored, ActionStep) else ()
    return text_state(stored, milestones)


def save_texts(subject, apply, *, actor, expected_version):
    """Run `apply()` (which saves the subject and its milestones) if nobody saved since
    `expected_version`, and record what changed. Returns the revision, or None if nothing did."""
    try:
        with transaction.atomic():
            type(subject).objects.select_for_update().filter(pk=subject.pk).first()
            current = text_version(subject)
            if current != expected_version:
                raise StaleEdit(subject)
            before = stored_texts(subject)
            apply()
            changes = _diff(before, stored_texts(subject))
            if not changes:
                return None
            return TextRevision.objects.create(
                **subject_filter(subject),
                version=current + 1,
                created_at=timezone.now(),
                actor=actor,
                changes=changes,
            )
    except IntegrityError:
        # Another editor wrote the same version between our check and our insert.
        raise StaleEdit(subject) from None
