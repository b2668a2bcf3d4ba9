"""`manage.py import_tracker`: the central missing tracker, format 1 (SPEC section 5).

    python manage.py import_tracker --children CHILDREN.csv --episodes EPISODES.csv [--dry-run]

Either file may be given alone. The rules (columns, values, what is created or updated,
the rejects file) are in mace/imports/importer.py.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from mace.imports.command import ImportCommand
from mace.imports.importer import import_tracker


class Command(ImportCommand):
    help = (
        "Import the central missing tracker (format 1): children.csv, episodes.csv or both. "
        "UTF-8 CSV with a header row; dates YYYY-MM-DD; date-times ISO 8601, UK time when "
        "no offset is given. Children are matched on child_ref, episodes on episode_ref, so "
        "running it again changes nothing. Every row is accepted or rejected with its "
        "reasons; rejected rows are written beside the input as <name>.rejects.csv. Prints "
        "the number created, updated, unchanged and rejected. Exits non-zero, importing "
        "nothing, when a file cannot be read or lacks a required column."
    )

    what = "files"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=Path, metavar="CHILDREN.csv")
        parser.add_argument("--episodes", type=Path, metavar="EPISODES.csv")
        self.add_import_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["children"] is None and options["episodes"] is None:
            raise CommandError("Give --children CHILDREN.csv, --episodes EPISODES.csv, or both")
        self.run_import(
            options, import_tracker, children=options["children"], episodes=options["episodes"]
        )
