"""PostgreSQL's unaccent extension, for searching without accents (core.search). SQLite gets the
same function from the portal on each connection."""

from django.db import migrations


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
