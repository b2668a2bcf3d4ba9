"""`manage.py report annual --from YYYY-MM-DD --to YYYY-MM-DD --format json|csv|xlsx|pdf
[--out FILE] [--publish]` (SPEC section 5). Without --out the report goes to standard output."""

import datetime
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.reports import annual, output


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f'"{text}" is not a date: write it YYYY-MM-DD, for example 2026-03-31'
        ) from None


class Command(BaseCommand):
    help = "Produce a report: `report annual` (SPEC C9). Definitions: mace/reports/annual.py."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="annual")
        annual_parser = kinds.add_parser(
            "annual", help="The annual report for a period (both dates inclusive)"
        )
        annual_parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
        annual_parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
        annual_parser.add_argument(
            "--format", choices=sorted(output.FORMATS), default="json", dest="format"
        )
        annual_parser.add_argument("--out", type=Path, metavar="FILE")
        annual_parser.add_argument(
            "--publish",
            action="store_true",
            help="Suppress small numbers (below REPORT_SUPPRESS_BELOW, default 5)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = annual.Period(_date(options["start"]), _date(options["end"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        self.stderr.write(f"Counting {period.start} to {period.end}…")
        report = annual.build(period)
        if options["publish"]:
            report = output.published(report)
        data = output.FORMATS[options["format"]](report)
        out: Path | None = options["out"]
        if out is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            if not out.parent.is_dir():
                raise CommandError(f"{out.parent} is not a folder: give --out in one that exists")
            partial = out.with_name(f".{out.name}.part")
            partial.write_bytes(data)
            partial.replace(out)
        self.stderr.write(
            f"Done: {report['episodes'] if isinstance(report['episodes'], int) else 'some'} "
            f"episodes in {time.perf_counter() - started:.1f} s"
            + (f", written to {out}" if out else "")
        )
