"""export_plan writes the import format back, deterministically: export, import, export agree."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import transaction

from actionplan.management.commands.generate_sample_data import generate_sample_data
from actionplan.models import ActionPlan, Jurisdiction, StepChange, StepUpdate
from actionplan.planfile import export_jurisdiction, import_plan_text

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "banska-bystrica.yaml"

pytestmark = pytest.mark.django_db


def export(slug):
    out = StringIO()
    call_command("export_plan", slug, stdout=out)
    return out.getvalue()


def exported_then_rolled_back(create, slug):
    """The export of data that `create()` writes, leaving the database as it was."""
    with transaction.atomic():
        create()
        text = export(slug)
        transaction.set_rollback(True)
    assert not Jurisdiction.objects.filter(slug=slug).exists()
    return text


def test_fixture_export_import_export_is_byte_identical():
    first = exported_then_rolled_back(
        lambda: import_plan_text(FIXTURE.read_text(encoding="utf-8"), "bb.yaml"), "banska-bystrica"
    )

    import_plan_text(first, "export.yaml")  # into an empty database: every record is created

    assert export("banska-bystrica") == first


def test_reimporting_an_export_changes_nothing():
    import_plan_text(FIXTURE.read_text(encoding="utf-8"), "bb.yaml")
    text = export("banska-bystrica")
    history = (StepChange.objects.count(), StepUpdate.objects.count())

    summary = import_plan_text(text, "export.yaml")

    assert summary.created == summary.updated == summary.removed == 0
    assert (StepChange.objects.count(), StepUpdate.objects.count()) == history


def test_generated_sample_data_export_import_export_is_byte_identical():
    first = exported_then_rolled_back(
        lambda: generate_sample_data(plans=2, steps=15, updates=2, seed=5), "sample-city-5"
    )

    import_plan_text(first, "sample.yaml")

    assert export("sample-city-5") == first


def test_export_is_readable_yaml_in_the_documented_key_order():
    import_plan_text(FIXTURE.read_text(encoding="utf-8"), "bb.yaml")

    text = export("banska-bystrica")

    assert text.startswith("# OGP Local portal plan file")
    assert "name:\n  sk: Mesto Banská Bystrica\n  en: City of Banská Bystrica\n" in text  # UTF-8
    assert "  ogp_member_since: 2020-10-01\n" in text  # dates unquoted
    data = yaml.safe_load(text)
    assert list(data) == [
        "format",
        "jurisdiction",
        "name",
        "institutions",
        "stakeholders",
        "plans",
        "stakeholder_groups",
    ]
    step = data["plans"][1]["steps"][0]
    assert list(step)[:4] == ["code", "title", "priority", "origin"]
    assert list(step["title"]) == ["sk", "en"]
    assert list(step)[list(step).index("source_url") + 1] == "translations"
    # The single-language keys of the old format are gone.
    assert "local_name:" not in text and "local_title:" not in text
    assert "content_language:" not in text


def _texts(record):
    """A record's texts in each language and their provenance, with those of its children."""
    texts = {}
    for key, value in record.items():
        if isinstance(value, list):
            texts[key] = [_texts(child) for child in value if isinstance(child, dict)]
        elif key in ("translations", "narrative") or (
            isinstance(value, dict) and set(value) <= {"sk", "en"}
        ):
            texts[key] = value
    return texts


def test_both_languages_and_their_provenance_survive_import_and_export():
    fixture = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    import_plan_text(FIXTURE.read_text(encoding="utf-8"), "bb.yaml")

    data = yaml.safe_load(export("banska-bystrica"))

    assert data["name"] == fixture["name"]
    # The export lists institutions, stakeholders and groups by slug, and a step's institutions
    # leads first; plans, priorities, steps, milestones and members keep the file's order.
    for section in ("institutions", "stakeholders", "stakeholder_groups"):
        exported = {record["slug"]: _texts(record) for record in data[section]}
        assert exported == {record["slug"]: _texts(record) for record in fixture[section]}
    for plan, exported_plan in zip(fixture["plans"], data["plans"], strict=True):
        for steps in (plan["steps"], exported_plan["steps"]):
            for step in steps:
                step.pop("institutions", None)
        assert _texts(exported_plan) == _texts(plan)
    # Spot checks: both languages, one language only, and the provenance.
    p1 = data["plans"][1]["priorities"][0]
    assert p1["title"]["sk"] == "Pokračovanie inovačného procesu v otvorenom vládnutí"
    assert p1["translations"] == {"title.sk": "team"}
    assert list(data["plans"][0]["narrative"]["foreword"]) == ["en"]
    assert data["plans"][0]["translations"] == {"foreword.en": "team"}


def test_a_machine_translation_and_an_official_text_survive_import_and_export():
    text = (Path(__file__).parent / "data" / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace("          title.en: team\n", "          title.en: machine\n")
    import_plan_text(text, "town.yaml")

    step = yaml.safe_load(export("test-town"))["plans"][0]["steps"][0]

    assert step["title"] == {"sk": "Zverejniť rozpočet", "en": "Publish the budget"}
    assert step["translations"] == {"title.en": "machine"}  # official is not written


def test_plan_slug_exports_its_jurisdiction_with_only_that_plan():
    import_plan_text(FIXTURE.read_text(encoding="utf-8"), "bb.yaml")

    data = yaml.safe_load(export("ap-ov-bb-2021-2022"))

    assert data["jurisdiction"]["slug"] == "banska-bystrica"
    assert [plan["slug"] for plan in data["plans"]] == ["ap-ov-bb-2021-2022"]
    # The endorsers belong to the other plan; the city-wide groups come along.
    assert [group["slug"] for group in data["stakeholder_groups"]] == [
        "colaboratory-board",
        "agents-of-co-existence",
    ]


def test_output_option_writes_the_same_text_to_a_file(tmp_path):
    import_plan_text(FIXTURE.read_text(encoding="utf-8"), "bb.yaml")
    target = tmp_path / "bb.yaml"

    call_command("export_plan", "banska-bystrica", "--output", str(target), stdout=StringIO())

    assert target.read_text(encoding="utf-8") == export("banska-bystrica")


def test_unknown_slug_is_an_error():
    with pytest.raises(CommandError, match="no jurisdiction or plan with the slug 'nowhere'"):
        export("nowhere")


@pytest.mark.parametrize("steps", [5, 200])
def test_export_query_count_does_not_grow_with_the_plan(django_assert_num_queries, steps):
    generate_sample_data(plans=1, steps=steps, updates=0, seed=9)
    city = Jurisdiction.objects.get(slug="sample-city-9")
    # 1 jurisdiction, then one each: institutions, stakeholders, plans, priorities, steps (with
    # priority), backfilled changes, backfilled updates, step institutions (with institution),
    # milestones, periods, groups (with plan). Periods add one for their reports; a city
    # with groups adds one for their members.
    with django_assert_num_queries(12):
        export_jurisdiction(city)
    assert ActionPlan.objects.get(slug="sample-9-1").steps.count() == steps
