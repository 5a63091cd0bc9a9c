"""Open data of a plan: the datasets, their columns with types and descriptions, and the rows.

One definition serves the CSV and JSON downloads, the paged JSON API and its OpenAPI description,
so the three never disagree. Only what the public pages show is here: published meetings and
assessments, public annotations, and institutions rather than people in the history.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actionplan import selectors
from actionplan.models import (
    ActionStep,
    Milestone,
    OgpValue,
    PeriodReport,
    StepChange,
    StepUpdate,
)
from core.languages import language_codes, language_name
from meetings.models import Annotation, Meeting, ReasonedResponse
from monitoring.models import (
    Assessment,
    Completion,
    EarlyResults,
    MonitoringReport,
    PotentialForResults,
    Verifiability,
    explanation_field,
    relevance_field,
)

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # JSON Schema type: string, integer, boolean; with `format` for dates
    description: object
    get: Callable
    format: str | None = None  # date, date-time, time, uri
    nullable: bool = False
    enum: tuple | None = None

    def value(self, row):
        value = self.get(row)
        if value is None:
            return None
        if self.format in ("date", "date-time", "time"):
            return value.isoformat()
        return value


def attr(name):
    return lambda row: getattr(row, name)


def text(name, description, **kwargs):
    return Column(name, "string", description, attr(name), **kwargs)


def translated(name, description):
    """A text in each site language: one column per language, `<name>_sk`, `<name>_en`; empty
    where that language's text is missing (the other column has it)."""
    return [
        Column(
            f"{name}_{code}",
            "string",
            format_lazy("{} ({})", description, language_name(code).lower()),
            # A text never given is stored as NULL; the datasets promise a string.
            lambda row, column=f"{name}_{code}": getattr(row, column) or "",
        )
        for code in language_codes()
    ]


def date(name, description, **kwargs):
    return Column(name, "string", description, attr(name), format="date", nullable=True, **kwargs)


def choice(name, description, choices, *, nullable=False):
    """A choice column; an empty choice is published as null."""
    return Column(
        name,
        "string",
        description,
        lambda row: getattr(row, name) or None,
        nullable=nullable,
        enum=tuple(choices.values),
    )


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object
    description: object
    columns: list
    rows: Callable  # plan -> list of objects the columns read

    def records(self, rows):
        return [{column.name: column.value(row) for column in self.columns} for row in rows]

    def csv(self, rows):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([column.name for column in self.columns])
        for record in self.records(rows):
            writer.writerow([csv_cell(value) for value in record.values()])
        return out.getvalue()


def _participants(meeting):
    """The sum of the counted groups; a group recorded as present without a number adds nothing,
    and a meeting with no counted group has no figure rather than 0."""
    counts = [row.count for row in meeting.participation.all() if row.count is not None]
    return sum(counts) if counts else None


# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell; text that a spreadsheet would run as a formula gets a leading
    apostrophe, which spreadsheets show as text (OWASP's advice). Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- Rows -------------------------------------------------------------------------------------


def _names(institutions):
    return "; ".join(institution.name for institution in institutions)


def step_rows(plan):
    steps = list(selectors.steps_with_institutions(plan.steps.all()))
    for step in steps:
        step.plan = plan
    return steps


def milestone_rows(plan):
    # step: each row names its step by code.
    return list(
        Milestone.objects.filter(step__plan=plan)
        .select_related("step")
        .order_by("step__order", "step__code", "order", "id")
    )


def history_rows(plan):
    """Every recorded change with the note and institution of the update that made it."""
    changes = list(
        StepChange.objects.filter(step__plan=plan)
        .select_related("step", "milestone")  # the step's code, the milestone's title
        .order_by("changed_at", "id")
    )
    updates = {}
    # institution: named in place of the person, as on the public step page.
    for update in StepUpdate.objects.filter(step__plan=plan).select_related("institution"):
        updates.setdefault(update.step_id, []).append(update)
    for change in changes:
        change.update = next(
            (
                u
                for u in updates.get(change.step_id, [])
                if (
                    u.created_at == change.changed_at
                    if change.backfilled
                    else not u.backfilled and u.from_version < change.version <= u.to_version
                )
            ),
            None,
        )
    return changes


def public_meetings(plan):
    return list(
        Meeting.objects.public()
        .filter(plan=plan)
        .select_related("organiser")  # named in each row
        .prefetch_related(
            Prefetch("steps", queryset=ActionStep.objects.only("pk", "code")),
            "participation",
        )
        .order_by("start_date", "start_time", "id")
    )


def public_annotations(plan):
    """Public annotations of published meetings. A withdrawn one stays listed, without its text,
    as the meeting page shows it."""
    return list(
        Annotation.objects.public()
        .filter(Meeting.public_rule("meeting__"), meeting__plan=plan)
        # meeting, agenda item, step, owner: each is named in the row.
        .select_related("meeting", "agenda_item", "step", "owner")
        .order_by("created_at", "id")
    )


def published_assessments(plan):
    return list(
        Assessment.objects.published()
        .filter(step__plan=plan)
        .select_related("step")  # the step's code
        .order_by("step__order", "step__code")
    )


def published_reports(plan):
    reports = list(
        MonitoringReport.objects.published()
        .filter(plan=plan)
        .prefetch_related(Prefetch("steps", queryset=ActionStep.objects.only("pk", "code")))
        .order_by("published_on", "id")
    )
    for report in reports:
        report.plan = plan
    return reports


def published_responses(plan):
    """The register of reasoned responses: published entries only, never a proposed one."""
    return list(
        ReasonedResponse.objects.public()
        .filter(plan=plan)
        # meeting, group, step: each is named in the row.
        .select_related("meeting", "group", "step")
        .order_by("received_on", "order", "id")
    )


def period_reports(plan):
    """Every period report of the plan, corrections included, in the order filed."""
    return list(
        PeriodReport.objects.filter(period__plan=plan)
        # period and step: named in each row; institution: who filed it.
        .select_related("period", "step", "institution")
        .order_by("period__number", "step__order", "step__code", "created_at", "id")
    )


# --- Datasets ---------------------------------------------------------------------------------

STEP_CODE = Column("step_code", "string", _("Code of the action step."), lambda row: row.step.code)

DATASETS = [
    Dataset(
        "steps",
        _("Action steps"),
        _("The plan's action steps (commitments) with their current status and progress."),
        [
            text("code", _("Code of the step, unique within the plan.")),
            *translated("title", _("Title")),
            Column(
                "priority_code",
                "string",
                _("Code of the priority the step belongs to."),
                lambda s: s.priority.code if s.priority else None,
                nullable=True,
            ),
            choice("status", _("Current status."), ActionStep.Status),
            Column("progress", "integer", _("Progress in per cent, 0 to 100."), attr("progress")),
            date("start_date", _("Start date.")),
            date("end_date", _("End date.")),
            Column(
                "lead_institutions",
                "string",
                _("Lead institutions, separated by “; ”."),
                lambda s: _names(s.leads()),
            ),
            Column(
                "supporting_institutions",
                "string",
                _("Supporting institutions, separated by “; ”."),
                lambda s: _names(s.supporters()),
            ),
            Column(
                "ogp_values",
                "string",
                _("OGP values the step is relevant to, as keys separated by “; ”: %(keys)s.")
                % {"keys": ", ".join(OgpValue.values)},
                lambda s: "; ".join(v.value for v in s.ogp_values),
            ),
            choice(
                "origin",
                _(
                    "Whether the text is the official commitment or derived from the "
                    "plan's narrative."
                ),
                ActionStep.Origin,
            ),
            Column(
                "is_sample",
                "boolean",
                _("True when dates or progress are illustrative, not reported by the city."),
                attr("is_sample"),
            ),
            Column(
                "version", "integer", _("Increases with every recorded change."), attr("version")
            ),
            Column(
                "updated_at",
                "string",
                _("When the step was last changed."),
                attr("updated_at"),
                format="date-time",
            ),
            Column(
                "url", "string", _("Address of the step's page."), lambda s: s.get_absolute_url()
            ),
        ],
        step_rows,
    ),
    Dataset(
        "milestones",
        _("Milestones"),
        _("Milestones of every action step, with due and completion dates."),
        [
            STEP_CODE,
            Column("order", "integer", _("Position within the step."), attr("order")),
            *translated("title", _("What is to be achieved")),
            date("due_date", _("When it is due.")),
            date("completed_on", _("When it was completed; null while it is not.")),
        ],
        milestone_rows,
    ),
    Dataset(
        "history",
        _("Status history"),
        _(
            "Every recorded change of a step's status, progress, dates and milestones, oldest "
            "first, with the note and institution of the update that made it."
        ),
        [
            STEP_CODE,
            Column(
                "version", "integer", _("The step's version this change produced."), attr("version")
            ),
            Column(
                "changed_at",
                "string",
                _("When the change was recorded."),
                attr("changed_at"),
                format="date-time",
            ),
            choice("field", _("What changed."), StepChange.Field),
            Column(
                "milestone",
                "string",
                _("The milestone's title, for a milestone change."),
                lambda c: c.milestone.title if c.milestone else None,
                nullable=True,
            ),
            Column(
                "old_value",
                "string",
                _("Value before (dates as YYYY-MM-DD)."),
                attr("old_value"),
                nullable=True,
            ),
            Column("new_value", "string", _("Value after."), attr("new_value"), nullable=True),
            Column(
                "backfilled",
                "boolean",
                _("A past update brought in with its real date, before the portal kept history."),
                attr("backfilled"),
            ),
            Column(
                "institution",
                "string",
                _("Institution that reported the change."),
                lambda c: c.update.institution.name if c.update and c.update.institution else None,
                nullable=True,
            ),
            Column(
                "note",
                "string",
                _("What happened, as reported with the change."),
                lambda c: c.update.note if c.update else None,
                nullable=True,
            ),
            Column(
                "note_language",
                "string",
                _("Language the note was written in (notes are not translated)."),
                lambda c: c.update.language if c.update else None,
                nullable=True,
            ),
        ],
        history_rows,
    ),
    Dataset(
        "meetings",
        _("Meetings"),
        _(
            "Published meetings of the plan: co-creation workshops, board meetings, dialogues "
            "and others. Drafts are not included."
        ),
        [
            text("slug", _("Identifier of the meeting within the plan.")),
            *translated("title", _("Title")),
            choice("kind", _("Kind of meeting."), Meeting.Kind),
            choice("audience", _("Who could take part."), Meeting.Audience, nullable=True),
            date(
                "start_date",
                _("Date (the first day of the month or year when only that is known)."),
            ),
            choice(
                "date_precision",
                _("Whether the date is known to the day, month or year."),
                Meeting.DatePrecision,
            ),
            Column(
                "start_time",
                "string",
                _("Start time."),
                attr("start_time"),
                format="time",
                nullable=True,
            ),
            date("end_date", _("Last day of a meeting over several days.")),
            Column(
                "end_time", "string", _("End time."), attr("end_time"), format="time", nullable=True
            ),
            choice("format", _("In person, online or hybrid."), Meeting.Format, nullable=True),
            *translated("place", _("Where it took place")),
            Column(
                "organiser",
                "string",
                _("Organising institution."),
                lambda m: m.organiser.name if m.organiser else None,
                nullable=True,
            ),
            Column(
                "participants",
                "integer",
                _("Number of participants recorded; empty when no group was counted."),
                _participants,
                nullable=True,
            ),
            Column(
                "step_codes",
                "string",
                _("Codes of related steps, separated by “; ”."),
                lambda m: "; ".join(s.code for s in m.steps.all()),
            ),
            *translated("outcomes", _("Outcomes and minutes (Markdown)")),
            Column(
                "url", "string", _("Address of the meeting's page."), lambda m: m.get_absolute_url()
            ),
        ],
        public_meetings,
    ),
    Dataset(
        "annotations",
        _("Annotations"),
        _(
            "Public annotations of published meetings by board members and coordinators. "
            "Board-only annotations are never included; a withdrawn one has no text."
        ),
        [
            Column("id", "integer", _("Identifier."), attr("pk")),
            Column(
                "meeting",
                "string",
                _("Identifier (slug) of the meeting."),
                lambda a: a.meeting.slug,
            ),
            Column(
                "agenda_item",
                "string",
                _("The agenda item annotated, if one."),
                lambda a: a.agenda_item.title if a.agenda_item else None,
                nullable=True,
            ),
            choice("kind", _("Note, decision or follow-up."), Annotation.Kind),
            Column(
                "text",
                "string",
                _("The annotation (Markdown); null once withdrawn."),
                lambda a: None if a.is_withdrawn else a.text,
                nullable=True,
            ),
            Column(
                "language",
                "string",
                _("Language it was written in (annotations are not translated)."),
                attr("language"),
                enum=tuple(language_codes()),
            ),
            Column(
                "step_code",
                "string",
                _("Code of the related step."),
                lambda a: a.step.code if a.step else None,
                nullable=True,
            ),
            Column(
                "owner",
                "string",
                _("Institution responsible for a follow-up."),
                lambda a: a.owner.name if a.owner else None,
                nullable=True,
            ),
            date("due_date", _("Due date of a follow-up.")),
            Column(
                "done",
                "boolean",
                _("Whether a follow-up is done."),
                lambda a: a.done_at is not None,
            ),
            Column(
                "withdrawn", "boolean", _("Whether the author withdrew it."), attr("is_withdrawn")
            ),
            Column(
                "created_at",
                "string",
                _("When it was written."),
                attr("created_at"),
                format="date-time",
            ),
        ],
        public_annotations,
    ),
    Dataset(
        "assessments",
        _("Assessments"),
        _(
            "Published assessments of action steps by the independent monitoring body, on the "
            "indicators of the OGP Independent Reporting Mechanism. Drafts are not included; "
            "null means not assessed."
        ),
        [
            STEP_CODE,
            choice(
                "verifiability", _("Verifiable or not verifiable."), Verifiability, nullable=True
            ),
            *[
                column
                for value in OgpValue
                for column in (
                    Column(
                        relevance_field(value.value),
                        "boolean",
                        _("Relevant to the OGP value “%(value)s”.") % {"value": value.label},
                        attr(relevance_field(value.value)),
                        nullable=True,
                    ),
                    *translated(
                        explanation_field(value.value),
                        _("Why, for “%(value)s”") % {"value": value.label},
                    ),
                )
            ],
            choice(
                "potential_for_results",
                _("Potential for results."),
                PotentialForResults,
                nullable=True,
            ),
            choice("completion", _("Completion."), Completion, nullable=True),
            choice("early_results", _("Did it open government?"), EarlyResults, nullable=True),
            *translated("narrative", _("The monitoring body's narrative")),
            Column(
                "evidence_links",
                "string",
                _("Evidence links, separated by spaces."),
                lambda a: " ".join(a.links()),
            ),
            Column(
                "published_at",
                "string",
                _("When first published."),
                attr("published_at"),
                format="date-time",
                nullable=True,
            ),
            Column(
                "updated_at",
                "string",
                _("When last changed."),
                attr("updated_at"),
                format="date-time",
            ),
            Column("version", "integer", _("Increases with every saved edit."), attr("version")),
        ],
        published_assessments,
    ),
    Dataset(
        "reports",
        _("Monitoring reports"),
        _(
            "Published reports of the monitoring body: inception, end-of-commitment and final "
            "learning exercise."
        ),
        [
            Column("id", "integer", _("Identifier."), attr("pk")),
            choice("kind", _("Kind of report."), MonitoringReport.Kind),
            *translated("title", _("Title")),
            text("authors", _("The evaluators.")),
            date("period_start", _("Start of the period covered.")),
            date("period_end", _("End of the period covered.")),
            date("published_on", _("Publication date.")),
            Column(
                "step_codes",
                "string",
                _("Codes of the steps covered, separated by “; ”."),
                lambda r: "; ".join(s.code for s in r.steps.all()),
            ),
            *translated("summary", _("Summary")),
            *[
                text(name, MonitoringReport._meta.get_field(name).verbose_name)
                for name in MonitoringReport.LEARNING_SECTIONS
            ],
            text("source_url", _("Where the report is published elsewhere.")),
            Column(
                "url",
                "string",
                _("Address of the report's page."),
                lambda r: reverse(
                    "monitoring:report", kwargs={"plan_slug": r.plan.slug, "pk": r.pk}
                ),
            ),
        ],
        published_reports,
    ),
]
DATASETS += [
    Dataset(
        "responses",
        _("Reasoned responses"),
        _(
            "Every published input received while the plan was made or carried out, the city's "
            "response and its reason. A person is named only with their consent."
        ),
        [
            Column("id", "integer", _("Identifier."), attr("pk")),
            date("received_on", _("When the input was received.")),
            choice("source_kind", _("Kind of source."), ReasonedResponse.SourceKind),
            Column(
                "meeting",
                "string",
                _("Identifier (slug) of the meeting, if the input was made at one."),
                lambda r: r.meeting.slug if r.meeting else None,
                nullable=True,
            ),
            Column(
                "source",
                "string",
                _("Who it came from: a stakeholder group, a consenting person or a resident."),
                lambda r: str(r.source_label()),
            ),
            *translated("text", _("The input")),
            choice("response", _("The city's response."), ReasonedResponse.Response),
            *translated("reason", _("The reason for the response")),
            Column(
                "step_code",
                "string",
                _("Code of the action step it led to, if any."),
                lambda r: r.step.code if r.step else None,
                nullable=True,
            ),
            Column("is_sample", "boolean", _("Summarised by the portal team."), attr("is_sample")),
        ],
        published_responses,
    ),
    Dataset(
        "period-reports",
        _("Period reports"),
        _(
            "The reports of each reporting period: status and progress at the period's end, "
            "what happened and the coded challenges. A correction was filed after the period "
            "closed."
        ),
        [
            Column(
                "period", "integer", _("Number of the reporting period."), lambda r: r.period.number
            ),
            Column(
                "period_end",
                "string",
                _("Last day of the period."),
                lambda r: r.period.end,
                format="date",
            ),
            STEP_CODE,
            choice("status", _("Status at the period's end."), ActionStep.Status),
            Column("progress", "integer", _("Progress at the period's end (%)."), attr("progress")),
            Column(
                "narrative",
                "string",
                _("What happened, in the language written."),
                attr("narrative"),
            ),
            Column(
                "language",
                "string",
                _("Language of the narrative."),
                attr("language"),
                enum=tuple(language_codes()),
            ),
            Column(
                "challenges",
                "string",
                _("Coded challenges, separated by spaces."),
                lambda r: " ".join(r.challenges),
            ),
            Column(
                "filed_at",
                "string",
                _("When it was filed."),
                attr("created_at"),
                format="date-time",
            ),
            Column(
                "is_correction",
                "boolean",
                _("Filed after the period closed."),
                attr("is_correction"),
            ),
            Column("is_sample", "boolean", _("Sample values."), attr("is_sample")),
        ],
        period_reports,
    ),
]

BY_NAME = {dataset.name: dataset for dataset in DATASETS}
