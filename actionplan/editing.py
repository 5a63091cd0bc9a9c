"""The one way the portal's pages change a step: update_step().

The database triggers record what changed (StepChange) whatever the path; this function adds the
two things only the application knows: that nobody else saved in between, and who did it and why
(StepUpdate, with its evidence).
"""

from django.db import transaction
from django.utils import timezone

from actionplan.access import acting_institution
from actionplan.models import ActionStep, Evidence, Milestone, StepUpdate
from core.editing import StaleEdit


def attach_evidence(model, *, links, files, **parent):
    """Evidence rows of `model` (Evidence, ReportEvidence) for the record named in `parent`.

    Files last: they are written to storage as they are saved, and nothing after them can roll
    the transaction back.
    """
    model.objects.bulk_create(model(url=link, **parent) for link in links)
    for checked in files:
        model.objects.create(
            file=checked.upload,
            title=checked.title,
            content_type=checked.content_type,
            size=checked.size,
            **parent,
        )


class NothingChanged(Exception):
    """The edit would not change the status, the progress or any milestone: nothing was saved."""


def update_step(
    step,
    *,
    user,
    version,
    status,
    progress,
    completed_milestones,
    note,
    start_date=None,
    end_date=None,
    date_reason="",
    links=(),
    files=(),
    today=None,
):
    """Apply one edit made from `version` of the step, and record who made it and why.

    One conditional UPDATE does the check and the write together: if the version moved on since
    the form was opened, no row matches and StaleEdit is raised. The row lock that UPDATE takes
    holds until commit, so a concurrent edit of the same version waits and then matches no row.
    The milestones change in the same transaction; each change bumps the version (trigger).
    Dates are kept unless new ones come with a reason (`date_reason`): replanning is published.
    Returns the StepUpdate, whose to_version is the step's new version.
    """
    today = today or timezone.localdate()
    dates = {}
    if date_reason:
        dates = {"start_date": start_date, "end_date": end_date}
    with transaction.atomic():
        matched = ActionStep.objects.filter(pk=step.pk, version=version).update(
            status=status, progress=progress, updated_at=timezone.now(), **dates
        )
        if not matched:
            raise StaleEdit(ActionStep.objects.filter(pk=step.pk).first())
        for milestone in Milestone.objects.filter(step=step):
            done = milestone.pk in completed_milestones
            if done != milestone.is_done:
                Milestone.objects.filter(pk=milestone.pk).update(
                    completed_on=today if done else None
                )
        new_version = ActionStep.objects.filter(pk=step.pk).values_list("version", flat=True).get()
        if new_version == version:
            raise NothingChanged
        update = StepUpdate.objects.create(
            step=step,
            from_version=version,
            to_version=new_version,
            actor=user,
            institution=acting_institution(user, step),
            source="portal",
            note=note,
            date_reason=date_reason,
        )
        attach_evidence(Evidence, update=update, links=links, files=files)
    step.version, step.status, step.progress = new_version, status, progress
    for name, value in dates.items():
        setattr(step, name, value)
    return update
