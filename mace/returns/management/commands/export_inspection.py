"""Inspection and dataset exports of missing episodes, as CSV:

    manage.py export_inspection annex-a --date YYYY-MM-DD --out FILE
    manage.py export_inspection ssd --from YYYY-MM-DD --to YYYY-MM-DD --out FILE

annex-a: Ofsted's Annex A list 8 missing columns for the children in care on the date.
ssd: the Standard Safeguarding Dataset's missing object for episodes in the period.
Definitions: mace/returns/inspection.py."""

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.returns import inspection


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f'"{text}" is not a date: write it YYYY-MM-DD') from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="annex-a|ssd")
        annex = kinds.add_parser("annex-a", help="Annex A list 8 missing columns")
        annex.add_argument("--date", required=True, metavar="YYYY-MM-DD")
        annex.add_argument("--out", type=Path, required=True, metavar="FILE")
        ssd = kinds.add_parser("ssd", help="The Standard Safeguarding Dataset's missing object")
        ssd.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
        ssd.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
        ssd.add_argument("--out", type=Path, required=True, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent} is not a folder: give --out in one that exists")
        if options["kind"] == "annex-a":
            rows = inspection.annex_a_rows(_date(options["date"]))
            data = inspection.as_csv(inspection.ANNEX_A_COLUMNS, rows)
        else:
            start, end = _date(options["start"]), _date(options["end"])
            if end < start:
                raise CommandError("--to is before --from: give the period's first day first")
            rows = inspection.ssd_rows(start, end)
            data = inspection.as_csv(inspection.SSD_COLUMNS, rows)
        out.write_bytes(data)
        self.stdout.write(f"{len(rows)} rows written to {out}")
