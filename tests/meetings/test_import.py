"""import_meetings: the demo file loads, a second run changes nothing, errors are located and
nothing is written when any record is wrong, nor on a dry run."""

import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from actionplan.planfile import import_plan_file
from core.importing import ImportFileError
from meetings.importer import import_meetings_text
from meetings.models import Meeting, MeetingRevision

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def city(db):
    import_plan_file(FIXTURES / "banska-bystrica.yaml")


def test_demo_meetings_import_and_a_second_run_changes_nothing(city, capsys):
    call_command("import_meetings", str(FIXTURES / "banska-bystrica-meetings.yaml"))
    assert "15 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    versions = dict(Meeting.objects.values_list("slug", "version"))
    call_command("import_meetings", str(FIXTURES / "banska-bystrica-meetings.yaml"))
    assert "0 created, 0 updated, 15 unchanged" in capsys.readouterr().out
    assert Meeting.objects.count() == 15
    assert dict(Meeting.objects.values_list("slug", "version")) == versions
    assert MeetingRevision.objects.filter(source="import").count() == 15


def test_demo_data_keeps_to_the_stated_facts(city):
    import_meetings_text((FIXTURES / "banska-bystrica-meetings.yaml").read_text(encoding="utf-8"))
    counts = {m.slug: [p.count for p in m.participation.all()] for m in Meeting.objects.all()}
    assert counts["2021-12-03-capacity-building-part-1"] == [20]
    assert counts["2021-12-15-capacity-building-part-2"] == [13]
    assert counts["2023-human-forum-workshop"] == [15]
    timed = Meeting.objects.get(slug="2021-12-13-integrated-territorial-strategy")
    assert timed.start_time.isoformat() == "16:30:00"
    assert Meeting.objects.exclude(start_time=None).count() == 1  # the only stated time
    assert Meeting.objects.get(slug="2024-09-working-with-polarisation-1").date_precision == "month"


def _meetings_file(body):
    return "format: ogp-portal-meetings/1\nmeetings:\n" + textwrap.indent(
        textwrap.dedent(body), "  "
    )


VALID = """\
- plan: ap-og-24-26
  slug: 2025-01-10-check-in
  title:
    sk: Kontrolné stretnutie
    en: Check-in
  kind: check_in
  date: 2025-01-10
"""


def test_a_changed_record_updates_the_meeting_and_the_history_says_so(city):
    import_meetings_text(_meetings_file(VALID))
    changed = VALID.replace("en: Check-in", "en: Review")
    summary = import_meetings_text(_meetings_file(changed))
    assert (summary.created, summary.updated) == (0, 1)
    meeting = Meeting.objects.get(slug="2025-01-10-check-in")
    assert (meeting.title_en, meeting.title_sk, meeting.version) == (
        "Review",
        "Kontrolné stretnutie",
        2,
    )
    assert meeting.revisions.get(version=2).changes == [["title_en", "Check-in", "Review"]]


def test_every_problem_is_reported_with_its_line_and_nothing_is_written(city):
    text = _meetings_file(
        VALID
        + """\
- plan: no-such-plan
  slug: x
  title: {en: X}
  kind: workshop
  date: 2025-01-01
- plan: ap-og-24-26
  slug: 2025-02-bad
  title: {en: Bad}
  kind: picnic
  date: 2025-13
  start_time: 16:30
  steps: [NO-SUCH-STEP]
  agenda:
    - title: Item
      step: NOPE
  colour: red
- plan: ap-og-24-26
  slug: 2025-01-10-check-in
  title: {en: Twice}
  kind: other
  date: 2025-01-10
"""
    )
    with pytest.raises(ImportFileError) as raised:
        import_meetings_text(text, source="meetings.yaml")
    lines = raised.value.lines()
    expected = [
        "meetings.yaml:10: meetings[1] (x).plan: no plan with this slug",
        "meetings.yaml:19: meetings[2] (2025-02-bad).date: expected a day",
        "meetings.yaml:20: meetings[2] (2025-02-bad).start_time: expected a time in quotes",
        "meetings.yaml:21: meetings[2] (2025-02-bad).steps: no step 'NO-SUCH-STEP' in this plan",
        "meetings.yaml:24: meetings[2] (2025-02-bad).agenda[0].step: no step 'NOPE' in this plan",
        "meetings.yaml:25: meetings[2] (2025-02-bad).colour: unknown key",
        "meetings.yaml:27: meetings[3] (2025-01-10-check-in).slug: given twice (first on line 4)",
        "meetings.yaml:23: meetings[2] (2025-02-bad).agenda[0].title: expected a mapping",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    kind = "meetings.yaml:18: meetings[2] (2025-02-bad).kind"
    assert any(line.startswith(kind) and "picnic" in line for line in lines)
    assert not Meeting.objects.exists()


def test_the_command_reports_problems_on_stderr_and_fails(city, tmp_path, capsys):
    path = tmp_path / "meetings.yaml"
    path.write_text(_meetings_file(VALID.replace("date: 2025-01-10", "date: soon")))
    with pytest.raises(CommandError, match="1 problem found; nothing was imported"):
        call_command("import_meetings", str(path))
    assert "date: expected a day" in capsys.readouterr().err
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_meetings", str(tmp_path / "missing.yaml"))


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("meetings").get_models()
    }


def test_dry_run_reports_the_counts_and_writes_nothing(city):
    before = row_counts()
    out = StringIO()

    call_command(
        "import_meetings", str(FIXTURES / "banska-bystrica-meetings.yaml"), "--dry-run", stdout=out
    )

    assert "would import 15 created, 0 updated, 0 unchanged" in out.getvalue()
    assert row_counts() == before


def test_a_bad_value_and_an_unknown_key_are_reported_with_their_lines(city):
    text = _meetings_file(
        VALID
        + "  agenda:\n    - title: {en: Welcome}\n      duration_minutes: short\n  organizer: x\n"
    )

    with pytest.raises(ImportFileError) as raised:
        import_meetings_text(text, source="meetings.yaml")

    assert raised.value.lines() == [
        "meetings.yaml:12: meetings[0] (2025-01-10-check-in).agenda[0].duration_minutes: "
        "expected a whole number, got the text 'short'",
        "meetings.yaml:13: meetings[0] (2025-01-10-check-in).organizer: unknown key; "
        "did you mean 'organiser'?",
    ]
    assert sum(row_counts().values()) == 0


def test_a_part_list_left_out_of_the_file_leaves_the_stored_parts_alone(city):
    agenda = "  agenda:\n    - title:\n        en: Welcome\n"
    import_meetings_text(_meetings_file(VALID + agenda))

    summary = import_meetings_text(_meetings_file(VALID))
    assert summary.unchanged == 1
    titles = Meeting.objects.get().agenda_items.values_list("title_en", flat=True)
    assert list(titles) == ["Welcome"]

    summary = import_meetings_text(_meetings_file(VALID + "  agenda: []\n"))
    assert summary.updated == 1 and not Meeting.objects.get().agenda_items.exists()


def test_texts_in_both_languages_and_their_provenance_are_stored(city):
    text = VALID.replace(
        "  kind: check_in\n",
        "  kind: check_in\n  place:\n    en: Town hall\n"
        "  translations:\n    title.sk: team\n    place.en: machine\n",
    )

    import_meetings_text(_meetings_file(text))

    meeting = Meeting.objects.get()
    assert (meeting.title_sk, meeting.title_en) == ("Kontrolné stretnutie", "Check-in")
    assert (meeting.place_sk, meeting.place_en) == ("", "Town hall")
    assert meeting.provenance == {"title_sk": "team", "place_en": "machine"}
    # The same file again changes nothing.
    assert import_meetings_text(_meetings_file(text)).unchanged == 1


def test_the_demo_file_gives_both_languages_and_marks_our_texts(city):
    import_meetings_text((FIXTURES / "banska-bystrica-meetings.yaml").read_text(encoding="utf-8"))
    part_1 = Meeting.objects.get(slug="2021-12-03-capacity-building-part-1")
    assert part_1.title_sk.startswith("Budovanie kapacít pre otvorené vládnutie – 1. časť")
    # The Slovak title is the city's own; the English and both descriptions are ours.
    assert part_1.provenance == {
        "title_en": "team",
        "description_en": "team",
        "description_sk": "team",
    }
    # Five meetings of the 2021–22 plan are English only on purpose.
    untranslated = Meeting.objects.filter(plan__slug="ap-ov-bb-2021-2022", title_sk="")
    assert untranslated.count() == 5


@pytest.mark.parametrize(
    ("title", "message"),
    [
        (
            "  title: Check-in\n",
            "meetings.yaml:5: meetings[0] (2025-01-10-check-in).title: expected a mapping "
            "(key: value lines) of languages (sk:, en:), got the text 'Check-in'",
        ),
        (
            "  title:\n    sk: Kontrolné stretnutie\n    de: Check-in\n",
            "meetings.yaml:5: meetings[0] (2025-01-10-check-in).title: unknown language 'de'",
        ),
        (
            "  title:\n    en: Check-in\n  translations:\n    title.en: ours\n",
            "meetings.yaml:7: meetings[0] (2025-01-10-check-in).translations: title.en: expected "
            "one of official, team, machine, got the text 'ours'",
        ),
    ],
    ids=["plain-text", "unknown-language", "bad-provenance"],
)
def test_a_text_that_is_not_a_mapping_of_languages_is_refused_at_its_line(city, title, message):
    text = VALID.replace("  title:\n    sk: Kontrolné stretnutie\n    en: Check-in\n", title)

    with pytest.raises(ImportFileError) as raised:
        import_meetings_text(_meetings_file(text), source="meetings.yaml")

    assert message in raised.value.lines()
    assert not Meeting.objects.exists()
