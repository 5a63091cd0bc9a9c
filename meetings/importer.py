"""The meetings file: YAML records of a plan's meetings (fixtures/banska-bystrica-meetings.yaml).

    format: ogp-portal-meetings/1
    meetings:
      - plan: <plan slug>            # required
        slug: <address in the plan>  # required; the key that makes a re-import update in place
        title: ...                   # required
        kind: workshop               # required; see Meeting.Kind
        date: 2021-12-03             # required: a day, a month (2024-09) or a year (2023)
        start_time: "16:30"          # optional, quoted; also end_date, end_time, date_note
        audience, format, place, online_url, local_title, description, outcomes (Markdown),
        source_url, is_public (default true)
        organiser: <institution slug>
        priorities: [P4]             # codes in the plan
        steps: [P4.2]
        agenda:        [{title, duration_minutes, step}]
        participation: [{count, description, sector, group (stakeholder group slug)}]
        documents:     [{title, url}]

The whole file is checked first and every problem reported with its line; then it is written in
one transaction through services.save_meeting (so the history records the import). Meetings are
matched by plan and slug, agenda items and the other parts by position; a part list left out of
a record is left as it is. Running it again on the same file changes nothing.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import translation

from actionplan.importing import ImportSummary as BaseSummary
from actionplan.models import ActionPlan, StakeholderGroup
from actionplan.planfile import (
    PlanFileError,
    Problem,
    check_keys,
    join_path,
    load_yaml,
    scalar_value,
    suggest,
)

from . import services
from .models import AgendaItem, Meeting, MeetingDocument, Participation

FORMAT = "ogp-portal-meetings/1"

# File key -> model attribute, for plain values checked by the model's own field rules.
SCALARS = {
    "title": "title",
    "local_title": "local_title",
    "kind": "kind",
    "audience": "audience",
    "end_date": "end_date",
    "date_note": "date_note",
    "format": "format",
    "place": "place",
    "online_url": "online_url",
    "description": "description",
    "outcomes": "outcomes",
    "is_public": "is_public",
    "source_url": "source_url",
}
TIMES = {"start_time": "start_time", "end_time": "end_time"}
REFERENCES = ("plan", "slug", "date", "organiser", "priorities", "steps")
PART_KEYS = {
    "agenda": (AgendaItem, {"title": "title", "duration_minutes": "duration_minutes"}, ["title"]),
    "participation": (
        Participation,
        {"count": "count", "description": "description", "sector": "sector"},
        [],
    ),
    "documents": (MeetingDocument, {"title": "title", "url": "url"}, ["title", "url"]),
}
PART_REFERENCES = {"agenda": ("step",), "participation": ("group",), "documents": ()}
MEETING_KEYS = [*REFERENCES, *SCALARS, *TIMES, *PART_KEYS]
REQUIRED = ("plan", "slug", "title", "kind", "date")
# Where a model error belongs in the file, when the attribute and the key differ.
FILE_KEY = {"start_date": "date", "date_precision": "date"}

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^\d{4}$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ImportSummary(BaseSummary):
    def __str__(self):
        return f"{self.source}: {self.verb} meetings: {self.counts()}"


@dataclass
class _Entry:
    meeting: Meeting
    related: dict  # m2m name -> objects
    parts: dict  # part name -> unsaved parts, for the lists the record gives


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


class _Reader:
    """Checks the records one by one, collecting problems; builds unsaved objects to write."""

    def __init__(self, problems):
        self.problems = problems
        self.reported = set()  # (where, key) with a problem already: the model need not repeat it
        self.plans = {p.slug: p for p in ActionPlan.objects.select_related("jurisdiction")}
        self.seen = {}

    def problem(self, mapping, key, where, message):
        """A problem at `key` of `mapping` (at the mapping itself when key is None)."""
        line = mapping.line_of(key) if key else mapping.line
        self.reported.add((where, key))
        self.problems.add(line, join_path(where, key) if key else where, message)

    def read(self, index, record):
        where = f"meetings[{index}]"
        if not isinstance(record, dict):
            self.problems.add(None, where, "expected a mapping (key: value lines)")
            return None
        if record.get("slug"):
            where = f"{where} ({record['slug']})"
        missing = check_keys(record, MEETING_KEYS, REQUIRED, where, self.problems)
        plan = self.plans.get(record.get("plan"))
        if plan is None:
            if "plan" not in missing:
                hint = suggest(record.get("plan"), self.plans)
                self.problem(record, "plan", where, f"no plan with this slug{hint}")
            return None
        slug = record.get("slug")
        if (plan.slug, slug) in self.seen:
            first = self.seen[plan.slug, slug]
            self.problem(record, "slug", where, f"given twice (first on line {first})")
            return None
        self.seen[plan.slug, slug] = record.line_of("slug")
        meeting = Meeting.objects.filter(plan=plan, slug=slug).first() or Meeting(
            plan=plan, slug=slug
        )
        self._scalars(meeting, record, where)
        if "date" in record:
            try:
                meeting.start_date, meeting.date_precision = parse_date(record["date"])
            except ValueError as exc:
                self.problem(record, "date", where, str(exc))
        meeting.organiser = self._organiser(plan, record, where)
        related = {
            "priorities": self._codes(
                plan.priorities.all(), record, "priorities", where, "priority"
            ),
            "steps": self._codes(plan.steps.all(), record, "steps", where, "step"),
        }
        parts = {
            name: self._parts(plan, name, record, where) for name in PART_KEYS if name in record
        }
        self._model_problems(meeting, record, where)
        return _Entry(meeting, related, parts)

    def _scalars(self, obj, record, where, keys=SCALARS):
        for key, attr in keys.items():
            if key == "is_public" and key not in record:
                value = True  # the file holds the public record
            else:
                value, message = scalar_value(obj._meta.get_field(attr), record.get(key))
                if message:
                    self.problem(record, key, where, message)
                    continue
            setattr(obj, attr, value)
        if keys is SCALARS:
            for key, attr in TIMES.items():
                setattr(obj, attr, self._time(record, key, where))

    def _time(self, record, key, where):
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not TIME.match(value):
            self.problem(record, key, where, 'expected a time in quotes, e.g. "16:30"')
            return None
        return datetime.time.fromisoformat(value)

    def _organiser(self, plan, record, where):
        slug = record.get("organiser")
        if slug is None:
            return None
        institution = plan.jurisdiction.institutions.filter(slug=slug).first()
        if institution is None:
            self.problem(
                record, "organiser", where, f"no institution {slug!r} in {plan.jurisdiction}"
            )
        return institution

    def _codes(self, queryset, record, key, where, noun):
        codes = record.get(key) or []
        if not isinstance(codes, list):
            self.problem(record, key, where, "expected a list of codes")
            return []
        found = {obj.code: obj for obj in queryset.filter(code__in=[str(c) for c in codes])}
        for code in codes:
            if str(code) not in found:
                self.problem(record, key, where, f"no {noun} {code!r} in this plan")
        return list(found.values())

    def _parts(self, plan, name, record, where):
        model, keys, required = PART_KEYS[name]
        rows = record[name]
        if not isinstance(rows, list):
            self.problem(record, name, where, "expected a list")
            return []
        where = join_path(where, name)
        parts = []
        for position, row in enumerate(rows, start=1):
            row_where = f"{where}[{position - 1}]"
            if not isinstance(row, dict):
                self.problems.add(
                    rows.lines[position - 1], row_where, "expected a mapping (key: value lines)"
                )
                continue
            check_keys(row, [*keys, *PART_REFERENCES[name]], required, row_where, self.problems)
            part = model(order=position)
            self._scalars(part, row, row_where, keys)
            if "step" in row and row["step"] is not None:
                part.step = plan.steps.filter(code=str(row["step"])).first()
                if part.step is None:
                    self.problem(row, "step", row_where, f"no step {row['step']!r} in this plan")
            if "group" in row and row["group"] is not None:
                part.group = StakeholderGroup.objects.filter(
                    jurisdiction_id=plan.jurisdiction_id, slug=row["group"]
                ).first()
                if part.group is None:
                    self.problem(row, "group", row_where, f"no stakeholder group {row['group']!r}")
                elif not part.sector:
                    part.sector = part.group.sector
            self._model_problems(part, row, row_where, exclude=["meeting"])
            parts.append(part)
        return parts

    def _model_problems(self, obj, record, where, exclude=None):
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as exc:
            for attr, errors in exc.error_dict.items():
                key = None if attr == NON_FIELD_ERRORS else FILE_KEY.get(attr, attr)
                if (where, key) in self.reported:
                    continue
                for error in errors:
                    self.problem(record, key, where, " ".join(error.messages))


def _sync_parts(meeting, name, new_parts):
    """Update the meeting's parts in place by position, add the extra ones, delete the rest.

    Keeping rows (and ids) in place keeps the annotations made on agenda items attached.
    """
    related, _label = Meeting.PARTS[name]
    existing = list(getattr(meeting, related).all())
    for position, new in enumerate(new_parts):
        target = existing[position] if position < len(existing) else new
        if target is not new:
            for field in new._meta.concrete_fields:
                if not field.primary_key and field.name != "meeting":
                    setattr(target, field.attname, getattr(new, field.attname))
        target.meeting = meeting
        target.save()
    for surplus in existing[len(new_parts) :]:
        surplus.delete()


def _write(entry, summary):
    meeting = entry.meeting
    if meeting.pk:
        stored = services.meeting_state(meeting.pk)
        parts = {
            name: entry.parts.get(name, list(getattr(meeting, related).all()))
            for name, (related, _label) in Meeting.PARTS.items()
        }
        if services.state_from(meeting, entry.related, parts) == stored:
            summary.unchanged += 1
            return
        summary.updated += 1
    else:
        summary.created += 1

    def apply(meeting):
        meeting.save()
        for name, objects in entry.related.items():
            getattr(meeting, name).set(objects)
        for name, new_parts in entry.parts.items():
            _sync_parts(meeting, name, new_parts)

    services.save_meeting(
        meeting,
        apply,
        actor=None,
        source="import",
        expected_version=meeting.version if meeting.pk else None,
    )


def import_meetings_text(text, source="<text>", dry_run=False):
    # The models' messages in the language of the rest of the report, whatever the site's default.
    with translation.override("en"):
        return _import(text, source, dry_run)


def _import(text, source, dry_run):
    data, problems = load_yaml(text, source)
    if not isinstance(data, dict):
        raise PlanFileError(
            source, [Problem(None, "", "expected a mapping with format and meetings")]
        )
    check_keys(data, ["format", "meetings"], ["format", "meetings"], "", problems)
    if data.get("format") != FORMAT and "format" in data:
        problems.add(data.line_of("format"), "format", f"expected {FORMAT!r}")
    records = data.get("meetings") or []
    if not isinstance(records, list):
        problems.add(data.line_of("meetings"), "meetings", "expected a list")
        records = []
    reader = _Reader(problems)
    entries = [reader.read(index, record) for index, record in enumerate(records)]
    if problems:
        raise PlanFileError(source, problems)
    summary = ImportSummary(source, dry_run=dry_run)
    with transaction.atomic():
        for entry in entries:
            _write(entry, summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def import_meetings_file(path, dry_run=False):
    with open(path, encoding="utf-8") as file:
        return import_meetings_text(file.read(), source=str(path), dry_run=dry_run)
