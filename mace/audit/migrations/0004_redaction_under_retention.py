"""The one change the audit trail allows (issue 20 point 1, docs/retention.md): when a child's
records are purged under a retention rule, the values recorded about the child are redacted.

Only `audit.services.audit_redact_children` does it, inside the purge's transaction, and only
this: `before` and `after` become NULL and `reason` becomes empty; every other column (when,
who, what action, which record type and opaque id, which child's opaque id, the summary) must
stay as it was. Anything else is still refused, and so is every DELETE:

- PostgreSQL: the trigger function of migration 0002 lets such an UPDATE through only while
  the transaction-local setting `mace.audit_redaction` is 'on' (`set_config(..., true)`,
  which ends with the transaction; the service turns it off again at once).
- SQLite: the UPDATE trigger of migration 0003 lets it through only while the table
  `audit_redaction_allowed` holds a row, which the service puts in and takes out in the
  same transaction (as MACE's flush does with `audit_flush_allowed`). No model maps it.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND coalesce(current_setting('mace.audit_redaction', true), '') = 'on'
        AND NEW.before IS NULL AND NEW.after IS NULL AND NEW.reason = ''
        AND NEW.id = OLD.id AND NEW.at = OLD.at
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.actor_username = OLD.actor_username
        AND NEW.action = OLD.action
        AND NEW.object_type = OLD.object_type
        AND NEW.object_id = OLD.object_id
        AND NEW.child_id IS NOT DISTINCT FROM OLD.child_id
        AND NEW.summary = OLD.summary
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PG_FUNCTION_BEFORE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

MARKER_TABLE = "audit_redaction_allowed"

SQLITE_CREATE = [
    f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (redacting integer NOT NULL)",
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    f"""
    CREATE TRIGGER audit_event_no_update
    BEFORE UPDATE ON audit_auditevent
    WHEN NOT (
        EXISTS (SELECT 1 FROM {MARKER_TABLE})
        AND NEW.before IS NULL AND NEW.after IS NULL AND NEW.reason = ''
        AND NEW.id = OLD.id AND NEW.at = OLD.at
        AND NEW.actor_id IS OLD.actor_id
        AND NEW.actor_username = OLD.actor_username
        AND NEW.action = OLD.action
        AND NEW.object_type = OLD.object_type
        AND NEW.object_id = OLD.object_id
        AND NEW.child_id IS OLD.child_id
        AND NEW.summary = OLD.summary
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
    END
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    """
    CREATE TRIGGER audit_event_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
    END
    """,
    f"DROP TABLE IF EXISTS {MARKER_TABLE}",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_BEFORE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger_sqlite")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
