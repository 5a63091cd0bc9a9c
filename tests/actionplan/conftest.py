import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from actionplan.models import (
    ActionPlan,
    ActionStep,
    Institution,
    Membership,
    Stakeholder,
    StakeholderGroup,
    StepInstitution,
    StepUpdate,
)


@pytest.fixture
def city(jurisdiction, plan, priority, institution, step):
    """The conftest plan grown into one that exercises every part of the pages.

    S1: dated, led by the department; one update the department recorded moved it to in progress
        (and its end to the end of next year), then completed its milestone: versions 2 and 3.
    S2: no dates, derived text, sample values, supported by an NGO, no priority.
    S3: ended last year and not completed, so overdue.
    """
    institution.name_sk = "Oddelenie"
    institution.save()
    ngo = Institution.objects.create(
        jurisdiction=jurisdiction, slug="ngo", name="Civic Centre", kind=Institution.Kind.NGO
    )
    today = timezone.localdate()
    # The plan runs until next year, so that today is on its timeline whenever the tests run.
    plan.period_end = today.replace(year=today.year + 1, month=12, day=31)
    plan.vision = "A city that decides with its residents."
    plan.participants = "Residents, students and council members."
    plan.declared_groups = 8
    plan.save()
    step.value_civic_participation = True
    step.problem = "Decisions are made without residents."
    step.save()

    clerk = User.objects.create(username="clerk.jana")
    step.status = ActionStep.Status.IN_PROGRESS
    step.progress = 40
    step.end_date = plan.period_end
    step.save()
    step.milestones.update(completed_on=datetime.date(2024, 9, 2))
    StepUpdate.objects.create(
        step=step,
        from_version=1,
        to_version=3,
        actor=clerk,
        institution=institution,
        note="Work sessions started.",
    )

    derived = ActionStep.objects.create(
        plan=plan,
        order=2,
        code="S2",
        title="Derived step",
        origin=ActionStep.Origin.DERIVED,
        is_sample=True,
        value_access_to_information=True,
    )
    StepInstitution.objects.create(
        step=derived, institution=ngo, role=StepInstitution.Role.SUPPORTING
    )
    last_year = today.year - 1
    ActionStep.objects.create(
        plan=plan,
        priority=priority,
        order=3,
        code="S3",
        title="Late step",
        start_date=datetime.date(last_year, 1, 1),
        end_date=datetime.date(last_year, 6, 30),
    )

    board = StakeholderGroup.objects.create(
        jurisdiction=jurisdiction,
        slug="board",
        name_en="CoLaboratory Board",
        name_sk="Rada Spolupracovne",
    )
    endorsers = StakeholderGroup.objects.create(
        jurisdiction=jurisdiction, plan=plan, slug="endorsers", name="Endorsers", order=1
    )
    person = Stakeholder.objects.create(
        jurisdiction=jurisdiction, slug="a-person", name="Alena Example", affiliation="University"
    )
    Membership.objects.create(group=endorsers, stakeholder=person)
    Membership.objects.create(group=board, stakeholder=person, role="member")

    ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="old-plan",
        code="OP 21–22",
        title="First plan",
        status=ActionPlan.Status.CLOSED,
        period_start=datetime.date(2021, 8, 1),
        period_end=datetime.date(2022, 8, 31),
    )
    ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="draft-plan",
        code="DP 27",
        title="Plan in the making",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2028, 12, 31),
    )
    return plan
