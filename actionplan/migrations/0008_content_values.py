"""Each text moves into the column of its language. Before, a plan's content was kept in one
language (`content_language`), with a title or name in the city's language beside it
(`local_title`, `local_name`, in the jurisdiction's `local_language`); the names of cities,
institutions and groups were in English with the local name beside them. The step updates' notes
were written in the plan's content language. Nothing is lost: migration 0009 drops the old
columns only after this has copied them."""

from django.db import migrations

LANGUAGES = ("sk", "en")


def _other(language):
    return next(code for code in LANGUAGES if code != language)


def _put(obj, field, language, value):
    if value:
        setattr(obj, f"{field}_{language}", value)


def forward(apps, schema_editor):
    get = apps.get_model
    for city in get("actionplan", "Jurisdiction").objects.all():
        _put(city, "name", _other(city.local_language), city.name)
        _put(city, "name", city.local_language, city.local_name)
        city.save()
    for model, field in (("Institution", "name"), ("StakeholderGroup", "name")):
        for obj in get("actionplan", model).objects.select_related("jurisdiction"):
            local = obj.jurisdiction.local_language
            _put(obj, field, _other(local), getattr(obj, field))
            _put(obj, field, local, obj.local_name)
            if model == "StakeholderGroup":
                _put(obj, "description", _other(local), obj.description)
            obj.save()
    for stakeholder in get("actionplan", "Stakeholder").objects.select_related("jurisdiction"):
        language = _other(stakeholder.jurisdiction.local_language)
        _put(stakeholder, "affiliation", language, stakeholder.affiliation)
        _put(stakeholder, "public_role", language, stakeholder.public_role)
        stakeholder.save()
    for membership in get("actionplan", "Membership").objects.select_related("group__jurisdiction"):
        _put(
            membership,
            "role",
            _other(membership.group.jurisdiction.local_language),
            membership.role,
        )
        membership.save()
    plan_model = get("actionplan", "ActionPlan")
    for plan in plan_model.objects.select_related("jurisdiction"):
        content, local = plan.content_language, plan.jurisdiction.local_language
        for field in ("title", *NARRATIVE_FIELDS):
            _put(plan, field, content, getattr(plan, field))
        _put(plan, "title", local, plan.local_title)
        plan.save()
        for priority in get("actionplan", "Priority").objects.filter(plan=plan):
            _put(priority, "title", content, priority.title)
            _put(priority, "description", content, priority.description)
            _put(priority, "title", local, priority.local_title)
            priority.save()
        for step in get("actionplan", "ActionStep").objects.filter(plan=plan):
            for field in ("title", "problem", "description", "expected_result"):
                _put(step, field, content, getattr(step, field))
            _put(step, "title", local, step.local_title)
            step.save(update_fields=_text_columns(step))
        for milestone in get("actionplan", "Milestone").objects.filter(step__plan=plan):
            _put(milestone, "title", content, milestone.title)
            milestone.save(update_fields=["title_sk", "title_en"])
        get("actionplan", "StepUpdate").objects.filter(step__plan=plan).update(language=content)


NARRATIVE_FIELDS = (
    "foreword",
    "vision",
    "achievements",
    "challenges",
    "medium_term_goals",
    "contribution_to_vision",
    "cocreation_spaces",
    "diversity_measures",
    "participants",
)


def _text_columns(step):
    # Only the new text columns: a step's save would otherwise rewrite its tracked columns too
    # (the history triggers record no change for equal values, but say no more than needed).
    fields = ("title", "problem", "description", "expected_result")
    return [f"{field}_{language}" for field in fields for language in LANGUAGES]


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0007_content_in_both_languages")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
