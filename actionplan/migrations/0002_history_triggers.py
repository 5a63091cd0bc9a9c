from django.db import migrations

from actionplan import history_sql


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0001_initial")]

    operations = [migrations.RunPython(history_sql.install, history_sql.uninstall)]
