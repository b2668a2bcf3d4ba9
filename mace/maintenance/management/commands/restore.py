"""`manage.py restore FILE --yes`: replace every table with a backup's."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.maintenance.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`. The file is "
        "checked first (that it is a MACE backup, and not from a newer version); the restore "
        "then replaces every table in one transaction, or changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm: everything recorded since the backup was made will be lost.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "A restore replaces every record with the backup's; anything recorded since "
                "is lost. Run again with --yes to go ahead."
            )
        started = time.monotonic()
        try:
            done = restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {options['file']} ({done.engine}) in {time.monotonic() - started:.1f} s"
        )
        if done.behind:
            self.stdout.write(
                f"The backup predates {len(done.behind)} migration(s) of this version: "
                "run `manage.py migrate` now."
            )
