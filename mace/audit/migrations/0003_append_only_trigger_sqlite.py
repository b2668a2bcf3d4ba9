"""On SQLite too the database itself refuses to change or delete audit events (issue 16).

Migration 0002 does this on PostgreSQL with a row trigger. What still empties the table
there goes round row triggers: Django's flush (`manage.py flush`, and the test runner's
flush after each transactional and browser test) uses TRUNCATE, and `manage.py restore`
drops and recreates every table (pg_restore --clean).

SQLite has neither TRUNCATE nor a way to tell one connection from another, so:

- UPDATE is refused always.
- DELETE is refused unless `audit_flush_allowed` holds a row. No model maps that table, so
  nothing in the application can write it through the ORM, and Django's flush (which
  empties the tables of models only) leaves it alone. The one writer is MACE's `flush`
  command (mace/maintenance/management/commands/flush.py, which Django's own test flush
  calls by name too): in a single transaction it puts the row in, empties the tables and
  takes the row out, so the row is never seen outside that transaction and never reaches a
  backup.
- `manage.py restore` needs nothing: SQLite's backup API copies the backup's pages whole,
  triggers included, without running any statement on the rows.

Beware: on SQLite, a later migration that alters `audit_auditevent` remakes the table and
so drops these triggers; such a migration must create them again. The test that the
database refuses changes (mace/audit/tests) runs on the fully migrated database and would
fail.
"""

from django.db import migrations

MARKER_TABLE = "audit_flush_allowed"

CREATE = [
    f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (flushing integer NOT NULL)",
    """
    CREATE TRIGGER audit_event_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
    END
    """,
    f"""
    CREATE TRIGGER audit_event_no_delete
    BEFORE DELETE ON audit_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM {MARKER_TABLE})
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
    END
    """,
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    f"DROP TABLE IF EXISTS {MARKER_TABLE}",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
