"""`manage.py import_police_notifications`: police missing-person notifications.

    python manage.py import_police_notifications FILE.csv [--dry-run]

Each row carries a child (child_ref, first_name, last_name, date_of_birth, gender, and
optionally ethnicity, placing_authority, uasc, area) and an episode (the episode columns of
the tracker's format 1; its legal_status is the status at the start). It goes through the
tracker import's code: see mace/episodes/importer.py.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from mace.episodes.importer import CHUNK_ROWS, ImportFileError, import_police_notifications


class Command(BaseCommand):
    help = (
        "Import police missing-person notifications: one UTF-8 CSV whose rows carry the "
        "child's columns (child_ref, first_name, last_name, date_of_birth, gender) and the "
        "episode's columns of the tracker's format 1. Matched on child_ref and episode_ref, "
        "so running it again changes nothing. Rejected rows are written beside the input as "
        "<name>.rejects.csv with their reasons. Exits non-zero, importing nothing, when the "
        "file cannot be read or lacks a required column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would happen, writing nothing.",
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
        if options["chunk_rows"] < 1:
            raise CommandError("Give --chunk-rows of at least 1 (1 writes each row on its own)")
        progress = not options["quiet"] and options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            report = import_police_notifications(
                options["file"],
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
