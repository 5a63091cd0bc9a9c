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
  title: Check-in
  kind: check_in
  date: 2025-01-10
"""


def test_a_changed_record_updates_the_meeting_and_the_history_says_so(city):
    import_meetings_text(_meetings_file(VALID))
    changed = VALID.replace("title: Check-in", "title: Review")
    summary = import_meetings_text(_meetings_file(changed))
    assert (summary.created, summary.updated) == (0, 1)
    meeting = Meeting.objects.get(slug="2025-01-10-check-in")
    assert meeting.title == "Review" and meeting.version == 2
    assert meeting.revisions.get(version=2).changes == [["title", "Check-in", "Review"]]


def test_every_problem_is_reported_with_its_line_and_nothing_is_written(city):
    text = _meetings_file(
        VALID
        + """\
- plan: no-such-plan
  slug: x
  title: X
  kind: workshop
  date: 2025-01-01
- plan: ap-og-24-26
  slug: 2025-02-bad
  title: Bad
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
  title: Twice
  kind: other
  date: 2025-01-10
"""
    )
    with pytest.raises(ImportFileError) as raised:
        import_meetings_text(text, source="meetings.yaml")
    lines = raised.value.lines()
    expected = [
        "meetings.yaml:8: meetings[1] (x).plan: no plan with this slug",
        "meetings.yaml:17: meetings[2] (2025-02-bad).date: expected a day",
        "meetings.yaml:18: meetings[2] (2025-02-bad).start_time: expected a time in quotes",
        "meetings.yaml:19: meetings[2] (2025-02-bad).steps: no step 'NO-SUCH-STEP' in this plan",
        "meetings.yaml:22: meetings[2] (2025-02-bad).agenda[0].step: no step 'NOPE' in this plan",
        "meetings.yaml:23: meetings[2] (2025-02-bad).colour: unknown key",
        "meetings.yaml:25: meetings[3] (2025-01-10-check-in).slug: given twice (first on line 4)",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)
    kind = "meetings.yaml:16: meetings[2] (2025-02-bad).kind"
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
        VALID + "  agenda:\n    - title: Welcome\n      duration_minutes: short\n  organizer: x\n"
    )

    with pytest.raises(ImportFileError) as raised:
        import_meetings_text(text, source="meetings.yaml")

    assert raised.value.lines() == [
        "meetings.yaml:10: meetings[0] (2025-01-10-check-in).agenda[0].duration_minutes: "
        "expected a whole number, got the text 'short'",
        "meetings.yaml:11: meetings[0] (2025-01-10-check-in).organizer: unknown key; "
        "did you mean 'organiser'?",
    ]
    assert sum(row_counts().values()) == 0


def test_a_part_list_left_out_of_the_file_leaves_the_stored_parts_alone(city):
    agenda = "  agenda:\n    - title: Welcome\n"
    import_meetings_text(_meetings_file(VALID + agenda))

    summary = import_meetings_text(_meetings_file(VALID))
    assert summary.unchanged == 1
    assert list(Meeting.objects.get().agenda_items.values_list("title", flat=True)) == ["Welcome"]

    summary = import_meetings_text(_meetings_file(VALID + "  agenda: []\n"))
    assert summary.updated == 1 and not Meeting.objects.get().agenda_items.exists()
