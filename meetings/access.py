"""Who may see, edit and annotate meetings (see core.access for the contract every app follows).

- Everyone sees a published meeting of a public plan, and its public annotations.
- A coordinator of the plan, and staff of the organising institution, edit the meeting (and see it
  as a draft); a coordinator or staff of an institution taking part in the plan create meetings.
- Coordinators and board members of the plan annotate; coordinators, board members and monitors
  read board-only annotations. Nobody else ever receives them.
- Authors edit and withdraw their own annotations while they hold that role; one who loses it
  loses those rights too.
- A follow-up is marked done by a coordinator of the plan or by staff of the owner institution.

A meeting or annotation the user may not see is a 404, so ids and addresses cannot be probed; one
they see but may not change is a 403.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from actionplan.models import ActionPlan, Institution, StepInstitution
from actionplan.models.roles import Role, has_plan_role, institution_ids, plan_roles
from core.access import Access

from .models import ANNOTATORS, BOARD_READERS, Annotation, Meeting


def reads_board_only(user, plan_id):
    return bool(plan_roles(user, plan_id) & BOARD_READERS)


def is_coordinator(user, plan_id):
    return has_plan_role(user, plan_id, Role.COORDINATOR)


@dataclass(frozen=True)
class MeetingAccess(Access):
    """What one user may do with one meeting and its annotations."""

    user_id: int | None
    can_see: bool
    can_edit: bool
    can_annotate: bool
    reads_board_only: bool
    is_coordinator: bool
    own_institutions: frozenset

    def can_change(self, annotation):
        """Authors edit and withdraw their own annotations, until withdrawn, while they still
        annotate this plan's meetings: a former board member's notes stay as they were left."""
        return bool(
            self.user_id
            and self.can_annotate
            and annotation.author_id == self.user_id
            and not annotation.is_withdrawn
        )

    def can_mark_done(self, annotation):
        return (
            annotation.is_follow_up
            and not annotation.done_at
            and not annotation.is_withdrawn
            and (self.is_coordinator or annotation.owner_id in self.own_institutions)
        )

    def can_see_annotation(self, annotation):
        return self.can_see and (not annotation.is_board_only or self.reads_board_only)


@dataclass(frozen=True)
class AnnotationAccess(Access):
    """What one user may do with one annotation; `meeting` is the access to its meeting."""

    meeting: MeetingAccess
    can_see: bool
    can_change: bool
    can_mark_done: bool


@dataclass(frozen=True)
class PlanMeetingsAccess(Access):
    """What one user may do with the meetings of one plan as a whole."""

    can_see: bool
    can_create: bool


def meeting_access(user, meeting):
    plan_id = meeting.plan_id
    coordinator = is_coordinator(user, plan_id)
    own = frozenset(institution_ids(user))
    can_edit = coordinator or (meeting.organiser_id is not None and meeting.organiser_id in own)
    can_see = can_edit or (meeting.is_public and meeting.plan.is_public)
    held = plan_roles(user, plan_id)
    return MeetingAccess(
        user_id=user.pk if user.is_authenticated else None,
        can_see=can_see,
        can_edit=can_edit,
        can_annotate=can_see and bool(held & ANNOTATORS),
        reads_board_only=bool(held & BOARD_READERS),
        is_coordinator=coordinator,
        own_institutions=own,
    )


def annotation_access(meeting_access, annotation):
    return AnnotationAccess(
        meeting=meeting_access,
        can_see=meeting_access.can_see_annotation(annotation),
        can_change=meeting_access.can_change(annotation),
        can_mark_done=meeting_access.can_mark_done(annotation),
    )


def organiser_choices(user, plan, current=None):
    """Institutions the user may name as organiser of a meeting of this plan.

    A coordinator picks any institution of the city; staff pick their own institutions that take
    part in the plan (lead or support one of its steps). `current`, the organiser already set,
    stays a valid choice.
    """
    institutions = Institution.objects.filter(jurisdiction_id=plan.jurisdiction_id)
    if is_coordinator(user, plan.pk):
        return institutions
    taking_part = StepInstitution.objects.filter(step__plan=plan).values("institution_id")
    own = Q(pk__in=institution_ids(user)) & Q(pk__in=taking_part)
    return institutions.filter(own | Q(pk=current)) if current else institutions.filter(own)


def can_create_meeting(user, plan):
    return is_coordinator(user, plan.pk) or organiser_choices(user, plan).exists()


def _meeting_queryset():
    # The plan and its city name the page; the organiser is shown on it.
    return Meeting.objects.select_related("plan__jurisdiction", "organiser")


def get_meeting_for_user(request, plan_slug, slug, queryset=None):
    """(meeting, MeetingAccess); 404 when the meeting does not exist or the user may not see it."""
    meeting = get_object_or_404(
        queryset if queryset is not None else _meeting_queryset(), plan__slug=plan_slug, slug=slug
    )
    access = meeting_access(request.user, meeting)
    if not access.can_see:
        raise Http404
    return meeting, access


def get_plan_for_user(request, plan_slug):
    """(plan, PlanMeetingsAccess); 404 for a draft plan the user may not record meetings in."""
    plan = get_object_or_404(ActionPlan.objects.select_related("jurisdiction"), slug=plan_slug)
    can_create = can_create_meeting(request.user, plan)
    access = PlanMeetingsAccess(can_see=can_create or plan.is_public, can_create=can_create)
    if not access.can_see:
        raise Http404
    return plan, access


def get_annotation_for_user(request, pk):
    """(annotation, AnnotationAccess); 404 when the user may not read it (board-only, draft
    meeting…)."""
    annotation = get_object_or_404(
        Annotation.objects.select_related(
            "meeting__plan__jurisdiction",
            "meeting__organiser",
            "author",
            "step",
            "owner",
            "agenda_item",
        ),
        pk=pk,
    )
    access = annotation_access(meeting_access(request.user, annotation.meeting), annotation)
    if not access.can_see:
        raise Http404
    return annotation, access
