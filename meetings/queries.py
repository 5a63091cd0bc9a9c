"""What the meeting pages, feeds and template tags read, with their joins stated.

Annotations are always filtered here by who reads them: board-only ones are never fetched for a
reader without a board-reading role in the plan, so no template can leak them by mistake.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from actionplan.models import ActionPlan, ActionStep, Priority, Sector
from actionplan.models.roles import Role, institution_ids, plans_with_role
from core.content import columns
from core.search import matching

from .models import BOARD_READERS, AgendaItem, Annotation, Attendee, Meeting, Participation


def annotations_for(user, plan_id, queryset=None):
    """Annotations this user may read in one plan (the public ones, or all for board readers)."""
    queryset = Annotation.objects.all() if queryset is None else queryset
    return queryset.visible_to(user, plan_id)


def list_meetings(user, *, plan=None, kind="", q=""):
    """Meetings the user may see, filtered; the plan and its city label each row."""
    meetings = Meeting.objects.visible_to(user).select_related("plan__jurisdiction", "organiser")
    if plan:
        meetings = meetings.filter(plan=plan)
    if kind:
        meetings = meetings.filter(kind=kind)
    if q:
        # Search reads what the public reads: board-only annotations never match.
        public_annotation = Annotation.objects.public().filter(
            matching(q, "text"), meeting=OuterRef("pk"), withdrawn_at__isnull=True
        )
        text = matching(q, *columns("title", "description", "outcomes", "place"))
        meetings = meetings.filter(text | Exists(public_annotation))
    return meetings.order_by("start_date", "start_time", "title")


def split_upcoming(meetings, today=None):
    """(upcoming soonest first, past latest first)."""
    today = today or timezone.localdate()
    upcoming = [m for m in meetings if m.is_upcoming(today)]
    past = [m for m in meetings if not m.is_upcoming(today)]
    past.reverse()
    return upcoming, past


def meeting_page_queryset():
    """The meeting with everything its page shows, in a fixed number of queries."""
    return Meeting.objects.select_related("plan__jurisdiction", "organiser").prefetch_related(
        # Steps and priorities link to their pages, whose addresses name the plan.
        Prefetch("priorities", queryset=Priority.objects.select_related("plan")),
        Prefetch("steps", queryset=ActionStep.objects.select_related("plan")),
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("step__plan")),
        Prefetch("participation", queryset=Participation.objects.select_related("group")),
        # Only people who agreed to be named are ever read for display.
        Prefetch("attendees", queryset=Attendee.objects.filter(consents_to_be_named=True)),
        "documents",
    )


def meeting_annotations(meeting, user, meeting_access):
    """The annotations the user may read, each with what the user may do with it.

    Returns (general annotations, {agenda item id: [annotations]}).
    """
    rows = annotations_for(
        user,
        meeting.plan_id,
        meeting.annotations.select_related("author", "step__plan", "owner"),
    )
    general, by_item = [], {}
    for annotation in rows:
        decorate(annotation, meeting_access)
        if annotation.agenda_item_id:
            by_item.setdefault(annotation.agenda_item_id, []).append(annotation)
        else:
            general.append(annotation)
    return general, by_item


def decorate(annotation, meeting_access):
    """Flags the templates read: what this reader may do with this annotation."""
    annotation.can_change = meeting_access.can_change(annotation)
    annotation.can_mark_done = meeting_access.can_mark_done(annotation)
    return annotation


def step_annotations(step, user):
    """Annotations that reference a step, from meetings the user may see, oldest first."""
    meetings = Meeting.objects.filter(plan_id=step.plan_id).visible_to(user)
    return list(
        annotations_for(user, step.plan_id, step.annotations.filter(meeting__in=meetings))
        # The meeting and its plan's city title the annotation; step: its link; owner: named.
        .select_related("meeting__plan__jurisdiction", "step__plan", "owner", "author")
        .order_by("created_at", "id")
    )


def open_follow_ups(user, plan=None):
    """Follow-ups not yet done or withdrawn that the user is to act on, earliest due first.

    Coordinators get every follow-up of the plans they coordinate; institution staff get those
    owned by their institutions, on published meetings, that they may read (board-only ones only
    if they also read board-only annotations in that plan).
    """
    if not user.is_authenticated:
        return []
    follow_ups = Annotation.objects.filter(
        kind=Annotation.Kind.FOLLOW_UP, done_at__isnull=True, withdrawn_at__isnull=True
    )
    if plan is not None:
        follow_ups = follow_ups.filter(meeting__plan=plan)
    coordinated = plans_with_role(user, Role.COORDINATOR)
    if coordinated is not None:  # an administrator acts on every follow-up
        rule = Q(meeting__plan_id__in=coordinated)
        own = institution_ids(user)
        if own:
            board_plans = plans_with_role(user, *BOARD_READERS)
            readable = Annotation.public_rule() | Q(meeting__plan_id__in=board_plans)
            rule |= readable & Meeting.public_rule("meeting__") & Q(owner_id__in=own)
        follow_ups = follow_ups.filter(rule)
    return list(
        follow_ups
        # The meeting and its plan's city title each row, the owner is named, the step linked.
        .select_related("meeting__plan__jurisdiction", "owner", "step__plan").order_by(
            "due_date", "id"
        )
    )


@dataclass
class CocreationFigures:
    """What the meeting records say about co-creation, next to what the plan declared."""

    plan: ActionPlan
    meetings: int = 0
    public_facing_meetings: int = 0
    groups: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    participants_by_sector: list = field(default_factory=list)  # [(label, count)], largest first
    participants: int = 0
    until: object = None  # the plan's submission date: co-creation happened before it

    @property
    def declared_groups(self):
        return self.plan.declared_groups

    @property
    def declared_public_meetings(self):
        return self.plan.declared_public_meetings

    @property
    def unrecorded_public_meetings(self):
        """How many declared public-facing meetings have no record (0 when none are missing)."""
        return max((self.declared_public_meetings or 0) - self.public_facing_meetings, 0)


def cocreation_figures(plan):
    """Figures computed from the plan's published meetings held up to its submission.

    Two queries: the meetings, and their participation rows with groups.
    """
    meetings = Meeting.objects.public().filter(plan=plan)
    if plan.submitted_on:
        meetings = meetings.filter(start_date__lte=plan.submitted_on)
    meeting_list = list(meetings.only("pk", "audience"))
    # A subquery rather than a list of ids, so a plan without meetings costs the same two queries.
    rows = list(Participation.objects.filter(meeting__in=meetings).select_related("group"))
    by_sector = Counter()
    sectors, groups = set(), {}
    for row in rows:
        sectors.add(row.sector)
        if row.count:  # a group may be recorded as present without a number
            by_sector[row.sector] += row.count
        if row.group_id:
            groups[row.group_id] = row.group
    sector_labels = dict(Sector.choices)
    return CocreationFigures(
        plan=plan,
        meetings=len(meeting_list),
        public_facing_meetings=sum(1 for m in meeting_list if m.is_public_facing),
        groups=sorted(groups.values(), key=lambda g: (g.order, g.name)),
        sectors=[label for key, label in sector_labels.items() if key in sectors],
        participants_by_sector=[
            (sector_labels.get(sector) or None, count) for sector, count in by_sector.most_common()
        ],
        participants=sum(by_sector.values()),
        until=plan.submitted_on,
    )
