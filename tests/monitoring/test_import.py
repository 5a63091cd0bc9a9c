"""import_monitoring: the demo file loads and a second run changes nothing; every problem is
located by line and place; nothing is written when any record is wrong, nor on a dry run."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from actionplan.planfile import import_plan_file
from core.importing import ImportFileError
from monitoring.loader import import_monitoring_text
from monitoring.models import Assessment, AssessmentRevision, ChecklistAnswer, MonitoringReport

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO = FIXTURES / "banska-bystrica-monitoring.yaml"

VALID = """\
format: ogp-portal-monitoring/1
bodies:
  - plan: ap-og-24-26
    contact_details: TBC
reports:
  - plan: ap-ov-bb-2021-2022
    kind: inception
    title:
      sk: Úvodná správa
      en: Inception report
    authors: K. V.
    steps: [SKBBA0001]
    checklist:
      "1.1":
        answer: yes
assessments:
  - plan: ap-ov-bb-2021-2022
    step: SKBBA0001
    verifiability: verifiable
    relevance_civic_participation: true
"""


@pytest.fixture
def city(db):
    import_plan_file(FIXTURES / "banska-bystrica.yaml")


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("monitoring").get_models()
    }


def edited(text, old, new):
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(text):
    with pytest.raises(ImportFileError) as raised:
        import_monitoring_text(text, source="monitoring.yaml")
    return raised.value.lines()


def test_demo_file_imports_and_a_second_run_changes_nothing(city):
    out = StringIO()
    call_command("import_monitoring", str(DEMO), stdout=out)
    assert "imported 4 created, 0 updated, 0 unchanged" in out.getvalue()
    before, revisions = row_counts(), AssessmentRevision.objects.count()

    call_command("import_monitoring", str(DEMO), stdout=out)

    assert "imported 0 created, 0 updated, 4 unchanged" in out.getvalue()
    assert row_counts() == before and AssessmentRevision.objects.count() == revisions


def test_dry_run_reports_the_counts_and_writes_nothing(city):
    before = row_counts()
    out = StringIO()

    call_command("import_monitoring", str(DEMO), "--dry-run", stdout=out)

    assert "would import 4 created, 0 updated" in out.getvalue()
    assert row_counts() == before


def test_a_bad_value_and_an_unknown_key_are_reported_with_their_lines(city):
    text = edited(VALID, "verifiability: verifiable", "verifiability: maybe")
    text = edited(text, "    contact_details: TBC\n", "    contact_details: TBC\n    colour: red\n")

    lines = problems_of(text)

    assert lines[0] == (
        "monitoring.yaml:5: bodies[plan=ap-og-24-26].colour: unknown key (allowed: plan, name, "
        "description, contact_details, email, website, selected_on, translations)"
    )
    assert lines[1].startswith(
        "monitoring.yaml:20: assessments[0] (SKBBA0001).verifiability: Select a valid choice."
    )
    assert "Allowed: verifiable, not_verifiable" in lines[1]
    assert len(lines) == 2
    assert sum(row_counts().values()) == 0


def test_records_the_database_does_not_have_are_named(city):
    text = edited(VALID, "  - plan: ap-og-24-26\n", "  - plan: ap-og-24-62\n")
    text = edited(text, "    step: SKBBA0001\n", "    step: SKBBA0009\n")
    text = edited(text, '      "1.1":\n', '      "9.9":\n')

    assert problems_of(text) == [
        "monitoring.yaml:3: bodies[plan=ap-og-24-62].plan: no plan with this slug; "
        "did you mean 'ap-og-24-26'?",
        "monitoring.yaml:14: reports[0].checklist.9.9: Value '9.9' is not a "
        "valid choice. Allowed: 1.1, 1.2, endorsed, webpage, information_shared.",
        "monitoring.yaml:18: assessments[0] (SKBBA0009).step: no step 'SKBBA0009' in this plan; "
        "did you mean 'SKBBA0001'?",
    ]


def test_a_changed_assessment_is_saved_with_a_revision_and_the_rest_left_alone(city):
    import_monitoring_text(VALID)
    assessment = Assessment.objects.get(step__code="SKBBA0001")
    changed = edited(VALID, "verifiability: verifiable", "verifiability: not_verifiable")

    summary = import_monitoring_text(changed)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    assessment.refresh_from_db()
    assert (assessment.verifiability, assessment.version) == ("not_verifiable", 2)
    assert assessment.revisions.count() == 2


def test_an_inception_report_gets_a_row_for_every_question(city):
    import_monitoring_text(VALID)

    report = MonitoringReport.objects.get(title_en="Inception report")
    answers = dict(ChecklistAnswer.objects.filter(report=report).values_list("question", "answer"))
    assert answers == {
        "1.1": True,
        "1.2": None,
        "endorsed": None,
        "webpage": None,
        "information_shared": None,
    }


def test_the_command_fails_and_lists_the_problems_on_stderr(city, tmp_path):
    path = tmp_path / "monitoring.yaml"
    path.write_text(edited(VALID, "kind: inception", "kind: yearly"), encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError, match="1 problem found; nothing was imported"):
        call_command("import_monitoring", str(path), stdout=StringIO(), stderr=err)

    assert f"{path}:7: reports[0].kind: Value 'yearly'" in err.getvalue()


def test_a_report_is_matched_by_its_english_title_and_keeps_both_languages(city):
    text = edited(
        VALID,
        "    authors: K. V.\n",
        "    authors: K. V.\n    translations:\n      title.sk: team\n",
    )
    import_monitoring_text(text)
    renamed = edited(text, "      sk: Úvodná správa\n", "      sk: Úvodná hodnotiaca správa\n")

    summary = import_monitoring_text(renamed)

    assert (summary.created, summary.updated) == (0, 1)
    report = MonitoringReport.objects.get()
    assert (report.title_sk, report.title_en) == ("Úvodná hodnotiaca správa", "Inception report")
    assert report.provenance == {"title_sk": "team"}
    assert import_monitoring_text(renamed).unchanged == 3


def test_a_report_needs_an_english_title(city):
    text = edited(VALID, "      en: Inception report\n", "")

    # The English title is the report's key: the problem is reported at the title.
    assert problems_of(text) == [
        "monitoring.yaml:8: reports[0].title: needs the en: text, which identifies the record"
    ]
    assert sum(row_counts().values()) == 0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    title:\n      sk: Úvodná správa\n      en: Inception report\n",
            "    title: Inception report\n",
            # A plain title still names the report in the message; a mapping of languages does not.
            "monitoring.yaml:8: reports[0] (Inception report).title: expected a mapping "
            "(key: value lines) of languages (sk:, en:), got the text 'Inception report'",
        ),
        (
            "      sk: Úvodná správa\n",
            "      cz: Úvodní zpráva\n",
            "monitoring.yaml:8: reports[0].title: unknown language 'cz'",
        ),
        (
            "    authors: K. V.\n",
            "    authors: K. V.\n    translations:\n      title.sk: google\n",
            "monitoring.yaml:12: reports[0].translations: title.sk: expected "
            "one of official, team, machine, got the text 'google'",
        ),
    ],
    ids=["plain-text", "unknown-language", "bad-provenance"],
)
def test_a_text_that_is_not_a_mapping_of_languages_is_refused_at_its_line(city, old, new, message):
    lines = problems_of(edited(VALID, old, new))

    assert any(line.startswith(message) for line in lines), lines
    assert sum(row_counts().values()) == 0
