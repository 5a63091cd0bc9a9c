"""iCalendar (RFC 5545) for published meetings: a feed per plan and a file per meeting.

Only public data goes in: title, date and time, place or link, the description and a link to the
meeting page. Annotations, attendees and drafts never do. A meeting whose day is not known (only
its month or year) cannot be put in a calendar and is left out.
"""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event, vText

PRODID = "-//Open Government portal//Meetings//EN"


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(meeting, page_url, host):
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.version)
    event.add("summary", meeting.title)
    if meeting.is_all_day:
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtstart", meeting.start_date)
        event.add("dtend", meeting.last_day + datetime.timedelta(days=1))
    else:
        starts = timezone.localtime(meeting.starts_at())
        event.add("dtstart", starts)
        ends = meeting.ends_at()
        if ends:
            event.add("dtend", timezone.localtime(ends))
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.online_url:
        event.add("location", meeting.online_url)
    description = "\n\n".join(
        text for text in (meeting.description, meeting.online_url, page_url) if text
    )
    if description:
        event.add("description", description)
    event.add("url", page_url)
    event.add("categories", [vText(meeting.get_kind_display())])
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar_for(meetings, name, *, absolute_url, host):
    """The calendar as bytes; `absolute_url(meeting)` gives each meeting's page address."""
    calendar = _calendar(name)
    for meeting in meetings:
        if meeting.has_exact_date:
            calendar.add_component(_event(meeting, absolute_url(meeting), host))
    calendar.add_missing_timezones()
    return calendar.to_ical()
