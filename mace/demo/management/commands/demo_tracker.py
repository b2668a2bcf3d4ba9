"""Write a fictional partnership's tracker export: `manage.py demo_tracker --out DIR`.

The files a new partnership would bring on go-live day (docs/going-live.md), for trying the
import on a fresh database: `DIR/children.csv` and `DIR/episodes.csv` in format 1 (SPEC
section 5). See mace/demo/tracker.py for what they hold.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mace.demo.tracker import write_tracker_export


class Command(BaseCommand):
    help = "Write a fictional tracker export of several years (children.csv, episodes.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="folder to write into")
        parser.add_argument("--years", type=int, default=4)
        parser.add_argument("--children", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        export = write_tracker_export(
            options["out"],
            years=options["years"],
            children=options["children"],
            seed=options["seed"],
        )
        self.stdout.write(f"{export.children}: {export.child_rows} children")
        self.stdout.write(
            f"{export.episodes}: {export.episode_rows} episodes "
            f"({export.looked_after_episodes} looked after, {export.still_missing} still missing, "
            f"{export.interview_rows} with return-interview columns)"
        )
        self.stdout.write(f"Near duplicates among the children: {export.near_duplicates}")
