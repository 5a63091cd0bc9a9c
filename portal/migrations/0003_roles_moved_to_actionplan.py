"""Affiliation and PlanRole now belong to the actionplan app (its migration 0005), which took over
their tables as they are; here they only leave the portal's migration state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_role_groups"),
        ("actionplan", "0005_roles_from_portal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Affiliation"),
                migrations.DeleteModel(name="PlanRole"),
            ],
        ),
    ]
