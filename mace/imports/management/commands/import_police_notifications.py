"""`manage.py import_police_notifications`: police missing-person notifications.

    python manage.py import_police_notifications FILE.csv [--dry-run]

Each row carries a child (child_ref, first_name, last_name, date_of_birth, gender, and
optionally ethnicity, placing_authority, uasc, area) and an episode (the episode columns of
the tracker's format 1; its legal_status is the status at the start). It goes through the
tracker import's code: see mace/imports/importer.py.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from mace.imports.command import ImportCommand
from mace.imports.importer import import_police_notifications


class Command(ImportCommand):
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
        self.add_import_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.run_import(options, import_police_notifications, path=options["file"])
