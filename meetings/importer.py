"""The meetings file: YAML records of a plan's meetings (fixtures/banska-bystrica-meetings.yaml).

    format: ogp-portal-meetings/1
    meetings:
      - plan: <plan slug>            # required
        slug: <address in the plan>  # required; the key that makes a re-import update in place
        title: ...                   # required
        kind: workshop               # required; see Meeting.Kind
        date: 2021-12-03             # required: a day, a month (2024-09) or a year (2023)
        start_time: "16:30"          # optional, quoted; also end_date, end_time, date_note
        audience, format, place, online_url, description, outcomes (Markdown),
        source_url, is_public (default true)
        organiser: <institution slug>
        priorities: [P4]             # codes in the plan
        steps: [P4.2]
        agenda:        [{title, duration_minutes, step}]
        participation: [{count, description, sector, group (stakeholder group slug)}]
        documents:     [{title, url}]
    responses:                       # the register of reasoned responses
      - plan: <plan slug>            # required
        number: 1                    # required; the key within the plan
        received_on: 2021-12-03      # required
        source_kind: meeting         # required: meeting, public or board
        meeting: <meeting slug>      # optional; group: <stakeholder group slug>
        author_name, author_consents # a person is named only with author_consents: true
        text: {sk, en}               # the input; reason: {sk, en}
        response: adopted            # adopted, partly, not_adopted, considering
        step: P4.2                   # optional: the step it led to
        is_sample: true              # summarised by the portal team

It is read by the import engine (core.importing) like the plan file: the whole file is checked
first and every problem reported with its line and place; then it is written in one transaction,
each meeting through services.save_meeting, so that its history records the import. Meetings are
matched by plan and slug, agenda items and the other parts by position; a part list left out of a
record is left as it is. Running it again on the same file changes nothing.
"""

import datetime
import re

from core.importing import (
    Column,
    Custom,
    FileFormat,
    Lookup,
    ProvenanceMap,
    Section,
    Translated,
)

from . import services
from .models import AgendaItem, Meeting, MeetingDocument, Participation, ReasonedResponse

FORMAT = "ogp-portal-meetings/1"

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^\d{4}$")


def parse_date(value):
    """(date, precision) from 2021-12-03, "2024-09" or 2023; ValueError with a message."""
    text = str(value)
    try:
        if isinstance(value, str) and DAY.match(text):
            return datetime.date.fromisoformat(text), Meeting.DatePrecision.DAY
        if match := MONTH.match(text):
            return datetime.date(int(match[1]), int(match[2]), 1), Meeting.DatePrecision.MONTH
        if isinstance(value, str | int) and not isinstance(value, bool) and YEAR.match(text):
            return datetime.date(int(text), 1, 1), Meeting.DatePrecision.YEAR
    except ValueError:
        pass  # a well-formed but impossible date: reported like any other bad value
    raise ValueError(
        f"expected a day (2021-12-03), a month (2024-09) or a year (2023), got {text!r}"
    )


class MeetingDate(Custom):
    """`date`: the first day of the meeting, or of the month or year it is known to."""

    attrs = ("start_date", "date_precision")

    def parse(self, value, report):
        try:
            day, precision = parse_date(value)
        except ValueError as exc:
            report(str(exc))
            return {}
        return {"start_date": day, "date_precision": precision}


def _clean_participation(part, exclude):
    # Saving a row fills in its group's sector (Participation.save); filling it in before the
    # comparison keeps a row the file has not changed from counting as changed.
    if part.group_id and not part.sector:
        part.sector = part.group.sector
    part.full_clean(exclude=exclude)


def _save_meeting(node, write):
    meeting = node.instance
    services.save_meeting(
        meeting,
        lambda _meeting: write(),
        actor=None,
        source="import",
        expected_version=None if node.is_new else meeting.version,
    )


def _part(model, keys, **options):
    """A list of a meeting's parts: in file order, matched by position."""
    return Section(model, parent="meeting", ordered=True, keep_if_absent=True, keys=keys, **options)


MEETINGS = Section(
    Meeting,
    key=("plan", "slug"),
    save=_save_meeting,
    queryset=Meeting.objects.prefetch_related(
        "priorities", "steps", "agenda_items", "participation", "documents"
    ),
    keys={
        "plan": Lookup("plan", "slug"),
        "slug": "slug",
        "title": Translated("title"),
        "kind": Column("kind", required=True),
        "audience": "audience",
        "date": MeetingDate(),
        "start_time": "start_time",
        "end_date": "end_date",
        "end_time": "end_time",
        "date_note": Translated("date_note"),
        "format": "format",
        "place": Translated("place"),
        "online_url": "online_url",
        "organiser": Lookup("organiser", "slug", within="plan.jurisdiction", noun="institution"),
        "priorities": Lookup("priorities", "code", within="plan", noun="priority"),
        "steps": Lookup("steps", "code", within="plan", noun="step"),
        "description": Translated("description"),
        "outcomes": Translated("outcomes"),
        "translations": ProvenanceMap(),
        # The file holds the public record of meetings.
        "is_public": Column("is_public", default=True),
        "source_url": "source_url",
        "agenda": _part(
            AgendaItem,
            {
                "title": Translated("title"),
                "duration_minutes": "duration_minutes",
                "step": Lookup("step", "code", within="plan"),
            },
        ),
        "participation": _part(
            Participation,
            {
                "count": "count",
                "description": Translated("description"),
                "sector": "sector",
                "group": Lookup(
                    "group", "slug", within="plan.jurisdiction", noun="stakeholder group"
                ),
            },
            validate=_clean_participation,
        ),
        "documents": _part(MeetingDocument, {"title": Translated("title"), "url": "url"}),
    },
)

# The register of reasoned responses: entries are numbered within their plan (`number`), which
# is the key that makes a re-import update in place. The file holds the public register.
RESPONSES = Section(
    ReasonedResponse,
    key=("plan", "order"),
    prune=False,
    queryset=ReasonedResponse.objects.select_related("plan"),
    keys={
        "plan": Lookup("plan", "slug"),
        "number": Column("order", required=True),
        "received_on": "received_on",
        "source_kind": Column("source_kind", required=True),
        "meeting": Lookup("meeting", "slug", within="plan", noun="meeting"),
        "group": Lookup("group", "slug", within="plan.jurisdiction", noun="stakeholder group"),
        "author_name": "author_name",
        "author_consents": "author_consents",
        "text": Translated("text"),
        "response": "response",
        "reason": Translated("reason"),
        "step": Lookup("step", "code", within="plan", noun="step"),
        "is_published": Column("is_published", default=True),
        "is_sample": "is_sample",
        "translations": ProvenanceMap(),
    },
)

MEETINGS_FILE = FileFormat(
    "meetings", FORMAT, Section(None, keys={"meetings": MEETINGS, "responses": RESPONSES})
)


def import_meetings_text(text, source="<text>", dry_run=False):
    return MEETINGS_FILE.import_text(text, source, dry_run)


def import_meetings_file(path, dry_run=False):
    return MEETINGS_FILE.import_file(path, dry_run)
