"""Each text of a meeting moves into the column of its language: the plan's content language,
and the city's language for `local_title` (dropped by 0004 once copied). Annotations record the
language they were written in: the plan's content language for those written before."""

from django.db import migrations


def _put(obj, field, language, value):
    if value:
        setattr(obj, f"{field}_{language}", value)


def forward(apps, schema_editor):
    get = apps.get_model
    for meeting in get("meetings", "Meeting").objects.select_related("plan__jurisdiction"):
        content, local = meeting.plan.content_language, meeting.plan.jurisdiction.local_language
        for field in ("title", "description", "outcomes", "date_note", "place"):
            _put(meeting, field, content, getattr(meeting, field))
        _put(meeting, "title", local, meeting.local_title)
        meeting.save()
        for model, field in (
            ("AgendaItem", "title"),
            ("Participation", "description"),
            ("MeetingDocument", "title"),
        ):
            for part in get("meetings", model).objects.filter(meeting=meeting):
                _put(part, field, content, getattr(part, field))
                part.save()
        get("meetings", "Annotation").objects.filter(meeting=meeting).update(language=content)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_content_in_both_languages"),
        ("actionplan", "0008_content_values"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
