"""`manage.py backup --out FILE`: the whole database, PostgreSQL or SQLite, in one file."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.maintenance.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE: PostgreSQL with pg_dump (custom format), SQLite "
        "with its online backup. The file appears only when complete. Restore with "
        "`manage.py restore FILE --yes`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            size = backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up to {options['out']}: {size / 1_048_576:.1f} MiB "
            f"in {time.monotonic() - started:.1f} s"
        )
