"""The meeting list and the meeting page cost a fixed number of queries, whatever their size."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import (
    AgendaItem,
    Annotation,
    Attendee,
    MeetingDocument,
    Participation,
)
from tests.meetings.factories import add_meeting, annotate, follow_up_values


def _meetings(world, count):
    for n in range(count):
        add_meeting(
            world,
            title=f"Meeting {n}",
            start_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            organiser=world.institution_a,
        )


def _full_meeting(world, rows):
    meeting = add_meeting(world)
    meeting.priorities.set(world.plan.priorities.all())
    meeting.steps.set([world.step_a, world.step_b])
    for n in range(rows):
        item = AgendaItem.objects.create(
            meeting=meeting, order=n + 2, title=f"Item {n}", step=world.step_a
        )
        Participation.objects.create(meeting=meeting, count=n + 1, sector="civil")
        Attendee.objects.create(meeting=meeting, name=f"Person {n}", consents_to_be_named=True)
        MeetingDocument.objects.create(meeting=meeting, title=f"Doc {n}", url="https://example.org")
        annotate(world, meeting, agenda_item=item, step=world.step_b, text=f"Note {n}")
        annotate(world, meeting, **follow_up_values(world, text=f"Follow-up {n}"))
        annotate(world, meeting, text=f"Board note {n}", visibility=Annotation.Visibility.BOARD)
    return meeting


# Anonymous reader:
# 1. the public plans, for the plan filter and the calendar links (with their city)
# 2. the meetings, with their plan, city and organiser
LIST_QUERIES = 2

# Anonymous reader:
# 1. the meeting, its plan, city and organiser
# 2. its priorities and 3. its steps (with their plan, for the links)
# 4. the agenda (with each item's step and plan)
# 5. participation (with the group) 6. attendees who agreed to be named 7. documents
# 8. the annotations the reader may see, with author, step (and plan) and owner
PAGE_QUERIES = 8

# A board member also costs: the session, the user, the user's groups, their roles in the plan,
# the choices of the form to add an annotation (agenda items, steps, institutions), and saving
# the session in a savepoint (3 statements; it is saved on every request, for the inactivity
# timeout).
SIGNED_IN_EXTRA = 10


@pytest.mark.parametrize("count", [5, 50])
def test_meeting_list_costs_the_same_for_5_and_50_meetings(
    client, meetings_world, count, django_assert_num_queries
):
    _meetings(meetings_world, count)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("meetings:list"))
    assert response.content.decode().count("app-meeting-list__item") == count


@pytest.mark.parametrize("rows", [3, 30])
def test_meeting_page_costs_the_same_for_3_and_30_rows(
    client, meetings_world, rows, django_assert_num_queries
):
    meeting = _full_meeting(meetings_world, rows)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count('<article class="app-annotation') == 2 * rows


@pytest.mark.parametrize("rows", [3, 30])
def test_meeting_page_for_a_board_member_costs_the_same_for_3_and_30_rows(
    client, meetings_world, rows, django_assert_num_queries
):
    meeting = _full_meeting(meetings_world, rows)
    client.force_login(meetings_world.users["board"])
    with django_assert_num_queries(PAGE_QUERIES + SIGNED_IN_EXTRA):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count('<article class="app-annotation') == 3 * rows
