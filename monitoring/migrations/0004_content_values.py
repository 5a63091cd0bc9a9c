"""The monitoring body's texts move into the column of their language: the plan's content
language, and the city's language for the body's `local_name` (dropped by 0005 once copied)."""

from django.db import migrations

OGP_VALUES = (
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
)
LEARNING_SECTIONS = ("what_worked", "what_did_not_work", "lessons", "recommendations")


def _copy(obj, fields, language):
    for field in fields:
        value = getattr(obj, field)
        if value:
            setattr(obj, f"{field}_{language}", value)
    obj.save()


def forward(apps, schema_editor):
    get = apps.get_model
    for body in get("monitoring", "MonitoringBody").objects.select_related("plan__jurisdiction"):
        _copy(body, ("name", "description"), body.plan.content_language)
        if body.local_name:
            setattr(body, f"name_{body.plan.jurisdiction.local_language}", body.local_name)
            body.save()
    explanations = [f"relevance_{value}_explanation" for value in OGP_VALUES]
    for assessment in get("monitoring", "Assessment").objects.select_related("step__plan"):
        _copy(assessment, ("narrative", *explanations), assessment.step.plan.content_language)
    for report in get("monitoring", "MonitoringReport").objects.select_related("plan"):
        language = report.plan.content_language
        _copy(report, ("title", "summary", *LEARNING_SECTIONS), language)
        for answer in get("monitoring", "ChecklistAnswer").objects.filter(report=report):
            _copy(answer, ("explanation",), language)
        for result in get("monitoring", "CommitmentResult").objects.filter(report=report):
            _copy(result, ("explanation",), language)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_content_in_both_languages"),
        ("actionplan", "0008_content_values"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
