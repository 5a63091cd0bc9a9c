"""Who may see, edit and annotate meetings. Views ask these helpers; templates get their answers.

- Everyone sees a published meeting of a public plan, and its public annotations.
- A coordinator of the plan, and staff of the organising institution, edit the meeting (and see it
  as a draft); a coordinator or staff of an institution taking part in the plan create meetings.
- Coordinators and board members of the plan annotate; coordinators, board members and monitors
  read board-only annotations. Nobody else ever receives them.
- A follow-up is marked done by a coordinator of the plan or by staff of the owner institution.

A meeting or annotation the user may not see is a 404, so ids and addresses cannot be probed; one
they see but may not change is a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from actionplan.models import ActionPlan, Institution, StepInstitution
from actionplan.queries import PUBLIC_PLAN_STATUSES
from portal.access import institution_ids, roles
from portal.models import PLAN_SCOPED_ROLES, PlanRole, Role

from .models import Annotation, Meeting

BOARD_READERS = frozenset({Role.COORDINATOR, Role.BOARD, Role.MONITOR})
ANNOTATORS = frozenset({Role.COORDINATOR, Role.BOARD})


def plan_roles(user, plan_id):
    """The plan-scoped roles the user holds for one plan (all of them for an administrator).

    One query per plan and request, cached on the user object like portal.access.roles.
    """
    held = roles(user)
    if Role.ADMINISTRATOR in held:
        return frozenset(PLAN_SCOPED_ROLES)
    candidates = held & set(PLAN_SCOPED_ROLES)
    if not candidates:
        return frozenset()
    cache = user.__dict__.setdefault("_meeting_plan_roles", {})
    if plan_id not in cache:
        cache[plan_id] = frozenset(
            PlanRole.objects.filter(user=user, plan_id=plan_id, role__in=candidates).values_list(
                "role", flat=True
            )
        )
    return cache[plan_id]


def reads_board_only(user, plan_id):
    return bool(plan_roles(user, plan_id) & BOARD_READERS)


def is_coordinator(user, plan_id):
    return Role.COORDINATOR in plan_roles(user, plan_id)


def plan_is_public(plan):
    return plan.status in PUBLIC_PLAN_STATUSES


@dataclass(frozen=True)
class MeetingAccess:
    """What one user may do with one meeting; computed once per request."""

    user_id: int | None
    can_see: bool
    can_edit: bool
    can_annotate: bool
    reads_board_only: bool
    is_coordinator: bool
    own_institutions: frozenset

    def can_change(self, annotation):
        """Authors edit and withdraw their own annotations, until withdrawn."""
        return bool(
            self.user_id and annotation.author_id == self.user_id and not annotation.is_withdrawn
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


def meeting_access(user, meeting):
    plan_id = meeting.plan_id
    coordinator = is_coordinator(user, plan_id)
    own = frozenset(institution_ids(user))
    can_edit = coordinator or (meeting.organiser_id is not None and meeting.organiser_id in own)
    can_see = can_edit or (meeting.is_public and plan_is_public(meeting.plan))
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


def visible_meetings(user, queryset=None):
    """Meetings the user may see: published ones of public plans, and drafts they edit."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    rule = Q(is_public=True, plan__status__in=PUBLIC_PLAN_STATUSES)
    if user.is_authenticated:
        if Role.ADMINISTRATOR in roles(user):
            return queryset
        if Role.COORDINATOR in roles(user):
            rule |= Q(plan_id__in=coordinated_plan_ids(user))
        own = institution_ids(user)
        if own:
            rule |= Q(organiser_id__in=own)
    return queryset.filter(rule)


def coordinated_plan_ids(user):
    if Role.ADMINISTRATOR in roles(user):
        return list(ActionPlan.objects.values_list("pk", flat=True))
    if Role.COORDINATOR not in roles(user):
        return []
    return list(
        PlanRole.objects.filter(user=user, role=Role.COORDINATOR).values_list("plan_id", flat=True)
    )


def board_reader_plan_ids(user):
    """Plans in which the user reads board-only annotations."""
    if Role.ADMINISTRATOR in roles(user):
        return list(ActionPlan.objects.values_list("pk", flat=True))
    if not roles(user) & BOARD_READERS:
        return []
    return list(
        PlanRole.objects.filter(user=user, role__in=BOARD_READERS).values_list("plan_id", flat=True)
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
    """(meeting, access); 404 when the meeting does not exist or the user may not see it."""
    meeting = get_object_or_404(
        queryset if queryset is not None else _meeting_queryset(), plan__slug=plan_slug, slug=slug
    )
    access = meeting_access(request.user, meeting)
    if not access.can_see:
        raise Http404
    return meeting, access


def get_meeting_for_edit(request, plan_slug, slug, queryset=None):
    meeting, access = get_meeting_for_user(request, plan_slug, slug, queryset)
    if not access.can_edit:
        raise PermissionDenied
    return meeting, access


def get_meeting_for_annotating(request, plan_slug, slug, queryset=None):
    meeting, access = get_meeting_for_user(request, plan_slug, slug, queryset)
    if not access.can_annotate:
        raise PermissionDenied
    return meeting, access


def get_plan_for_new_meeting(request, plan_slug):
    plan = get_object_or_404(ActionPlan.objects.select_related("jurisdiction"), slug=plan_slug)
    if not can_create_meeting(request.user, plan):
        if not plan_is_public(plan):
            raise Http404
        raise PermissionDenied
    return plan


def get_annotation_for_user(request, pk):
    """(annotation, access); 404 when the user may not read it (board-only, draft meeting…)."""
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
    access = meeting_access(request.user, annotation.meeting)
    if not access.can_see_annotation(annotation):
        raise Http404
    return annotation, access


def get_annotation_for_author(request, pk):
    annotation, access = get_annotation_for_user(request, pk)
    if not access.can_change(annotation):
        raise PermissionDenied
    return annotation, access


def get_follow_up_for_marking(request, pk):
    annotation, access = get_annotation_for_user(request, pk)
    if not access.can_mark_done(annotation):
        raise PermissionDenied
    return annotation, access
