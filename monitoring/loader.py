"""Reading a monitoring file (fixtures/banska-bystrica-monitoring.yaml): monitoring bodies, reports
and assessments of plans that import_plan has loaded.

Records are matched by natural keys (a plan's slug, a report's title within its plan, a step's
code) and updated in place, so the file can be imported on every `make run`. An assessment goes
through the same form and service as an edit on the portal, so it is validated the same way and
each change leaves a revision; an unchanged one is not saved again.
"""

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from actionplan.importing import ImportFileError, ImportSummary
from actionplan.models import ActionPlan, OgpValue
from monitoring.forms import AssessmentForm
from monitoring.models import (
    Assessment,
    ChecklistAnswer,
    ChecklistQuestion,
    MonitoringBody,
    MonitoringReport,
    relevance_field,
)
from monitoring.services import save_assessment, sync_report_rows

FORMAT = "ogp-portal-monitoring/1"
BODY_KEYS = {
    "plan",
    "name",
    "local_name",
    "description",
    "contact_details",
    "email",
    "website",
    "selected_on",
}
REPORT_KEYS = {
    "plan",
    "kind",
    "title",
    "authors",
    "period_start",
    "period_end",
    "published_on",
    "steps",
    "summary",
    *MonitoringReport.LEARNING_SECTIONS,
    "source_url",
    "status",
    "checklist",
}
ASSESSMENT_KEYS = {"plan", "step", *Assessment.ASSESSED_FIELDS}


class MonitoringFileError(ImportFileError):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def lines(self):
        return self.problems


class Summary(ImportSummary):
    def __str__(self):
        return f"{self.source}: {self.counts()}"


def _unknown_keys(where, item, allowed, problems):
    for key in sorted(set(item) - allowed):
        problems.append(f"{where}: unknown key {key!r}")


def _records(items, name, allowed, problems):
    """(where, record, plan) for each record of the list `name` whose plan exists."""
    for n, item in enumerate(items or []):
        where = f"{name}[{n}]"
        _unknown_keys(where, item, allowed, problems)
        slug = item.get("plan")
        plan = ActionPlan.objects.filter(slug=slug).first()
        if plan is None:
            problems.append(f"{where}: no plan {slug!r}; import the plan file first")
            continue
        yield where, item, plan


def _assign(instance, values):
    """Set the values that differ; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _save(instance, values, where, problems, summary):
    created = instance.pk is None
    if not _assign(instance, values) and not created:
        summary.unchanged += 1
        return instance
    try:
        instance.full_clean()
    except ValidationError as exc:
        problems.extend(
            f"{where}: {field}: {'; '.join(msgs)}" for field, msgs in exc.message_dict.items()
        )
        return instance
    instance.save()
    summary.count(created)
    return instance


def _load_bodies(items, problems, summary):
    for where, item, plan in _records(items, "bodies", BODY_KEYS, problems):
        body = MonitoringBody.objects.filter(plan=plan).first() or MonitoringBody(plan=plan)
        values = {key: item.get(key) or "" for key in BODY_KEYS - {"plan", "selected_on"}}
        values["selected_on"] = item.get("selected_on")
        _save(body, values, where, problems, summary)


def _load_reports(items, problems, summary):
    for where, item, plan in _records(items, "reports", REPORT_KEYS, problems):
        report = MonitoringReport.objects.filter(plan=plan, title=item.get("title")).first()
        report = report or MonitoringReport(plan=plan)
        dates = {"period_start", "period_end", "published_on"}
        values = {
            key: item.get(key) or (None if key in dates else "")
            for key in REPORT_KEYS - {"plan", "steps", "checklist"}
        }
        report = _save(report, values, where, problems, summary)
        if report.pk is None:
            continue
        codes = item.get("steps") or []
        steps = list(plan.steps.filter(code__in=codes))
        missing = set(codes) - {step.code for step in steps}
        if missing:
            problems.append(f"{where}.steps: no step {', '.join(sorted(missing))} in {plan.slug}")
        if set(report.steps.all()) != set(steps):
            report.steps.set(steps)
        sync_report_rows(report)
        for question, answer in (item.get("checklist") or {}).items():
            if question not in ChecklistQuestion.values:
                problems.append(f"{where}.checklist: unknown question {question!r}")
                continue
            row = ChecklistAnswer.objects.get(report=report, question=question)
            _unknown_keys(
                f"{where}.checklist.{question}",
                answer,
                {"answer", "explanation", "evidence"},
                problems,
            )
            _save(
                row,
                {
                    "answer": answer.get("answer"),
                    "explanation": answer.get("explanation") or "",
                    "evidence": answer.get("evidence") or "",
                },
                f"{where}.checklist.{question}",
                problems,
                summary,
            )


def _form_data(item, assessment):
    data = {"version": assessment.version if assessment.pk else 0}
    for name in Assessment.ASSESSED_FIELDS:
        value = item.get(name)
        if name in {relevance_field(v) for v in OgpValue.values}:
            data[name] = "" if value is None else str(bool(value))
        else:
            data[name] = value or ""
    return data


def _load_assessments(items, problems, summary):
    for where, item, plan in _records(items, "assessments", ASSESSMENT_KEYS, problems):
        step = plan.steps.filter(code=item.get("step")).first()
        if step is None:
            problems.append(f"{where}: no step {item.get('step')!r} in {plan.slug}")
            continue
        assessment = Assessment.objects.filter(step=step).first() or Assessment(step=step)
        form = AssessmentForm(_form_data(item, assessment), instance=assessment)
        if not form.is_valid():
            problems.extend(f"{where}: {field}: {'; '.join(e)}" for field, e in form.errors.items())
            continue
        if assessment.pk and all(
            form.cleaned_data[name] == getattr(assessment, name)
            for name in Assessment.ASSESSED_FIELDS
        ):
            summary.unchanged += 1
            continue
        created = assessment.pk is None
        save_assessment(step, form, user=None)
        summary.count(created)


def import_monitoring_file(path):
    """Import the file in one transaction; raises MonitoringFileError listing every problem,
    in which case nothing is written."""
    with open(path, encoding="utf-8") as fh:
        try:
            data = yaml.safe_load(fh) or {}
        except yaml.YAMLError as exc:
            raise MonitoringFileError([f"{path}: {exc}"]) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MonitoringFileError([f"{path}: expected a mapping that starts with format: {FORMAT}"])
    problems = []
    _unknown_keys(path, data, {"format", "bodies", "reports", "assessments"}, problems)
    summary = Summary(str(path))
    with transaction.atomic():
        _load_bodies(data.get("bodies"), problems, summary)
        _load_reports(data.get("reports"), problems, summary)
        _load_assessments(data.get("assessments"), problems, summary)
        if problems:
            raise MonitoringFileError(problems)  # leaving the block rolls everything back
    return summary
