"""import_plan: the whole file is validated first, then written in place by natural key."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from actionplan.models import (
    ActionPlan,
    ActionStep,
    Membership,
    Milestone,
    StakeholderGroup,
    StepChange,
    StepInstitution,
    StepUpdate,
)
from actionplan.planfile import import_plan_file, import_plan_text
from core.importing import ImportFileError

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "banska-bystrica.yaml"
DATA = Path(__file__).resolve().parent / "data"
VALID = (DATA / "valid.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def row_counts():
    models = apps.get_app_config("actionplan").get_models()
    return {model.__name__: model.objects.count() for model in models}


def run_import(path):
    """(stdout, stderr) of the command; CommandError propagates."""
    out, err = StringIO(), StringIO()
    call_command("import_plan", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def edited(text, old, new):
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_real_fixture_imports_both_plans_with_their_commitments():
    out, _ = run_import(FIXTURE)

    assert "0 updated" in out and "0 unchanged" in out
    current = ActionPlan.objects.get(slug="ap-og-24-26")
    assert (current.period_start, current.period_end) == (
        datetime.date(2024, 6, 1),
        datetime.date(2026, 8, 31),
    )
    assert (current.declared_groups, current.declared_public_meetings) == (8, 12)
    assert list(current.priorities.values_list("code", flat=True)) == ["P1", "P2", "P3", "P4"]
    commitment = ActionStep.objects.get(plan=current, code="SKBBA0004")
    assert commitment.priority.code == "P3"
    assert commitment.value_civic_participation and not commitment.value_access_to_information
    assert len(commitment.leads()) == 7 and len(commitment.supporters()) == 6
    first = ActionPlan.objects.get(slug="ap-ov-bb-2021-2022")
    assert first.status == ActionPlan.Status.CLOSED and not first.priorities.exists()
    assert set(first.steps.values_list("code", flat=True)) == {"SKBBA0001", "AP21-2"}
    # Derived steps are never presented as official, and carry sample values only when marked.
    derived = current.steps.filter(origin=ActionStep.Origin.DERIVED)
    assert derived.count() == 13 and not derived.filter(is_sample=False).exists()
    endorsers = StakeholderGroup.objects.get(slug="endorsers-ap-og-24-26")
    assert endorsers.plan == current and endorsers.memberships.count() == 8
    assert not StakeholderGroup.objects.get(slug="colaboratory-board").memberships.exists()
    genk = Membership.objects.get(group__slug="agents-of-co-existence", stakeholder__slug="genk")
    assert (genk.role_en, genk.role_sk, genk.stakeholder.country) == (
        "Lead partner",
        "Vedúci partner",
        "Belgium",
    )
    # Texts in both languages; the official ones (the sources' wording) carry no provenance.
    assert commitment.title_sk.startswith("Podpora integrácie a využívania nástroja Spolupracovňa")
    assert commitment.provenance == {"problem_en": "team", "problem_sk": "team"}
    assert current.priorities.get(code="P1").provenance == {"title_sk": "team"}
    # The 2021–22 plan is partly English-only on purpose.
    assert (first.foreword_sk, first.provenance) == ("", {"foreword_en": "team"})


def test_importing_the_fixture_again_writes_nothing_and_adds_no_history():
    run_import(FIXTURE)
    before = row_counts()
    versions = dict(ActionStep.objects.values_list("pk", "version"))

    out, _ = run_import(FIXTURE)

    assert row_counts() == before  # includes StepChange and StepUpdate
    assert dict(ActionStep.objects.values_list("pk", "version")) == versions
    assert "0 created, 0 updated" in out and "0 removed" in out


BROKEN = [
    ("yaml-syntax-error.yaml", 19, "", "YAML syntax error, column 9: did not find expected ','"),
    # A required text given in neither language: the model's rule, at the record's line.
    (
        "missing-required-key.yaml",
        29,
        "plans[slug=tt-plan].steps[code=P1.1].title",
        "Give it in at least one language.",
    ),
    ("unknown-key.yaml", 36, "plans[slug=tt-plan].steps[code=P1.1].owner", "unknown key"),
    (
        "bad-choice.yaml",
        34,
        "plans[slug=tt-plan].steps[code=P1.1].status",
        "Value 'finished' is not a valid choice. Allowed: not_started, in_progress, completed",
    ),
    ("bad-date.yaml", 37, "plans[slug=tt-plan].steps[code=P1.1].end_date", "it is an invalid date"),
    (
        "end-before-start.yaml",
        37,
        "plans[slug=tt-plan].steps[code=P1.1].end_date",
        "The end date cannot be before the start date.",
    ),
    (
        "progress-101.yaml",
        35,
        "plans[slug=tt-plan].steps[code=P1.1].progress",
        "less than or equal to 100",
    ),
    (
        "completed-progress-50.yaml",
        35,
        "plans[slug=tt-plan].steps[code=P1.1].progress",
        "A completed step has progress 100%.",
    ),
    (
        "duplicate-step-code.yaml",
        43,
        "plans[slug=tt-plan].steps[code=P1.1]",
        "duplicate code 'P1.1' (first on line 29)",
    ),
    (
        "unknown-institution.yaml",
        41,
        "plans[slug=tt-plan].steps[code=P1.1].institutions[institution=town-hal].institution",
        "unknown institution 'town-hal': no entry with this slug in 'institutions' in this file; "
        "did you mean 'town-hall'?",
    ),
    (
        "unknown-priority.yaml",
        33,
        "plans[slug=tt-plan].steps[code=P1.1].priority",
        "unknown priority 'P2'",
    ),
    (
        "wrong-type.yaml",
        35,
        "plans[slug=tt-plan].steps[code=P1.1].progress",
        "expected a whole number, got the text 'forty'",
    ),
    ("duplicate-yaml-key.yaml", 36, "", "duplicate key 'progress' (first given on line 35)"),
    # The bilingual keys: a text is a mapping of languages, and `translations:` names known
    # provenances.
    (
        "plain-text-field.yaml",
        34,
        "plans[slug=tt-plan].steps[code=P1.1].description",
        "expected a mapping (key: value lines) of languages (sk:, en:), got the text "
        "'Publish the budget in the open data portal.'",
    ),
    (
        "unknown-language.yaml",
        30,
        "plans[slug=tt-plan].steps[code=P1.1].title",
        "unknown language 'eng'; did you mean 'en'?",
    ),
    (
        "bad-provenance.yaml",
        38,
        "plans[slug=tt-plan].steps[code=P1.1].translations",
        "title.en: expected one of official, team, machine, got the text 'translated'",
    ),
]


@pytest.mark.parametrize(("name", "line", "where", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_rejected_with_its_location_and_nothing_is_written(
    name, line, where, message
):
    run_import(FIXTURE)  # something to leave untouched
    before = row_counts()
    path = DATA / name

    with pytest.raises(CommandError, match="1 problem found; nothing was imported"):
        run_import(path)

    with pytest.raises(ImportFileError) as exc:
        import_plan_file(path)
    [reported] = exc.value.lines()
    prefix = f"{path}:{line}: {where}: " if where else f"{path}:{line}: "
    assert reported.startswith(prefix)
    assert message in reported
    assert row_counts() == before


def test_a_required_text_given_as_plain_text_is_refused_at_its_line():
    text = edited(
        VALID,
        "        title:\n          sk: Zverejniť rozpočet\n          en: Publish the budget\n",
        "        title: Publish the budget\n",
    )

    with pytest.raises(ImportFileError) as exc:
        import_plan_text(text, "plain.yaml")

    assert (
        "plain.yaml:30: plans[slug=tt-plan].steps[code=P1.1].title: expected a mapping "
        "(key: value lines) of languages (sk:, en:), got the text 'Publish the budget'"
    ) in exc.value.lines()
    assert not ActionPlan.objects.exists()


def test_a_text_may_be_given_in_one_language_and_the_provenance_is_stored():
    text = edited(VALID, "          en: Publish the budget\n", "")
    text = edited(text, "          title.en: team\n", "          title.sk: machine\n")

    import_plan_text(text, "town.yaml")

    step = ActionStep.objects.get(code="P1.1")
    assert (step.title_sk, step.title_en) == ("Zverejniť rozpočet", "")
    assert step.provenance == {"title_sk": "machine"}
    assert step.provenance_of("title", "en") == "official"
    assert ActionPlan.objects.get().title_en == "Test Town plan"


def test_problems_go_to_stderr_one_per_line():
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(DATA / "bad-choice.yaml"), stdout=StringIO(), stderr=err)
    assert err.getvalue().count("\n") == 1 and "status: Value 'finished'" in err.getvalue()


def test_every_problem_in_the_file_is_reported_not_only_the_first():
    text = edited(VALID, "        progress: 40\n", "        progress: 101\n        colour: red\n")
    text = edited(text, "    title:\n      sk: Akčný plán Testova\n      en: Test Town plan\n", "")
    text = edited(text, "- institution: town-hall\n", "- institution: nowhere\n")

    with pytest.raises(ImportFileError) as exc:
        import_plan_text(text, "many.yaml")

    reported = exc.value.lines()
    assert len(reported) == 4
    assert [line.split(": ")[1] for line in reported] == [
        "plans[slug=tt-plan].title",
        "plans[slug=tt-plan].steps[code=P1.1].progress",
        "plans[slug=tt-plan].steps[code=P1.1].colour",
        "plans[slug=tt-plan].steps[code=P1.1].institutions[institution=nowhere].institution",
    ]
    assert not ActionPlan.objects.exists()


def test_changed_status_in_the_file_updates_the_step_in_place_with_history():
    import_plan_text(VALID, "town.yaml")
    step = ActionStep.objects.get(code="P1.1")
    changes_before = StepChange.objects.count()

    changed = edited(
        VALID,
        "        status: in_progress\n        progress: 40\n",
        "        status: completed\n        progress: 100\n",
    )
    summary = import_plan_text(changed, "tests/town.yaml")

    assert (summary.created, summary.updated, summary.step_updates) == (0, 1, 1)
    step_after = ActionStep.objects.get(code="P1.1")
    assert step_after.pk == step.pk
    assert (step_after.status, step_after.progress, step_after.version) == ("completed", 100, 2)
    assert set(
        StepChange.objects.filter(step=step, version=2).values_list(
            "field", "old_value", "new_value"
        )
    ) == {("status", "in_progress", "completed"), ("progress", "40", "100")}
    assert StepChange.objects.count() == changes_before + 2
    update = StepUpdate.objects.get(step=step)
    assert (update.source, update.from_version, update.to_version) == ("import", 1, 2)
    assert "town.yaml" in update.note


def test_step_update_covers_the_versions_of_milestones_completed_by_the_file():
    with_milestone = edited(
        VALID,
        "            role: lead\n",
        "            role: lead\n        milestones:\n          - title:\n"
        "              en: Draft published\n            due_date: 2024-06-30\n",
    )
    import_plan_text(with_milestone, "town.yaml")
    step = ActionStep.objects.get(code="P1.1")

    done = edited(
        with_milestone,
        "            due_date: 2024-06-30\n",
        "            due_date: 2024-06-30\n            completed_on: 2024-07-02\n",
    )
    done = edited(done, "        progress: 40\n", "        progress: 60\n")
    import_plan_text(done, "town.yaml")

    update = StepUpdate.objects.get(step=step)
    assert (update.from_version, update.to_version) == (1, 3)
    assert Milestone.objects.get(step=step).completed_on == datetime.date(2024, 7, 2)


def test_children_missing_from_the_file_are_removed():
    run_import(FIXTURE)
    text = FIXTURE.read_text(encoding="utf-8")
    milestone = (
        "          - title:\n"
        "              sk: Vyhodnotené výsledky pilotného overenia\n"
        "              en: Pilot results evaluated\n"
        "            due_date: 2025-12-31\n"
        "            translations:\n"
        "              title.en: team\n"
        "              title.sk: team\n"
    )
    text = edited(text, milestone, "")
    text = edited(text, "          - institution: nova-ims\n            role: lead\n", "")
    text = edited(text, "      - stakeholder: natalia-baladkova\n", "")

    summary = import_plan_text(text, "edited.yaml")

    assert summary.removed == 3
    assert not Milestone.objects.filter(title_en="Pilot results evaluated").exists()
    roles = StepInstitution.objects.filter(step__code="SKBBA0004")
    assert not roles.filter(institution__slug="nova-ims").exists()
    assert StakeholderGroup.objects.get(slug="endorsers-ap-og-24-26").memberships.count() == 7
    assert summary.step_updates == 0  # removing a milestone is not a tracked change


def test_step_missing_from_the_file_is_an_error_suggesting_withdrawn():
    import_plan_text(VALID, "town.yaml")
    before = row_counts()
    without_step = VALID.split("    steps:\n")[0]

    with pytest.raises(ImportFileError) as exc:
        import_plan_text(without_step, "town.yaml")

    [reported] = exc.value.lines()
    assert reported.startswith("town.yaml:15: plans[slug=tt-plan].steps[code=P1.1]: ")
    assert "cannot be deleted" in reported and "status: withdrawn" in reported
    assert row_counts() == before


def test_plans_not_in_the_file_are_left_alone():
    run_import(FIXTURE)
    text = FIXTURE.read_text(encoding="utf-8")
    first_plan = text.index("  # Action plan 2021–2022: ")
    only_current = text[:first_plan] + text[text.index("  # Action plan 2024–2026: ") :]

    summary = import_plan_text(only_current, "current.yaml")

    assert summary.created == summary.updated == summary.removed == 0
    assert ActionPlan.objects.filter(slug="ap-ov-bb-2021-2022").exists()


def test_plan_slug_taken_by_another_jurisdiction_is_rejected():
    import_plan_text(VALID, "town.yaml")
    other = edited(VALID, "  slug: test-town\n", "  slug: other-town\n")

    with pytest.raises(ImportFileError) as exc:
        import_plan_text(other, "other.yaml")

    assert any(
        "plans[slug=tt-plan].slug: " in line and "already exists" in line
        for line in exc.value.lines()
    )


def test_dry_run_reports_the_changes_and_writes_nothing():
    out = StringIO()
    call_command("import_plan", str(DATA / "valid.yaml"), "--dry-run", stdout=out)
    assert "would import 6 created" in out.getvalue()
    assert sum(row_counts().values()) == 0
