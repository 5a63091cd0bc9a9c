"""RenderedPdf moves here from the monitoring app, which created its table; the table keeps its
name (monitoring_renderedpdf) and its rows, and its content type follows the model."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="monitoring", target="publishing"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=target, model="renderedpdf").exists():
        ContentType.objects.filter(app_label=source, model="renderedpdf").delete()
    else:
        ContentType.objects.filter(app_label=source, model="renderedpdf").update(app_label=target)


def move_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="publishing", target="monitoring")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("actionplan", "0005_roles_from_portal"),
        ("monitoring", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RenderedPdf",
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
                        ("key", models.CharField(max_length=64, unique=True)),
                        ("kind", models.CharField(max_length=20)),
                        ("object_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("language", models.CharField(max_length=8)),
                        ("as_of", models.DateField(blank=True, null=True)),
                        ("base_url", models.URLField(max_length=300)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("rendering", "Being rendered"),
                                    ("ready", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=20,
                            ),
                        ),
                        ("file", models.FileField(blank=True, upload_to="reports/")),
                        ("requested_at", models.DateTimeField(auto_now_add=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("rendered_at", models.DateTimeField(blank=True, null=True)),
                        ("render_seconds", models.FloatField(blank=True, null=True)),
                        ("error", models.TextField(blank=True)),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="actionplan.actionplan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "monitoring_renderedpdf",
                        "verbose_name": "rendered PDF",
                        "verbose_name_plural": "rendered PDFs",
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_back),
    ]
