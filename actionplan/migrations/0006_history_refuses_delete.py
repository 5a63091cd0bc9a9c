from django.db import migrations

from actionplan import history_sql


class Migration(migrations.Migration):
    dependencies = [("actionplan", "0005_roles_from_portal")]

    operations = [migrations.RunPython(history_sql.refuse_deletes, history_sql.allow_deletes)]
