"""An event as a mail shows it, in the subscriber's language: a heading, a link to the item on
the portal, and a few lines of text (the note, the evidence, the outcome).

Each record is read again through the public querysets of its app: an event whose record was made
board-only, withdrawn or unpublished since it happened yields no item, and nothing of it is sent.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actionplan import changelog
from actionplan.models import ActionPlan, ActionStep, StepUpdate
from core.content import text_of
from following.models import Event
from meetings.models import Annotation, Meeting
from monitoring.models import Assessment, MonitoringReport

EXCERPT_CHARS = 600


def absolute(path):
    return f"{settings.SITE_URL}{path}"


@dataclass
class Item:
    label: str  # what happened, e.g. "Action step updated"
    title: str  # what it happened to
    url: str
    lines: list = field(default_factory=list)
    links: list = field(default_factory=list)  # (text, absolute URL)
    occurred_at: object = None


def _text(obj, name):
    return str(text_of(obj, name))


def _excerpt(text):
    return Truncator(text.strip()).chars(EXCERPT_CHARS)


def _step_title(step):
    return f"{step.code} {_text(step, 'title')}"


def _public_steps():
    # plan: the links name its slug; priority is not shown.
    return ActionStep.objects.public().select_related("plan")


def step_update(event):
    if event.key.startswith("update:"):
        update = StepUpdate.objects.filter(pk=event.object_id).values_list("step_id").first()
        step_id = update[0] if update else None
    else:
        step_id = event.object_id
    step = _public_steps().filter(pk=step_id).first()
    if step is None:
        return None
    groups = changelog.versions_of(step, event.from_version, event.to_version)
    lines, links = [], []
    for group in reversed(groups):  # oldest first, as they happened
        if group.changes:
            lines.append(group.summary()[:1].upper() + group.summary()[1:] + ".")
        if group.update and group.update.note:
            lines.append(_("Note: %(note)s") % {"note": _excerpt(group.update.note)})
        if group.update:
            for evidence in group.update.evidence.all():
                if evidence.is_file:
                    url = absolute(reverse("staff:evidence", kwargs={"pk": evidence.pk}))
                    links.append((evidence.title or _("Evidence file"), url))
                else:
                    links.append((evidence.title or evidence.url, evidence.url))
    version = event.to_version
    return Item(
        _("Action step updated"),
        _step_title(step),
        absolute(f"{step.get_absolute_url()}#version-{version}"),
        lines,
        links,
    )


def overdue(event):
    step = _public_steps().filter(pk=event.object_id).first()
    if step is None or not step.is_overdue():
        return None
    line = _("The end date %(date)s has passed; the step is %(status)s.") % {
        "date": formats.date_format(step.end_date, "DATE_FORMAT"),
        "status": step.get_status_display().lower(),
    }
    return Item(
        _("Action step overdue"), _step_title(step), absolute(step.get_absolute_url()), [line]
    )


def meeting_outcome(event):
    # plan: the meeting's link names its slug.
    meeting = Meeting.objects.public().select_related("plan").filter(pk=event.object_id).first()
    if meeting is None:
        return None
    lines = [
        formats.date_format(meeting.start_date, "DATE_FORMAT"),
        _excerpt(_text(meeting, "outcomes")),
    ]
    return Item(
        _("Meeting outcomes published"),
        _text(meeting, "title"),
        absolute(meeting.get_absolute_url()),
        lines,
    )


def annotation(event):
    annotation = (
        Annotation.objects.public()
        .filter(Meeting.public_rule("meeting__"), withdrawn_at__isnull=True, pk=event.object_id)
        .select_related("meeting__plan")  # the link names the meeting and its plan
        .first()
    )
    if annotation is None:
        return None
    meeting = annotation.meeting
    return Item(
        _("%(kind)s on a meeting") % {"kind": annotation.get_kind_display()},
        _text(meeting, "title"),
        absolute(f"{meeting.get_absolute_url()}#annotation-{annotation.pk}"),
        [_excerpt(annotation.text)],
    )


def assessment(event):
    assessment = (
        Assessment.objects.published()
        .filter(ActionPlan.public_rule("step__plan__"), pk=event.object_id)
        .select_related("step__plan")  # the link names the step and its plan
        .first()
    )
    if assessment is None:
        return None
    step = assessment.step
    lines = []
    if assessment.completion:
        lines.append(_("Completion: %(value)s.") % {"value": assessment.get_completion_display()})
    narrative = _text(assessment, "narrative")
    if narrative:
        lines.append(_excerpt(narrative))
    return Item(
        _("Independent assessment published"),
        _step_title(step),
        absolute(f"{step.get_absolute_url()}#assessment"),
        lines,
    )


def report(event):
    report = (
        MonitoringReport.objects.published()
        .filter(ActionPlan.public_rule("plan__"), pk=event.object_id)
        .select_related("plan")  # the link names its slug
        .first()
    )
    if report is None:
        return None
    summary = _text(report, "summary")
    return Item(
        report.get_kind_display(),
        _text(report, "title"),
        absolute(report.get_absolute_url()),
        [_excerpt(summary)] if summary else [],
    )


def plan(event):
    plan = ActionPlan.objects.public().filter(pk=event.object_id).first()
    if plan is None:
        return None
    period = f"{formats.date_format(plan.period_start, 'DATE_FORMAT')} – "
    period += formats.date_format(plan.period_end, "DATE_FORMAT")
    return Item(
        _("New action plan published"),
        f"{plan.code} {_text(plan, 'title')}",
        absolute(plan.get_absolute_url()),
        [period],
    )


RENDERERS = {
    Event.Kind.STEP_UPDATE: step_update,
    Event.Kind.OVERDUE: overdue,
    Event.Kind.MEETING_OUTCOME: meeting_outcome,
    Event.Kind.ANNOTATION: annotation,
    Event.Kind.ASSESSMENT: assessment,
    Event.Kind.REPORT: report,
    Event.Kind.PLAN: plan,
}


def render(events, language):
    """The items of the events that are still public, oldest first, in `language`."""
    items = []
    with translation.override(language):
        for event in sorted(events, key=lambda e: (e.occurred_at, e.pk)):
            item = RENDERERS[event.kind](event)
            if item is not None:
                item.occurred_at = event.occurred_at
                items.append(item)
    return items
