"""The monitoring file: monitoring bodies, reports and assessments of plans that import_plan has
loaded (fixtures/banska-bystrica-monitoring.yaml).

    format: ogp-portal-monitoring/1
    bodies:                          # one per plan
      - plan: <plan slug>            # required; the key
        name: {sk: ..., en: ...}, description: {sk, en}, contact_details, email, website,
        selected_on
    reports:
      - plan: <plan slug>            # required
        title: {sk: ..., en: ...}    # required; with the plan, its English title is the key
        kind: inception              # required; see MonitoringReport.Kind
        authors: ...                 # required
        status: published            # default draft
        period_start, period_end, published_on, summary {sk, en}, source_url, and for a final
        learning exercise what_worked, what_did_not_work, lessons, recommendations (each {sk, en})
        steps: [SKBBA0001]           # codes of the steps it covers
        checklist:                   # an inception report's answers, by question
          "1.1": {answer: yes, explanation: {sk, en}, evidence: ...}
    assessments:                     # one per step
      - plan: <plan slug>            # required
        step: <step code>            # required; the key
        status, verifiability, relevance_<value> (true/false) and relevance_<value>_explanation
        ({sk, en}) for each OGP value, potential_for_results, completion, early_results,
        narrative ({sk, en}), evidence_links
    Each record may say which of its texts are translations: translations: {title.sk: team}.

It is read by the import engine (core.importing) like the plan file: the whole file is checked
first and every problem reported with its line and place; then it is written in one transaction.
Records are matched by their keys and updated in place, so the file can be imported on every
`make run`; a key left out of a record means its empty or default value. A report is written with
its checklist and then given the rows its kind asks for (services.sync_report_rows); checklist
answers the file does not give are left alone. An assessment goes through the same form and
service as an edit on the portal, so it is validated the same way and each change leaves a
revision; an unchanged one is not saved again.
"""

from django.core.exceptions import ValidationError

from actionplan.models import ActionPlan, OgpValue
from core.importing import FileFormat, Lookup, ProvenanceMap, Section, Translated
from monitoring.forms import AssessmentForm
from monitoring.models import (
    Assessment,
    ChecklistAnswer,
    MonitoringBody,
    MonitoringReport,
    explanation_field,
    relevance_field,
)
from monitoring.services import save_assessment, sync_report_rows

FORMAT = "ogp-portal-monitoring/1"


def _same(*names):
    return {name: name for name in names}


def _save_report(node, write):
    write()
    sync_report_rows(node.instance)


def _assessment_form(assessment):
    """The assessment form as the portal would post it with the values of `assessment`."""
    data = {"version": assessment.version if assessment.pk else 0}
    for name in Assessment.ASSESSED_FIELDS:
        value = getattr(assessment, name)
        data[name] = "" if value is None else str(value)
    return AssessmentForm(data, instance=assessment)


def _validate_assessment(assessment, exclude):
    form = _assessment_form(assessment)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())


def _save_assessment(node, write):
    # The service saves the assessment itself, with the revision every saved version gets.
    form = _assessment_form(node.instance)
    form.full_clean()
    save_assessment(node.instance.step, form, user=None)


BODIES = Section(
    MonitoringBody,
    key="plan",
    keys={
        "plan": Lookup("plan", "slug"),
        "name": Translated("name"),
        "description": Translated("description"),
        **_same("contact_details", "email", "website", "selected_on"),
        "translations": ProvenanceMap(),
    },
)
REPORTS = Section(
    MonitoringReport,
    # OGP publishes the reports with English titles; the city may add Slovak ones.
    key=("plan", "title_en"),
    save=_save_report,
    queryset=MonitoringReport.objects.prefetch_related("steps", "checklist"),
    keys={
        "plan": Lookup("plan", "slug"),
        "kind": "kind",
        "title": Translated("title", keyed_by="en"),
        **_same("authors", "period_start", "period_end", "published_on"),
        "steps": Lookup("steps", "code", within="plan", noun="step"),
        "summary": Translated("summary"),
        **{name: Translated(name) for name in MonitoringReport.LEARNING_SECTIONS},
        **_same("source_url", "status"),
        "translations": ProvenanceMap(),
        "checklist": Section(
            ChecklistAnswer,
            parent="report",
            key="question",
            keyed=True,
            # sync_report_rows gives an inception report a row for every question.
            prune=False,
            keys={
                "answer": "answer",
                "explanation": Translated("explanation"),
                "evidence": "evidence",
                "translations": ProvenanceMap(),
            },
        ),
    },
)
ASSESSMENTS = Section(
    Assessment,
    key=("plan", "step"),
    validate=_validate_assessment,
    save=_save_assessment,
    keys={
        "plan": Lookup("plan", "slug", model=ActionPlan),
        "step": Lookup("step", "code", within="plan"),
        "status": "status",
        "verifiability": "verifiability",
        **{
            name: spec
            for value in OgpValue.values
            for name, spec in (
                (relevance_field(value), relevance_field(value)),
                (explanation_field(value), Translated(explanation_field(value))),
            )
        },
        **_same("potential_for_results", "completion", "early_results"),
        "narrative": Translated("narrative"),
        "evidence_links": "evidence_links",
        "translations": ProvenanceMap(),
    },
)

MONITORING_FILE = FileFormat(
    "monitoring",
    FORMAT,
    Section(None, keys={"bodies": BODIES, "reports": REPORTS, "assessments": ASSESSMENTS}),
)


def import_monitoring_text(text, source="<text>", dry_run=False):
    return MONITORING_FILE.import_text(text, source, dry_run)


def import_monitoring_file(path, dry_run=False):
    return MONITORING_FILE.import_file(path, dry_run)
