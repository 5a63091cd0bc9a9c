"""Affiliation and PlanRole move from the portal app to this one, so that no app imports the
portal. The tables stay where they are (portal_affiliation, portal_planrole): only Django's idea
of which app owns them changes, and their content types follow so that permissions granted on
them in the admin still apply."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("affiliation", "planrole")


def move_content_types(apps, schema_editor, source="portal", target="actionplan"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).delete()
        else:
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="actionplan", target="portal")


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0004_step_status_not_reported"),
        ("portal", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Affiliation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "institution",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="affiliations",
                                to="actionplan.institution",
                                verbose_name="institution",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="affiliations",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="person",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portal_affiliation",
                        "verbose_name": "affiliation",
                        "verbose_name_plural": "affiliations",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "institution"), name="affiliation_once"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PlanRole",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("coordinator", "Coordinator"),
                                    ("board", "CoLaboratory Board member"),
                                    ("monitor", "Monitor"),
                                ],
                                max_length=20,
                                verbose_name="role",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="people",
                                to="actionplan.actionplan",
                                verbose_name="plan",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="plan_roles",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="person",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portal_planrole",
                        "verbose_name": "role in a plan",
                        "verbose_name_plural": "roles in plans",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "plan", "role"), name="plan_role_once"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_back),
    ]
