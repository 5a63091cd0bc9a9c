"""The plan file's schema: what each key of the file is and where it is stored.

The key order of each Section is the file's, the export's and the write order: a record is written
after the records it refers to (groups name plans and stakeholders, steps name institutions).
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from actionplan.backfill import PastUpdate, check, moment, past_updates
from actionplan.models import (
    ActionPlan,
    ActionStep,
    Challenge,
    Institution,
    Jurisdiction,
    Membership,
    Milestone,
    OgpValue,
    PeriodReport,
    Priority,
    ReportingPeriod,
    Stakeholder,
    StakeholderGroup,
    StepChange,
    StepInstitution,
    StepUpdate,
)
from core.importing import (
    A_LIST,
    Custom,
    Group,
    ProvenanceMap,
    Ref,
    Section,
    Translated,
    TranslatedGroup,
    suggest,
    wrong_type,
)

FORMAT = "ogp-portal/1"


class OgpValues(Custom):
    """The list of OGP values a step is relevant to, one boolean column `value_<key>` each."""

    attrs = tuple(f"value_{value}" for value in OgpValue.values)

    def parse(self, value, report):
        chosen = []
        if value is None:
            value = []
        if not isinstance(value, list):
            report(wrong_type(A_LIST, value))
        else:
            allowed = OgpValue.values
            for item in value:
                if item in allowed:
                    chosen.append(item)
                else:
                    report(
                        f"unknown OGP value {item!r}{suggest(item, allowed)} "
                        f"(allowed: {', '.join(allowed)})"
                    )
        return {f"value_{value}": value in chosen for value in OgpValue.values}

    def export(self, instance):
        return [value for value in OgpValue.values if getattr(instance, f"value_{value}")]


def _day(value):
    """A date from the file (text like 2025-06-30), or None when it is not one."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


class Baseline(Custom):
    """The dates a step had when the plan was adopted: `baseline: {start, end}`. Left out, a new
    step gets its own dates (a database trigger) and a stored one keeps what it has; the export
    writes it only for a step whose dates have moved since."""

    attrs = ("baseline_start_date", "baseline_end_date")

    def parse(self, value, report):
        if value is None:
            return {}
        if not isinstance(value, dict):
            report(wrong_type("a mapping with start and end", value))
            return {}
        out = {}
        for key, attr in (("start", "baseline_start_date"), ("end", "baseline_end_date")):
            day = _day(value.get(key))
            if day is not None:
                out[attr] = day
            elif value.get(key) is not None:
                report(f"baseline {key}: expected a date like 2025-06-30, got {day!r}")
        unknown = set(value) - {"start", "end"}
        if unknown:
            report(f"unknown key(s) in baseline: {', '.join(sorted(unknown))}")
        return out

    def export(self, instance):
        if not instance.is_moved:
            return None
        out = {}
        if instance.baseline_start_date:
            out["start"] = _text(instance.baseline_start_date)
        if instance.baseline_end_date:
            out["end"] = _text(instance.baseline_end_date)
        return out


HISTORY_KEYS = {
    "date",
    "status",
    "progress",
    "start_date",
    "end_date",
    "reason",
    "note",
    "source",
    "language",
}


class History(Custom):
    """A step's past updates with their real dates, stored as backfilled history after the
    steps are written (actionplan.backfill): a list of {date, status, progress, start_date,
    end_date, note, source, language}."""

    after_write = True

    def parse(self, value, report):
        if value is None:
            return []
        if not isinstance(value, list):
            report(wrong_type(A_LIST, value))
            return []
        entries = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                report(f"history[{number}]: expected a mapping, got {item!r}")
                continue
            unknown = set(item) - HISTORY_KEYS
            if unknown:
                report(f"history[{number}]: unknown key(s) {', '.join(sorted(unknown))}")
            day = _day(item.get("date"))
            if day is None:
                report(f"history[{number}]: date: expected a date like 2025-06-30, got {day!r}")
                continue
            progress = item.get("progress")
            if progress is not None and not isinstance(progress, int):
                report(f"history[{number}]: progress: expected a whole number, got {progress!r}")
                continue
            entry = PastUpdate(
                day=day,
                note=str(item.get("note") or ""),
                source=str(item.get("source") or "plan file"),
                language=str(item.get("language") or "sk"),
                status=item.get("status"),
                progress=progress,
                start_date=_day(item.get("start_date")),
                end_date=_day(item.get("end_date")),
                reason=str(item.get("reason") or ""),
            )
            for problem in check(entry):
                report(f"history[{number}]: {problem}")
            entries.append(entry)
        return entries

    def export(self, instance):
        out = []
        for entry in past_updates(instance):
            item = {"date": _text(entry.day)}
            for name in ("status", "progress", "start_date", "end_date"):
                if getattr(entry, name) is not None:
                    item[name] = _text(getattr(entry, name))
            if entry.reason:
                item["reason"] = entry.reason
            item.update(note=entry.note, source=entry.source, language=entry.language)
            out.append(item)
        return out


class Challenges(Custom):
    """The coded challenges of a period report, a list of Challenge values."""

    attrs = ("challenges",)

    def parse(self, value, report):
        if value is None:
            return {"challenges": []}
        if not isinstance(value, list):
            report(wrong_type(A_LIST, value))
            return {}
        for item in value:
            if item not in Challenge.values:
                report(
                    f"unknown challenge {item!r}{suggest(str(item), Challenge.values)} "
                    f"(allowed: {', '.join(Challenge.values)})"
                )
        return {"challenges": list(value)}

    def export(self, instance):
        return list(instance.challenges)


class FiledOn(Custom):
    """The day a period report was filed (stored at noon of that day)."""

    attrs = ("created_at",)

    def parse(self, value, report):
        day = _day(value)
        if day is None:
            report(f"expected a date like 2025-06-30, got {value!r}")
            return {}
        return {"created_at": moment(day)}

    def export(self, instance):
        return timezone.localtime(instance.created_at).date().isoformat()


def tree_queryset(plans=None, groups=None):
    """Jurisdictions with everything a file holds, in a fixed number of queries; `plans` and
    `groups` narrow those lists."""
    return Jurisdiction.objects.prefetch_related(
        "institutions",
        "stakeholders",
        Prefetch("plans", queryset=plans if plans is not None else ActionPlan.objects.all()),
        "plans__priorities",
        Prefetch("plans__steps", queryset=ActionStep.objects.select_related("priority")),
        # Only the backfilled past updates: the portal's own history is not part of the file.
        Prefetch("plans__steps__changes", queryset=StepChange.objects.filter(backfilled=True)),
        Prefetch("plans__steps__updates", queryset=StepUpdate.objects.filter(backfilled=True)),
        Prefetch(
            "plans__steps__roles", queryset=StepInstitution.objects.select_related("institution")
        ),
        "plans__steps__milestones",
        "plans__periods",
        Prefetch(
            "plans__periods__reports",
            queryset=PeriodReport.objects.select_related("step", "institution"),
        ),
        Prefetch(
            "stakeholder_groups",
            queryset=(
                groups if groups is not None else StakeholderGroup.objects.all()
            ).select_related("plan"),
        ),
        Prefetch(
            "stakeholder_groups__memberships",
            queryset=Membership.objects.select_related("stakeholder"),
        ),
    )


def _same(*names):
    return {name: name for name in names}


# Milestones are matched by their place in the list: their titles are in two languages.
MILESTONES = Section(
    Milestone,
    parent="step",
    ordered=True,
    keys={
        "title": Translated("title"),
        **_same("due_date", "completed_on"),
        "translations": ProvenanceMap(),
    },
    sort=lambda m: (m.order, m.title),
)
STEP_INSTITUTIONS = Section(
    StepInstitution,
    parent="step",
    key="institution",
    keys={"institution": Ref("institution", "institutions", "slug"), "role": "role"},
    sort=lambda r: (r.role, r.institution.slug),
)
STEPS = Section(
    ActionStep,
    parent="plan",
    key="code",
    ordered=True,
    # A step keeps its history, so it is withdrawn rather than deleted.
    retire="status: withdrawn",
    keys={
        "code": "code",
        "title": Translated("title"),
        "priority": Ref("priority", "priorities", "code"),
        **_same("origin", "is_sample", "status", "progress", "start_date", "end_date"),
        "baseline": Baseline(),
        "weight": "weight",
        "values": OgpValues(),
        "problem": Translated("problem"),
        "description": Translated("description"),
        "expected_result": Translated("expected_result"),
        "source_url": "source_url",
        "translations": ProvenanceMap(),
        "institutions": STEP_INSTITUTIONS,
        "milestones": MILESTONES,
        "history": History(),
    },
    sort=lambda s: (s.order, s.code),
)
# Period reports are only ever added (a trigger refuses UPDATE): the file carries at most one
# report per step, period and day, matched by the step and the day it was filed.
REPORTS = Section(
    PeriodReport,
    parent="period",
    key=("step", "created_at"),
    prune=False,
    keys={
        "step": Ref("step", "steps", "code"),
        "is_correction": "is_correction",
        "filed_on": FiledOn(),
        "institution": Ref("institution", "institutions", "slug"),
        **_same("status", "progress", "behind_schedule"),
        "challenges": Challenges(),
        **_same("narrative", "language", "is_sample"),
    },
    sort=lambda r: (r.step.order, r.step.code, r.is_correction),
)
PERIODS = Section(
    ReportingPeriod,
    parent="plan",
    key="number",
    keys={
        **_same("number", "start", "end", "state"),
        "reports": REPORTS,
    },
    sort=lambda p: p.number,
)
PRIORITIES = Section(
    Priority,
    parent="plan",
    key="code",
    ordered=True,
    keys={
        "code": "code",
        "title": Translated("title"),
        "description": Translated("description"),
        "translations": ProvenanceMap(),
    },
    sort=lambda p: (p.order, p.code),
)
# Top-level lists are not pruned: a file may carry a subset of a jurisdiction's plans, and
# institutions or people are retired in the admin, not by a file.
PLANS = Section(
    ActionPlan,
    parent="jurisdiction",
    key="slug",
    prune=False,
    keys={
        **_same("slug", "code"),
        "title": Translated("title"),
        "status": "status",
        "period": Group({"start": "period_start", "end": "period_end"}),
        **_same("submitted_on", "source_url"),
        "narrative": TranslatedGroup(ActionPlan.NARRATIVE_FIELDS),
        "declared": Group(
            {"groups": "declared_groups", "public_meetings": "declared_public_meetings"}
        ),
        "translations": ProvenanceMap(),
        "priorities": PRIORITIES,
        "steps": STEPS,
        "periods": PERIODS,
    },
    sort=lambda p: (p.period_start, p.slug),
)
INSTITUTIONS = Section(
    Institution,
    parent="jurisdiction",
    key="slug",
    prune=False,
    keys={
        "slug": "slug",
        "name": Translated("name"),
        **_same("abbreviation", "kind", "website"),
        "translations": ProvenanceMap(),
    },
    sort=lambda i: i.slug,
)
STAKEHOLDERS = Section(
    Stakeholder,
    parent="jurisdiction",
    key="slug",
    prune=False,
    keys={
        **_same("slug", "kind", "name"),
        "affiliation": Translated("affiliation"),
        "public_role": Translated("public_role"),
        **_same("sector", "country", "website"),
        "translations": ProvenanceMap(),
    },
    sort=lambda s: s.slug,
)
MEMBERS = Section(
    Membership,
    parent="group",
    key="stakeholder",
    ordered=True,
    keys={
        "stakeholder": Ref("stakeholder", "stakeholders", "slug"),
        "role": Translated("role"),
        "translations": ProvenanceMap(),
    },
    sort=lambda m: (m.order, m.stakeholder.slug),
)
GROUPS = Section(
    StakeholderGroup,
    parent="jurisdiction",
    key="slug",
    ordered=True,
    prune=False,
    keys={
        "slug": "slug",
        "name": Translated("name"),
        "sector": "sector",
        "plan": Ref("plan", "plans", "slug"),
        "description": Translated("description"),
        "translations": ProvenanceMap(),
        "members": MEMBERS,
    },
    sort=lambda g: (g.order, g.slug),
)
ROOT = Section(
    Jurisdiction,
    key="slug",
    queryset=tree_queryset(),
    keys={
        "jurisdiction": Group(
            _same("slug", "country", "local_language", "website", "ogp_member_since")
        ),
        "name": Translated("name"),
        "translations": ProvenanceMap(),
        "institutions": INSTITUTIONS,
        "stakeholders": STAKEHOLDERS,
        "plans": PLANS,
        "stakeholder_groups": GROUPS,
    },
)
