"""RenderedPdf now belongs to the publishing app (its migration 0001), which took over the table as
it is; here it only leaves the monitoring app's migration state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RenderedPdf")],
        ),
    ]
