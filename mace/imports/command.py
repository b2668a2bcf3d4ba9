"""What the two import commands (`import_tracker`, `import_police_notifications`) share: the
options `--dry-run`, `--as`, `--quiet` and `--chunk-rows`, and how a run is reported or
refused."""

import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from mace.access.policy import can_run_imports
from mace.accounts.models import User
from mace.imports.chunks import CHUNK_ROWS
from mace.imports.report import ImportReport
from mace.imports.rows import ImportFileError
from mace.lib.csv_files import CsvFileError


class ImportCommand(BaseCommand):
    what = "file"  # the help text's name for what is read: "file" or "files"

    def add_import_options(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=f"Check the {self.what} and report what would happen, writing nothing.",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="The user the audit trail records the import as: an active missing "
            "coordinator or administrator. By default the first active administrator.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--chunk-rows",
            type=int,
            default=CHUNK_ROWS,
            metavar="N",
            help=f"Rows written in one transaction (default {CHUNK_ROWS}); 1 writes each row "
            "on its own. An interrupted import has imported whole chunks.",
        )

    def run_import(
        self, options: dict[str, Any], importing: Callable[..., ImportReport], **files: Any
    ) -> None:
        """`importing(**files, dry_run=, progress=, chunk_rows=, actor=)`, its report
        printed; a file that cannot be read, a user who may not import, or a database that
        fails before any row, refuses the run."""
        if options["chunk_rows"] < 1:
            raise CommandError("Give --chunk-rows of at least 1 (1 writes each row on its own)")
        actor = None
        if options["as_user"] is not None:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None or not can_run_imports(actor):
                raise CommandError(
                    f"--as {options['as_user']}: no active missing coordinator or "
                    "administrator has that username; name one who may import"
                )
        progress = not options["quiet"] and options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            report = importing(
                **files,
                dry_run=options["dry_run"],
                progress=progress,
                chunk_rows=options["chunk_rows"],
                actor=actor,
            )
        except (CsvFileError, ImportFileError) as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(
                "The database failed during the import, before any row was being written. "
                "Nothing was half-written; run the same import again."
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
