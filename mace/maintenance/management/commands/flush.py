"""`manage.py flush`: Django's own, able to empty the append-only audit table on SQLite.

On SQLite a trigger refuses every DELETE from the audit table unless `audit_flush_allowed`
holds a row (audit migration 0003, whose docstring explains the design). This command, which
Django's test runner also calls by name to empty the database after each transactional and
browser test, is that table's only writer: it puts the row in, empties every table and takes
the row out, all in one transaction. On PostgreSQL, flush uses TRUNCATE, which the audit
trigger lets through, and this is Django's command unchanged.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

MARKER_TABLE = "audit_flush_allowed"  # made by mace/audit/migrations/0003


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        if connection.vendor != "sqlite" or (
            MARKER_TABLE not in connection.introspection.table_names()
        ):
            super().handle(**options)
            return
        if options["interactive"] and not self._confirmed(connection.settings_dict["NAME"]):
            self.stdout.write("Flush cancelled.")
            return
        # Asked before the transaction starts: SQLite's write lock is not held over a prompt.
        with transaction.atomic(using=database):
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {MARKER_TABLE} (flushing) VALUES (1)")  # noqa: S608
            super().handle(**{**options, "interactive": False})
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608

    def _confirmed(self, name: str) -> bool:
        answer = input(
            f"You have requested a flush of the database.\nThis will IRREVERSIBLY DESTROY all "
            f'data currently in the "{name}" database,\nand return each table to an empty '
            "state.\nAre you sure you want to do this?\n\n    Type 'yes' to continue, or 'no' "
            "to cancel: "
        )
        return answer == "yes"
