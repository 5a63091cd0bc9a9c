"""Database triggers that keep the step history (see StepChange). One set per supported vendor.

Triggers rather than signals or a service function: QuerySet.update(), raw SQL in data migrations
and any future code path all reach the table, and only the database sees every one of them.
"""

POSTGRESQL = """
CREATE OR REPLACE FUNCTION actionplan_step_created() RETURNS trigger AS $$
BEGIN
    INSERT INTO actionplan_stepchange (step_id, version, changed_at, field, old_value, new_value)
    VALUES (NEW.id, NEW.version, clock_timestamp(), 'created', NULL, NULL),
           (NEW.id, NEW.version, clock_timestamp(), 'status', NULL, NEW.status),
           (NEW.id, NEW.version, clock_timestamp(), 'progress', NULL, NEW.progress::text),
           (NEW.id, NEW.version, clock_timestamp(), 'start_date', NULL, NEW.start_date::text),
           (NEW.id, NEW.version, clock_timestamp(), 'end_date', NULL, NEW.end_date::text);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION actionplan_step_changed() RETURNS trigger AS $$
BEGIN
    IF (NEW.status, NEW.progress, NEW.start_date, NEW.end_date)
       IS DISTINCT FROM (OLD.status, OLD.progress, OLD.start_date, OLD.end_date) THEN
        NEW.version := OLD.version + 1;
        INSERT INTO actionplan_stepchange
            (step_id, version, changed_at, field, old_value, new_value)
        SELECT NEW.id, NEW.version, clock_timestamp(), c.f, c.o, c.n
        FROM (VALUES ('status', OLD.status, NEW.status),
                     ('progress', OLD.progress::text, NEW.progress::text),
                     ('start_date', OLD.start_date::text, NEW.start_date::text),
                     ('end_date', OLD.end_date::text, NEW.end_date::text)) AS c(f, o, n)
        WHERE c.o IS DISTINCT FROM c.n;
    ELSIF NEW.version < OLD.version THEN
        -- a save() from a stale instance must not move the version backwards
        NEW.version := OLD.version;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION actionplan_milestone_changed() RETURNS trigger AS $$
DECLARE new_version integer;
BEGIN
    IF NEW.completed_on IS DISTINCT FROM OLD.completed_on THEN
        UPDATE actionplan_actionstep SET version = version + 1 WHERE id = NEW.step_id
        RETURNING version INTO new_version;
        INSERT INTO actionplan_stepchange
            (step_id, version, changed_at, field, milestone_id, old_value, new_value)
        VALUES (NEW.step_id, new_version, clock_timestamp(), 'milestone', NEW.id,
                OLD.completed_on::text, NEW.completed_on::text);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION actionplan_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'step history is append-only';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER actionplan_step_created AFTER INSERT ON actionplan_actionstep
    FOR EACH ROW EXECUTE FUNCTION actionplan_step_created();
CREATE TRIGGER actionplan_step_changed BEFORE UPDATE ON actionplan_actionstep
    FOR EACH ROW EXECUTE FUNCTION actionplan_step_changed();
CREATE TRIGGER actionplan_milestone_changed AFTER UPDATE ON actionplan_milestone
    FOR EACH ROW EXECUTE FUNCTION actionplan_milestone_changed();
CREATE TRIGGER actionplan_history_append_only BEFORE UPDATE ON actionplan_stepchange
    FOR EACH ROW EXECUTE FUNCTION actionplan_history_is_append_only();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS actionplan_step_created ON actionplan_actionstep;
DROP TRIGGER IF EXISTS actionplan_step_changed ON actionplan_actionstep;
DROP TRIGGER IF EXISTS actionplan_milestone_changed ON actionplan_milestone;
DROP TRIGGER IF EXISTS actionplan_history_append_only ON actionplan_stepchange;
DROP FUNCTION IF EXISTS actionplan_step_created();
DROP FUNCTION IF EXISTS actionplan_step_changed();
DROP FUNCTION IF EXISTS actionplan_milestone_changed();
DROP FUNCTION IF EXISTS actionplan_history_is_append_only();
"""

# SQLite stores Django datetimes as UTC text; %f gives seconds with milliseconds.
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

SQLITE = [
    f"""
CREATE TRIGGER actionplan_step_created AFTER INSERT ON actionplan_actionstep
BEGIN
    INSERT INTO actionplan_stepchange (step_id, version, changed_at, field, old_value, new_value)
    VALUES (NEW.id, NEW.version, {_NOW}, 'created', NULL, NULL),
           (NEW.id, NEW.version, {_NOW}, 'status', NULL, NEW.status),
           (NEW.id, NEW.version, {_NOW}, 'progress', NULL, CAST(NEW.progress AS TEXT)),
           (NEW.id, NEW.version, {_NOW}, 'start_date', NULL, NEW.start_date),
           (NEW.id, NEW.version, {_NOW}, 'end_date', NULL, NEW.end_date);
END""",
    f"""
CREATE TRIGGER actionplan_step_changed AFTER UPDATE ON actionplan_actionstep
WHEN OLD.status IS NOT NEW.status OR OLD.progress IS NOT NEW.progress
  OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date
BEGIN
    UPDATE actionplan_actionstep SET version = OLD.version + 1 WHERE id = NEW.id;
    INSERT INTO actionplan_stepchange (step_id, version, changed_at, field, old_value, new_value)
    SELECT NEW.id, OLD.version + 1, {_NOW}, f, o, n FROM (
        SELECT 'status' AS f, OLD.status AS o, NEW.status AS n
        UNION ALL SELECT 'progress', CAST(OLD.progress AS TEXT), CAST(NEW.progress AS TEXT)
        UNION ALL SELECT 'start_date', OLD.start_date, NEW.start_date
        UNION ALL SELECT 'end_date', OLD.end_date, NEW.end_date
    ) WHERE o IS NOT n;
END""",
    f"""
CREATE TRIGGER actionplan_milestone_changed AFTER UPDATE ON actionplan_milestone
WHEN OLD.completed_on IS NOT NEW.completed_on
BEGIN
    UPDATE actionplan_actionstep SET version = version + 1 WHERE id = NEW.step_id;
    INSERT INTO actionplan_stepchange
        (step_id, version, changed_at, field, milestone_id, old_value, new_value)
    VALUES (NEW.step_id, (SELECT version FROM actionplan_actionstep WHERE id = NEW.step_id),
            {_NOW}, 'milestone', NEW.id, OLD.completed_on, NEW.completed_on);
END""",
    """
CREATE TRIGGER actionplan_step_version_kept AFTER UPDATE ON actionplan_actionstep
WHEN NEW.version < OLD.version
  AND OLD.status IS NEW.status AND OLD.progress IS NEW.progress
  AND OLD.start_date IS NEW.start_date AND OLD.end_date IS NEW.end_date
BEGIN
    -- a save() from a stale instance must not move the version backwards
    UPDATE actionplan_actionstep SET version = OLD.version WHERE id = NEW.id;
END""",
    """
CREATE TRIGGER actionplan_history_append_only BEFORE UPDATE ON actionplan_stepchange
BEGIN
    SELECT RAISE(ABORT, 'step history is append-only');
END""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS actionplan_step_created",
    "DROP TRIGGER IF EXISTS actionplan_step_changed",
    "DROP TRIGGER IF EXISTS actionplan_milestone_changed",
    "DROP TRIGGER IF EXISTS actionplan_step_version_kept",
    "DROP TRIGGER IF EXISTS actionplan_history_append_only",
]


def _run(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"step history triggers are not written for {vendor}")


def install(apps, schema_editor):
    _run(schema_editor, POSTGRESQL, SQLITE)


def uninstall(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_REVERSE, SQLITE_REVERSE)


# --- Deleting history ---------------------------------------------------------------------------
# The history is refused DELETE and TRUNCATE too (migration 0006), both the changes and the
# updates that say who made them and why. The one exception is a deliberate purge of the whole
# database (`manage.py flush`, which the test runner also uses): it runs inside
# actionplan.history.purging_history(), which the triggers ask through a session setting
# (PostgreSQL) or a function the portal registers on each connection (SQLite).

HISTORY_TABLES = ("actionplan_stepchange", "actionplan_stepupdate")
PURGE_SETTING = "portal.history_purge"
PURGE_FUNCTION = "portal_history_purge"

POSTGRESQL_NO_DELETE = f"""
CREATE OR REPLACE FUNCTION actionplan_history_kept() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('{PURGE_SETTING}', true), '') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
    END IF;
    -- A message built by concatenation: a placeholder would be taken by the database driver.
    RAISE EXCEPTION USING MESSAGE =
        'the step history keeps every row: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' is refused';
END $$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION actionplan_history_kept();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION actionplan_history_kept();
"""
    for table in HISTORY_TABLES
)

POSTGRESQL_NO_DELETE_REVERSE = (
    "".join(
        f"""
DROP TRIGGER IF EXISTS {table}_no_delete ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""
        for table in HISTORY_TABLES
    )
    + "DROP FUNCTION IF EXISTS actionplan_history_kept();"
)

SQLITE_NO_DELETE = [
    f"""
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
WHEN NOT {PURGE_FUNCTION}()
BEGIN
    SELECT RAISE(ABORT, 'the step history keeps every row: DELETE on {table} is refused');
END"""
    for table in HISTORY_TABLES
]

SQLITE_NO_DELETE_REVERSE = [f"DROP TRIGGER IF EXISTS {table}_no_delete" for table in HISTORY_TABLES]


def refuse_deletes(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_NO_DELETE, SQLITE_NO_DELETE)


def allow_deletes(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_NO_DELETE_REVERSE, SQLITE_NO_DELETE_REVERSE)


# --- Changing the tables' columns on SQLite ------------------------------------------------------
# SQLite changes a table's columns by building a new table and renaming it into place. The rename
# fails while a trigger of another table names the table being rebuilt (the milestone trigger
# names the step table), and the rebuilt table has lost its own triggers. A migration that adds or
# removes columns of these tables therefore starts with suspend() and ends with resume(); on
# PostgreSQL, which alters tables in place, both do nothing.


def suspend(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        uninstall(apps, schema_editor)
        allow_deletes(apps, schema_editor)
        uninstall_accountability(apps, schema_editor)


def resume(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        install(apps, schema_editor)
        refuse_deletes(apps, schema_editor)
        # The triggers of migration 0011, once its tables and columns exist.
        if "actionplan_periodreport" in schema_editor.connection.introspection.table_names():
            install_accountability(apps, schema_editor)


SUSPEND = (suspend, resume)


# --- Baselines, backfilled history and period reports (migration 0011) ------------------------
# A step's baseline dates are the dates it was created with, whatever path created it (a bulk
# import writes no save()). Past updates brought in by an import with their real dates are marked
# `backfilled`; only the importer, inside actionplan.backfill.backfilling(), may insert such a row,
# so everything entered afterwards stays append-only history of the portal's own. Period reports
# are only ever added to (a correction is a new row).

BACKFILL_SETTING = "portal.history_backfill"
BACKFILL_FUNCTION = "portal_history_backfill"
BACKFILL_TABLES = ("actionplan_stepchange", "actionplan_stepupdate")

POSTGRESQL_ACCOUNTABILITY = (
    f"""
CREATE OR REPLACE FUNCTION actionplan_step_baseline() RETURNS trigger AS $$
BEGIN
    NEW.baseline_start_date := coalesce(NEW.baseline_start_date, NEW.start_date);
    NEW.baseline_end_date := coalesce(NEW.baseline_end_date, NEW.end_date);
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER actionplan_step_baseline BEFORE INSERT ON actionplan_actionstep
    FOR EACH ROW EXECUTE FUNCTION actionplan_step_baseline();

CREATE OR REPLACE FUNCTION actionplan_backfill_checked() RETURNS trigger AS $$
BEGIN
    IF NEW.backfilled AND coalesce(current_setting('{BACKFILL_SETTING}', true), '') <> 'on' THEN
        RAISE EXCEPTION USING MESSAGE =
            'backfilled history is written only by the importer: INSERT on ' || TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""
    + "".join(
        f"""
CREATE TRIGGER {table}_backfill BEFORE INSERT ON {table}
    FOR EACH ROW EXECUTE FUNCTION actionplan_backfill_checked();
"""
        for table in BACKFILL_TABLES
    )
    + """
CREATE TRIGGER actionplan_periodreport_append_only BEFORE UPDATE ON actionplan_periodreport
    FOR EACH ROW EXECUTE FUNCTION actionplan_history_is_append_only();
"""
)

POSTGRESQL_ACCOUNTABILITY_REVERSE = (
    "DROP TRIGGER IF EXISTS actionplan_step_baseline ON actionplan_actionstep;"
    "DROP FUNCTION IF EXISTS actionplan_step_baseline();"
    + "".join(f"DROP TRIGGER IF EXISTS {table}_backfill ON {table};" for table in BACKFILL_TABLES)
    + "DROP FUNCTION IF EXISTS actionplan_backfill_checked();"
    "DROP TRIGGER IF EXISTS actionplan_periodreport_append_only ON actionplan_periodreport;"
)

SQLITE_ACCOUNTABILITY = [
    """
CREATE TRIGGER IF NOT EXISTS actionplan_step_baseline AFTER INSERT ON actionplan_actionstep
WHEN NEW.baseline_start_date IS NULL OR NEW.baseline_end_date IS NULL
BEGIN
    UPDATE actionplan_actionstep
    SET baseline_start_date = coalesce(baseline_start_date, start_date),
        baseline_end_date = coalesce(baseline_end_date, end_date)
    WHERE id = NEW.id;
END""",
    *(
        f"""
CREATE TRIGGER IF NOT EXISTS {table}_backfill BEFORE INSERT ON {table}
WHEN NEW.backfilled AND NOT {BACKFILL_FUNCTION}()
BEGIN
    SELECT RAISE(ABORT, 'backfilled history is written only by the importer: INSERT on {table}');
END"""
        for table in BACKFILL_TABLES
    ),
    """
CREATE TRIGGER IF NOT EXISTS actionplan_periodreport_append_only
BEFORE UPDATE ON actionplan_periodreport
BEGIN
    SELECT RAISE(ABORT, 'period reports are append-only: file a correction instead');
END""",
]

SQLITE_ACCOUNTABILITY_REVERSE = [
    "DROP TRIGGER IF EXISTS actionplan_step_baseline",
    *(f"DROP TRIGGER IF EXISTS {table}_backfill" for table in BACKFILL_TABLES),
    "DROP TRIGGER IF EXISTS actionplan_periodreport_append_only",
]


def install_accountability(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_ACCOUNTABILITY, SQLITE_ACCOUNTABILITY)


def uninstall_accountability(apps, schema_editor):
    _run(schema_editor, POSTGRESQL_ACCOUNTABILITY_REVERSE, SQLITE_ACCOUNTABILITY_REVERSE)
