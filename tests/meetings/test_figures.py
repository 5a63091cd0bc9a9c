"""Co-creation figures computed from the meeting records, next to the figures the plan declared."""

import datetime

import pytest
from django.template import Context, Template

from actionplan.models import ActionPlan, Sector, StakeholderGroup
from meetings.models import Meeting, Participation
from meetings.queries import cocreation_figures
from tests.meetings.factories import add_meeting

OPEN, INVITED = Meeting.Audience.OPEN, Meeting.Audience.INVITED


@pytest.fixture
def world(meetings_world):
    world = meetings_world
    ActionPlan.objects.filter(pk=world.plan.pk).update(
        submitted_on=datetime.date(2024, 6, 4), declared_groups=8, declared_public_meetings=12
    )
    world.plan.refresh_from_db()
    board = StakeholderGroup.objects.create(
        jurisdiction=world.jurisdiction,
        slug="board",
        name="CoLaboratory Board",
        sector=Sector.CROSS_SECTOR,
    )
    network = StakeholderGroup.objects.create(
        jurisdiction=world.jurisdiction,
        slug="network",
        name="Partner cities",
        sector=Sector.INTERNATIONAL,
    )
    workshop = add_meeting(
        world, title="Workshop", start_date=datetime.date(2023, 11, 20), audience=OPEN
    )
    Participation.objects.create(
        meeting=workshop, count=15, description="students", sector=Sector.PUBLIC
    )
    Participation.objects.create(meeting=workshop, count=6, group=board)
    network_meeting = add_meeting(
        world,
        title="Network meeting",
        audience=INVITED,
        start_date=datetime.date(2024, 3, 1),
        date_precision=Meeting.DatePrecision.MONTH,
    )
    Participation.objects.create(meeting=network_meeting, group=network)  # number not known
    dialogue = add_meeting(
        world, title="Dialogue", start_date=datetime.date(2024, 5, 2), audience=OPEN
    )
    Participation.objects.create(meeting=dialogue, count=3)  # sector not recorded
    # Not counted: a draft, and a meeting after the plan was submitted.
    add_meeting(
        world, title="Draft", start_date=datetime.date(2024, 1, 1), audience=OPEN, is_public=False
    )
    later = add_meeting(world, title="Later", start_date=datetime.date(2025, 6, 16), audience=OPEN)
    Participation.objects.create(meeting=later, count=40, sector=Sector.PUBLIC)
    return world


def test_figures_count_published_meetings_up_to_the_submission(world):
    figures = cocreation_figures(world.plan)
    assert figures.meetings == 3
    assert figures.public_facing_meetings == 2
    assert [g.name for g in figures.groups] == ["CoLaboratory Board", "Partner cities"]
    assert figures.sectors == ["International partners", "Residents and the public", "Cross-sector"]
    assert figures.participants_by_sector == [
        ("Residents and the public", 15),
        ("Cross-sector", 6),
        (None, 3),
    ]
    assert figures.participants == 24
    assert (figures.declared_public_meetings, figures.declared_groups) == (12, 8)
    assert figures.unrecorded_public_meetings == 10


def test_figures_take_two_queries(world, django_assert_num_queries):
    # 1. the plan's published meetings up to its submission; 2. their participation and groups.
    with django_assert_num_queries(2):
        cocreation_figures(world.plan)


def test_plan_page_tag_shows_declared_and_recorded_side_by_side(world):
    html = Template("{% load meetings %}{% cocreation_figures plan %}").render(
        Context({"plan": world.plan})
    )
    compact = " ".join(html.split())
    assert "Public-facing meetings" in compact
    cell = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f"{cell}12</td> {cell}2</td>" in compact  # public-facing meetings: declared, recorded
    assert f"{cell}8</td> {cell}2</td>" in compact  # groups: declared, recorded
    assert "10 public-facing meetings that the plan declares have no record here yet." in compact
    assert "sector not recorded: 3" in compact and "24 participants in all" in compact


def test_a_plan_without_declared_figures_says_so(meetings_world):
    html = Template("{% load meetings %}{% cocreation_figures plan %}").render(
        Context({"plan": meetings_world.plan})
    )
    assert "not declared" in html and "have no record here yet" not in html
