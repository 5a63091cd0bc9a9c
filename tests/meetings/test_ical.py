"""The iCalendar feed and files: valid RFC 5545 that a calendar program reads back."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Annotation, Meeting
from tests.meetings.factories import add_meeting, annotate

BRATISLAVA = zoneinfo.ZoneInfo("Europe/Bratislava")


@pytest.fixture
def world(meetings_world):
    world = meetings_world
    world.timed = add_meeting(
        world,
        title="Online information meeting",
        start_date=datetime.date(2021, 12, 13),
        start_time=datetime.time(16, 30),
        end_time=datetime.time(18, 0),
        format=Meeting.Format.ONLINE,
        online_url="https://meet.example.org/abc",
        description="On the territorial strategy.",
    )
    world.day = add_meeting(
        world,
        title="Conference",
        kind=Meeting.Kind.CONFERENCE,
        start_date=datetime.date(2025, 12, 3),
        end_date=datetime.date(2025, 12, 4),
        place="Historic town hall",
    )
    world.month = add_meeting(
        world,
        title="Workshop in September",
        start_date=datetime.date(2024, 9, 1),
        date_precision=Meeting.DatePrecision.MONTH,
    )
    world.draft = add_meeting(world, title="Draft meeting", is_public=False)
    annotate(world, world.day, text="Board-only remark", visibility=Annotation.Visibility.BOARD)
    annotate(world, world.day, text="Public remark")
    return world


def _calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def _plan_events(client, world):
    return _events(_calendar(client.get(reverse("meetings:plan_calendar", args=[world.plan.slug]))))


def test_plan_feed_parses_back_with_the_published_meetings_of_known_days(client, world):
    calendar = _calendar(client.get(reverse("meetings:plan_calendar", args=[world.plan.slug])))
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    events = _events(calendar)
    assert set(events) == {"Online information meeting", "Conference"}
    uids = [str(event["UID"]) for event in events.values()]
    assert len(set(uids)) == 2 and all(event.get("DTSTAMP") for event in events.values())


def test_timed_meeting_carries_its_time_zone_and_link(client, world):
    event = _plan_events(client, world)["Online information meeting"]
    starts, ends = event.decoded("DTSTART"), event.decoded("DTEND")
    assert starts == datetime.datetime(2021, 12, 13, 16, 30, tzinfo=BRATISLAVA)
    assert ends == datetime.datetime(2021, 12, 13, 18, 0, tzinfo=BRATISLAVA)
    assert str(event["LOCATION"]) == "https://meet.example.org/abc"
    assert str(event["URL"]).endswith(world.timed.get_absolute_url())


def test_all_day_meeting_ends_the_day_after_its_last_day(client, world):
    event = _plan_events(client, world)["Conference"]
    assert event.decoded("DTSTART") == datetime.date(2025, 12, 3)
    assert event.decoded("DTEND") == datetime.date(2025, 12, 5)
    assert str(event["LOCATION"]) == "Historic town hall"


def test_one_file_per_meeting(client, world):
    url = reverse("meetings:meeting_calendar", args=[world.plan.slug, world.timed.slug])
    events = _events(_calendar(client.get(url)))
    assert list(events) == ["Online information meeting"]


def test_no_file_for_a_draft_or_a_meeting_without_a_known_day(client, world):
    for meeting in (world.draft, world.month):
        url = reverse("meetings:meeting_calendar", args=[world.plan.slug, meeting.slug])
        assert client.get(url).status_code == 404


def test_calendar_never_carries_annotations(client, world):
    body = client.get(reverse("meetings:plan_calendar", args=[world.plan.slug])).content.decode()
    assert "remark" not in body


def test_pages_link_to_the_calendars(client, world):
    page = client.get(world.timed.get_absolute_url()).content.decode()
    assert reverse("meetings:meeting_calendar", args=[world.plan.slug, world.timed.slug]) in page
    assert reverse("meetings:plan_calendar", args=[world.plan.slug]) in page
    assert (
        reverse("meetings:plan_calendar", args=[world.plan.slug])
        in client.get(reverse("meetings:list")).content.decode()
    )
