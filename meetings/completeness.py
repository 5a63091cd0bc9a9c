"""Meetings in the completeness table (core.content.completeness)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.content import ContentKind, register_content_kind, text_of
from meetings.access import is_coordinator
from meetings.models import AgendaItem, Meeting


def _edit_url(meeting, user, anchor=""):
    if not is_coordinator(user, meeting.plan_id):
        return None
    return reverse("meetings:edit", args=[meeting.plan.slug, meeting.slug]) + anchor


def register():
    register_content_kind(
        ContentKind(
            _("Meetings"),
            ("title", "description", "outcomes", "date_note", "place"),
            lambda plan: Meeting.objects.filter(plan=plan).select_related("plan"),
            lambda m: f"{m.start_date:%Y-%m-%d} {text_of(m, 'title').text}",
            _edit_url,
            order=70,
        )
    )
    register_content_kind(
        ContentKind(
            _("Agenda items"),
            ("title",),
            lambda plan: AgendaItem.objects.filter(meeting__plan=plan).select_related(
                "meeting__plan"
            ),
            lambda a: f"{text_of(a.meeting, 'title').text} · {text_of(a, 'title').text}",
            lambda a, user: _edit_url(a.meeting, user, "#agenda"),
            order=80,
        )
    )
