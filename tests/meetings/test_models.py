"""The rules a meeting, its parts and an annotation keep, whatever path saves them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplan.models import ActionPlan, ActionStep, Jurisdiction, Sector, StakeholderGroup
from meetings.models import (
    AgendaItem,
    Annotation,
    Meeting,
    MeetingDocument,
    MeetingRevision,
    Participation,
)

PAST = datetime.date(2024, 5, 2)


def _soon(days=7):
    return datetime.date.today() + datetime.timedelta(days=days)


def _meeting(plan, **values):
    values = {
        "slug": "m",
        "title": "Meeting",
        "kind": Meeting.Kind.WORKSHOP,
        "start_date": PAST,
        **values,
    }
    return Meeting(plan=plan, **values)


def _errors(obj):
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    return raised.value.message_dict


@pytest.mark.parametrize(
    "fmt, place, link, missing",
    [
        (Meeting.Format.IN_PERSON, "", "", {"place_sk"}),
        (Meeting.Format.ONLINE, "Town hall", "", {"online_url"}),
        (Meeting.Format.HYBRID, "", "", {"place_sk", "online_url"}),
        (Meeting.Format.HYBRID, "Town hall", "", {"online_url"}),
    ],
)
def test_a_meeting_to_come_says_where_and_how_to_join(plan, fmt, place, link, missing):
    errors = _errors(_meeting(plan, start_date=_soon(), format=fmt, place=place, online_url=link))
    assert set(errors) == missing


@pytest.mark.parametrize(
    "fmt, place, link",
    [
        (Meeting.Format.IN_PERSON, "Town hall", ""),
        (Meeting.Format.ONLINE, "", "https://meet.example.org/a"),
        (Meeting.Format.HYBRID, "Town hall", "https://meet.example.org/a"),
        ("", "", ""),
    ],
)
def test_a_meeting_to_come_with_its_venue_is_valid(plan, fmt, place, link):
    _meeting(plan, start_date=_soon(), format=fmt, place=place, online_url=link).full_clean()


def test_a_past_meeting_may_lack_what_the_sources_do_not_say(plan):
    _meeting(plan, format=Meeting.Format.HYBRID).full_clean()


def test_a_meeting_over_several_days_counts_as_upcoming_until_its_last_day(plan):
    meeting = _meeting(
        plan, start_date=_soon(-2), end_date=_soon(1), format=Meeting.Format.IN_PERSON
    )
    assert meeting.is_upcoming() and "place_sk" in _errors(meeting)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"end_date": PAST - datetime.timedelta(days=1)}, "end_date"),
        ({"end_time": datetime.time(10)}, "end_time"),
        ({"start_time": datetime.time(10), "end_time": datetime.time(9)}, "end_time"),
        (
            {"date_precision": Meeting.DatePrecision.MONTH, "start_time": datetime.time(10)},
            "date_precision",
        ),
    ],
)
def test_dates_and_times_are_in_order(plan, values, field):
    assert field in _errors(_meeting(plan, **values))


def test_a_date_known_to_the_month_is_stored_as_its_first_day(plan):
    meeting = _meeting(
        plan, start_date=datetime.date(2024, 9, 27), date_precision=Meeting.DatePrecision.MONTH
    )
    meeting.full_clean()
    assert meeting.start_date == datetime.date(2024, 9, 1) and not meeting.has_exact_date


def test_the_database_keeps_the_dates_in_order(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting(plan, end_date=PAST - datetime.timedelta(days=1)).save()


def test_slugs_are_unique_within_a_plan(plan):
    _meeting(plan).save()
    assert "__all__" in _errors(_meeting(plan))


def test_agenda_item_step_belongs_to_the_meetings_plan(plan, jurisdiction):
    other = ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug="other",
        code="OT",
        title="Other",
        period_start=PAST,
        period_end=PAST,
    )
    foreign_step = ActionStep.objects.create(plan=other, code="X1", title="Elsewhere")
    meeting = _meeting(plan)
    meeting.save()
    item = AgendaItem(meeting=meeting, title="Item", step=foreign_step)
    assert "step" in _errors(item)
    assert "duration_minutes" in _errors(AgendaItem(meeting=meeting, title="I", duration_minutes=0))


def test_participation_group_is_of_the_same_city_and_gives_its_sector(plan):
    meeting = _meeting(plan)
    meeting.save()
    elsewhere = Jurisdiction.objects.create(name="Elsewhere", slug="elsewhere", country="SK")
    foreign = StakeholderGroup.objects.create(jurisdiction=elsewhere, slug="g", name="G")
    assert "group" in _errors(Participation(meeting=meeting, group=foreign, count=3))
    assert "count" in _errors(Participation(meeting=meeting, count=0))
    group = StakeholderGroup.objects.create(
        jurisdiction=plan.jurisdiction, slug="net", name="Net", sector=Sector.INTERNATIONAL
    )
    row = Participation.objects.create(meeting=meeting, group=group)
    assert row.sector == Sector.INTERNATIONAL and row.count is None


def test_a_document_is_a_link_or_a_file(plan):
    meeting = _meeting(plan)
    meeting.save()
    assert "__all__" in _errors(MeetingDocument(meeting=meeting, title="Minutes"))
    MeetingDocument(meeting=meeting, title="Minutes", url="https://example.org/m.pdf").full_clean()


def test_document_files_get_server_made_names(plan):
    from meetings.models import document_path

    name = document_path(None, "../../etc/Minutes of the board.PDF")
    assert name.startswith("meetings/") and name.endswith(".pdf") and ".." not in name


def test_a_follow_up_has_an_owner_and_a_due_date_and_only_a_follow_up_has_them(plan, institution):
    meeting = _meeting(plan)
    meeting.save()
    errors = _errors(Annotation(meeting=meeting, kind=Annotation.Kind.FOLLOW_UP, text="Do it"))
    assert {"owner", "due_date"} <= set(errors)
    errors = _errors(
        Annotation(
            meeting=meeting,
            kind=Annotation.Kind.NOTE,
            text="Note",
            owner=institution,
            due_date=PAST,
        )
    )
    assert {"owner", "due_date"} <= set(errors)
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(meeting=meeting, kind=Annotation.Kind.FOLLOW_UP, text="Do it")


def test_annotation_step_and_agenda_item_belong_to_the_meeting(plan, step):
    meeting, other = _meeting(plan), _meeting(plan, slug="other")
    meeting.save()
    other.save()
    item = AgendaItem.objects.create(meeting=other, title="Elsewhere")
    errors = _errors(Annotation(meeting=meeting, text="x", agenda_item=item))
    assert "agenda_item" in errors
    Annotation(meeting=meeting, text="x", step=step).full_clean()


def test_revision_entries_read_in_words(plan):
    meeting = _meeting(plan)
    meeting.save()
    revision = MeetingRevision(
        meeting=meeting,
        version=2,
        changes=[
            ["kind", "workshop", "board"],
            ["is_public", "no", "yes"],
            ["place", "", "Town hall"],
        ],
    )
    assert [(str(a), str(b), str(c)) for a, b, c in revision.entries()] == [
        ("kind", "Co-creation workshop", "CoLaboratory Board meeting"),
        ("published", "no", "yes"),
        ("place", "–", "Town hall"),
    ]
