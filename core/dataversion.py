"""The data version: a counter that every write to the page-relevant tables moves on.

Triggers rather than signals: QuerySet.update(), raw SQL, the history triggers and data
migrations send no signals, and each of them changes what a public page shows. The counter row
is updated inside the writing transaction, so a reader sees the new version exactly when it can
see the new data (a rolled-back write leaves both as they were).

Which tables: every model of the apps in settings.DATA_VERSION_APPS, and the models named in
settings.DATA_VERSION_MODELS ("app_label.Model"), minus settings.DATA_VERSION_IGNORED (caches and
queues whose rows pages do not show). The triggers are (re)installed after every migrate, so a
table added by a later migration is covered without one of its own.
"""

from django.apps import apps
from django.conf import settings
from django.db import connections

from core.models import DataVersion

TABLE = "core_dataversion"
TRIGGER_PREFIX = "core_dv_"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION core_bump_data_version() RETURNS trigger AS $$
BEGIN
    INSERT INTO {TABLE} (id, version, changed_at) VALUES (1, 1, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1, changed_at = clock_timestamp();
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""

_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
SQLITE_BUMP = (
    f"INSERT INTO {TABLE} (id, version, changed_at) VALUES (1, 1, {_SQLITE_NOW}) "
    f"ON CONFLICT (id) DO UPDATE SET version = version + 1, changed_at = {_SQLITE_NOW};"
)


def tracked_tables():
    """The tables whose writes move the data version, sorted."""
    ignored = {label.lower() for label in getattr(settings, "DATA_VERSION_IGNORED", ())}
    models = []
    for label in settings.DATA_VERSION_APPS:
        models += apps.get_app_config(label).get_models(include_auto_created=True)
    models += [apps.get_model(name) for name in getattr(settings, "DATA_VERSION_MODELS", ())]
    tables = set()
    for model in models:
        if model._meta.label_lower in ignored or not model._meta.managed:
            continue
        tables.add(model._meta.db_table)
        # The many-to-many tables of models elsewhere (a user's groups) belong to them too.
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    tables.discard(TABLE)
    return sorted(tables)


def install(using="default", **kwargs):
    """Create or replace the triggers on every tracked table (post_migrate handler)."""
    conn = connections[using]
    existing = set(conn.introspection.table_names())
    tables = [table for table in tracked_tables() if table in existing]
    if TABLE not in existing:
        return  # core's own migration has not run yet
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
            for table in tables:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}{table} AFTER INSERT OR UPDATE "
                    f'OR DELETE OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
                    "EXECUTE FUNCTION core_bump_data_version()"
                )
        elif conn.vendor == "sqlite":
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = f"{TRIGGER_PREFIX}{table}_{event.lower()}"
                    cursor.execute(
                        f'CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON "{table}" '
                        f"BEGIN {SQLITE_BUMP} END"
                    )
        else:
            raise NotImplementedError(f"data version triggers are not written for {conn.vendor}")


def current():
    """(version, changed_at) as committed now; (0, None) before the first write."""
    row = DataVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    return row or (0, None)
