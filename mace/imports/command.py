"""What the two import commands (`import_tracker`, `import_police_notifications`) share: the
options `--dry-run`, `--as`, `--quiet`, `--chunk-rows`, `--workers` and `--go-live`, and how
a run is reported or refused."""

import argparse
import datetime
import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from mace.access.policy import can_run_imports, default_import_actor
from mace.accounts.models import User
from mace.imports.chunks import CHUNK_ROWS
from mace.imports.report import ImportReport
from mace.imports.rows import ImportFileError
from mace.imports.workers import MAX_WORKERS
from mace.lib.csv_files import CsvFileError
from mace.worklist.golive import go_live_for_run, go_live_held
from mace.worklist.services import go_live_record


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"give a date written YYYY-MM-DD, such as 2027-04-01, not {value!r}"
        ) from None


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
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            metavar="N",
            help="Processes that write the episode rows side by side, each on its own "
            "database connection (PostgreSQL; default 1). Each child's rows, and those of "
            "the children they went missing with, stay in one process. A dry run uses one. "
            "Up to the machine's cores, or a few more when the database is on another "
            "machine.",
        )
        parser.add_argument(
            "--go-live",
            type=_day,
            metavar="YYYY-MM-DD",
            help="The day MACE took over from the trackers (issue 18), when the go-live "
            "date is not yet set: episodes that ended before it are recorded as history, "
            "their due items closed and no one told, and it becomes the go-live setting. "
            "Refused if it differs from the go-live set.",
        )

    def run_import(
        self, options: dict[str, Any], importing: Callable[..., ImportReport], **files: Any
    ) -> None:
        """`importing(**files, dry_run=, progress=, chunk_rows=, actor=, workers=)`, its report
        printed; a file that cannot be read, a user who may not import, or a database that
        fails before any row, refuses the run."""
        if options["chunk_rows"] < 1:
            raise CommandError("Give --chunk-rows of at least 1 (1 writes each row on its own)")
        workers = options["workers"]
        if not 1 <= workers <= MAX_WORKERS:
            raise CommandError(
                f"Give --workers from 1 to {MAX_WORKERS} (1 writes the rows in one process)"
            )
        if workers > 1 and connection.vendor != "postgresql":
            raise CommandError(
                f"--workers {workers}: this database ({connection.vendor}) takes one writer at "
                "a time. Give --workers 1, or import into PostgreSQL (see README)"
            )
        actor = None
        if options["as_user"] is not None:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None or not can_run_imports(actor):
                raise CommandError(
                    f"--as {options['as_user']}: no active missing coordinator or "
                    "administrator has that username; name one who may import"
                )
        go_live = options.get("go_live")
        held_go_live = go_live_held()
        if go_live is not None and held_go_live is not None and go_live != held_go_live:
            raise CommandError(
                f"--go-live {go_live}: the go-live set for the partnership is {held_go_live}. "
                "Give that day, or leave --go-live out: one go-live keeps the worklist the "
                "same whichever run last brought it in step"
            )
        if go_live is not None and held_go_live is None and not options["dry_run"]:
            # The setting, made first, so that every run after (the scheduled checks, edits
            # of history), and an import interrupted and run again, keep the same history.
            go_live_record(
                actor=actor or default_import_actor(), day=go_live, source=self.command_name()
            )
        progress = not options["quiet"] and options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            with go_live_for_run(go_live):
                report = importing(
                    **files,
                    dry_run=options["dry_run"],
                    progress=progress,
                    chunk_rows=options["chunk_rows"],
                    actor=actor,
                    workers=workers,
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
        day = go_live or held_go_live
        if day is not None:
            self.stdout.write(
                f"Go-live {day}: the due items of episodes that ended before it, and others "
                "due before it, are recorded as history (closed, no one told)"
            )
        if go_live is not None and held_go_live is None and not options["dry_run"]:
            self.stdout.write(
                f"Go-live {go_live} set for the partnership (no go-live was set): the "
                "administrators' settings page shows it"
            )

    def command_name(self) -> str:
        return self.__class__.__module__.rsplit(".", 1)[-1]
