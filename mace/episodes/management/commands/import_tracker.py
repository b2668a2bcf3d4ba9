"""`manage.py import_tracker`: the central missing tracker, format 1 (SPEC section 5).

    python manage.py import_tracker --children CHILDREN.csv --episodes EPISODES.csv [--dry-run]

Either file may be given alone. The rules (columns, values, what is created or updated,
the rejects file) are in mace/episodes/importer.py.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from mace.episodes.importer import CHUNK_ROWS, ImportFileError, import_tracker


class Command(BaseCommand):
    help = (
        "Import the central missing tracker (format 1): children.csv, episodes.csv or both. "
        "UTF-8 CSV with a header row; dates YYYY-MM-DD; date-times ISO 8601, UK time when "
        "no offset is given. Children are matched on child_ref, episodes on episode_ref, so "
        "running it again changes nothing. Every row is accepted or rejected with its "
        "reasons; rejected rows are written beside the input as <name>.rejects.csv. Prints "
        "the number created, updated, unchanged and rejected. Exits non-zero, importing "
        "nothing, when a file cannot be read or lacks a required column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=Path, metavar="CHILDREN.csv")
        parser.add_argument("--episodes", type=Path, metavar="EPISODES.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would happen, writing nothing.",
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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["children"] is None and options["episodes"] is None:
            raise CommandError("Give --children CHILDREN.csv, --episodes EPISODES.csv, or both")
        if options["chunk_rows"] < 1:
            raise CommandError("Give --chunk-rows of at least 1 (1 writes each row on its own)")
        progress = not options["quiet"] and options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            report = import_tracker(
                children=options["children"],
                episodes=options["episodes"],
                dry_run=options["dry_run"],
                progress=progress,
                chunk_rows=options["chunk_rows"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(
                "The database failed during the import, before any row was being written. "
                "Nothing was half-written; run the same import again."
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
