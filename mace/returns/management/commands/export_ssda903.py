"""`manage.py export_ssda903 --year YYYY --out DIR` (SPEC section 5): header.csv,
episodes.csv and missing.csv for the collection year that ends on 31 March YYYY. It then
says what it left out and why, and what it had to assume (counts only, no child named):
see `mace.returns.ssda903`."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.returns import ssda903


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, metavar="YYYY")
        parser.add_argument("--out", type=Path, required=True, metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(
                f"{year} is not a collection year: give the year it ends, for example 2026 "
                "for April 2025 to March 2026"
            )
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is a file: give a folder for the three tables")
        try:
            ssda903.child_identifier_kind()
        except ValueError as error:
            raise CommandError(str(error)) from None
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        export = ssda903.export(ssda903.CollectionYear(year))
        tables = export.tables
        for name, rows in tables.items():
            (out / f"{name}.csv").write_bytes(ssda903.as_csv(name, rows))
        self.stdout.write(
            f"SSDA903 {year - 1}-{year % 100:02d}: {len(tables['header'])} children, "
            f"{len(tables['episodes'])} periods of care, {len(tables['missing'])} missing "
            f"episodes, written to {out} in {time.perf_counter() - started:.1f} s"
        )
        for line in export.lines():
            self.stdout.write(line)
