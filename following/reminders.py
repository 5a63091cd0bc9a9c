"""The weekly reminder to institution staff: their steps without a report for STALE_AFTER_DAYS.

One mail per person and ISO week, whatever the number of rounds that week: the outbox key
"reminder:<user>:<year>-W<week>" is unique. The first round of each week makes them.
"""

from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from actionplan import freshness
from actionplan.models import ActionStep, Affiliation, StepInstitution
from following import mails
from following.models import OutboxMail


def week_key(user, now):
    year, week, _day = timezone.localdate(now).isocalendar()
    return f"reminder:{user.pk}:{year}-W{week:02d}"


def weekly(now):
    """Make this week's reminders that are not made yet; returns how many."""
    # plan: each row links to the step's update form, which names the plan's slug.
    stale = {
        s.pk: s
        for s in freshness.stale_steps(ActionStep.objects.public(), now).select_related("plan")
    }
    if not stale:
        return 0
    steps_of_institution = defaultdict(list)
    for step_id, institution_id in StepInstitution.objects.filter(step_id__in=stale).values_list(
        "step_id", "institution_id"
    ):
        steps_of_institution[institution_id].append(stale[step_id])
    steps_of_user = defaultdict(dict)
    users = {}
    affiliations = (
        Affiliation.objects.filter(institution_id__in=steps_of_institution, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )  # the user's address and name
    for affiliation in affiliations:
        users[affiliation.user_id] = affiliation.user
        for step in steps_of_institution[affiliation.institution_id]:
            steps_of_user[affiliation.user_id][step.pk] = step
    keys = {week_key(user, now): user for user in users.values()}
    made = set(OutboxMail.objects.filter(key__in=keys).values_list("key", flat=True))
    count = 0
    for key, user in keys.items():
        if key in made:
            continue
        steps = sorted(steps_of_user[user.pk].values(), key=lambda s: (s.plan_id, s.order, s.code))
        mail = mails.reminder(user, steps, key, settings.LANGUAGE_CODE)
        try:
            with transaction.atomic():
                mail.save()
        except IntegrityError:  # another round made it meanwhile
            continue
        count += 1
    return count
