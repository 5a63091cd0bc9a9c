"""Who hears of an event: a Notice for each active subscriber who follows it."""

from dataclasses import dataclass

from following.models import Event, Notice, Subscription


@dataclass(frozen=True)
class Follow:
    subscriber_id: int
    kind: str
    plan_id: int
    jurisdiction_id: int
    priority_id: int | None
    step_id: int | None


def follows(follow, event, jurisdiction_id):
    """Whether one subscription covers the event.

    A plan's followers hear of everything in the plan, and of a new plan of the same city; a
    priority's and a step's followers of what concerns them (a meeting or report names the steps
    and priorities it concerns); the followers of a plan's meetings of outcomes and annotations.
    """
    Kind = Subscription.Kind
    if event.kind == Event.Kind.PLAN:
        return follow.jurisdiction_id == jurisdiction_id and follow.plan_id != event.plan_id
    if follow.plan_id != event.plan_id:
        return False
    if follow.kind == Kind.PLAN:
        return True
    if follow.kind == Kind.MEETINGS:
        return event.kind in (Event.Kind.MEETING_OUTCOME, Event.Kind.ANNOTATION)
    if follow.kind == Kind.PRIORITY:
        return follow.priority_id in event.priority_ids
    return follow.step_id in event.step_ids


def route():
    """Turn the events not yet routed into notices; returns how many notices were made."""
    # plan: its city decides who hears of a new plan.
    events = list(Event.objects.filter(routed=False).select_related("plan"))
    if not events:
        return 0
    jurisdictions = {event.plan.jurisdiction_id for event in events}
    follows_ = [
        Follow(*row)
        for row in Subscription.objects.filter(
            confirmed_at__isnull=False,
            subscriber__confirmed_at__isnull=False,
            subscriber__suspended_at__isnull=True,
            plan__jurisdiction_id__in=jurisdictions,
        ).values_list(
            "subscriber_id", "kind", "plan_id", "plan__jurisdiction_id", "priority_id", "step_id"
        )
    ]
    notices = {}
    for event in events:
        for follow in follows_:
            if follows(follow, event, event.plan.jurisdiction_id):
                notices[follow.subscriber_id, event.pk] = Notice(
                    subscriber_id=follow.subscriber_id, event=event
                )
    # ignore_conflicts: a routing running beside this one may have made the same notice.
    Notice.objects.bulk_create(notices.values(), ignore_conflicts=True)
    Event.objects.filter(pk__in=[event.pk for event in events]).update(routed=True)
    return len(notices)
