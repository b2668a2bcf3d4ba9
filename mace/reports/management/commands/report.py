"""`manage.py report annual --from YYYY-MM-DD --to YYYY-MM-DD --format json|csv|xlsx|pdf
[--out FILE] [--publish]` and `manage.py report dataset --quarter YYYYQn --format ...
[--out FILE] [--publish] [--include-restricted]` (SPEC section 5). Without --out the report
goes to standard output; progress goes to standard error.

`manage.py report facts --check|--repair|--rebuild` checks the reporting table the annual
report reads (`mace.reports.facts`), rebuilds the rows of the children out of step (nightly,
say), or builds it afresh: after data was written around the services, such as a repair
made by hand in the database."""

import datetime
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.lib.quarters import Quarter
from mace.reports import annual, dataset, narrative, output, suppression
from mace.reports import facts as report_facts
from mace.reports.models import EpisodeFact


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
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="annual|dataset|facts")
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

        dataset_parser = kinds.add_parser(
            "dataset", help="The quarterly Missing and CSE dataset of 003 A7"
        )
        dataset_parser.add_argument("--quarter", required=True, metavar="YYYYQn")
        dataset_parser.add_argument(
            "--format", choices=sorted(output.DATASET_FORMATS), default="json", dest="format"
        )
        dataset_parser.add_argument("--out", type=Path, metavar="FILE")
        dataset_parser.add_argument("--publish", action="store_true")
        dataset_parser.add_argument(
            "--include-restricted",
            action="store_true",
            help="Count persons of concern, hotspots and outcomes naming them (restricted "
            "intelligence): only for a file that goes to cleared people",
        )

        facts_parser = kinds.add_parser(
            "facts", help="Check the annual report's reporting table, or build it afresh"
        )
        what = facts_parser.add_mutually_exclusive_group(required=True)
        what.add_argument(
            "--check", action="store_true", help="Count rows not in step with the records"
        )
        what.add_argument(
            "--repair",
            action="store_true",
            help="Rebuild the rows of the children out of step (safe to run nightly)",
        )
        what.add_argument("--rebuild", action="store_true", help="Build every row afresh")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "dataset":
            self.dataset(options)
            return
        if options["kind"] == "facts":
            self.facts(rebuild=options["rebuild"], repair=options["repair"])
            return
        try:
            period = annual.Period(_date(options["start"]), _date(options["end"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        self.stderr.write(f"Counting {period.start} to {period.end}…")
        report = annual.build(period)
        if options["publish"]:
            report = suppression.published(report)
        texts = narrative.for_period(period).texts
        self.write(output.annual_file(options["format"], report, texts), options["out"])
        self.stderr.write(
            f"Done: {report['episodes'] if isinstance(report['episodes'], int) else 'some'} "
            f"episodes in {time.perf_counter() - started:.1f} s"
        )

    def dataset(self, options: dict[str, Any]) -> None:
        try:
            quarter = Quarter.parse(options["quarter"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        self.stderr.write(f"Counting {quarter} ({quarter.start} to {quarter.end})…")
        data = dataset.build(quarter, cleared=options["include_restricted"])
        if options["publish"]:
            data = suppression.dataset_published(data)
        self.write(output.DATASET_FORMATS[options["format"]](data), options["out"])
        self.stderr.write(
            f"Done: {len(data['items'])} items in {time.perf_counter() - started:.1f} s"
        )

    def write(self, data: bytes, out: Path | None) -> None:
        if out is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            if not out.parent.is_dir():
                raise CommandError(f"{out.parent} is not a folder: give --out in one that exists")
            partial = out.with_name(f".{out.name}.part")
            partial.write_bytes(data)
            partial.replace(out)
            self.stderr.write(f"Written to {out}")

    def facts(self, *, rebuild: bool, repair: bool) -> None:
        started = time.perf_counter()
        if rebuild:
            report_facts.refresh()
            self.stdout.write(
                f"Rebuilt the reporting table: {EpisodeFact.objects.count():,} episodes in "
                f"{time.perf_counter() - started:.1f} s"
            )
            return
        if repair:
            children = report_facts.out_of_step_children()
            if children:
                report_facts.refresh(children)
                self.stdout.write(
                    f"Rebuilt the rows of {len(children):,} "
                    f"{'child' if len(children) == 1 else 'children'} out of step with the "
                    f"records in {time.perf_counter() - started:.1f} s"
                )
                return
        else:
            stale = report_facts.differences()
            if stale:
                raise CommandError(
                    f"{stale:,} rows of the reporting table differ from the records (a row "
                    "missing, extra or out of date counts once each way): run `manage.py "
                    "report facts --repair` (only those children) or `--rebuild` (every row)"
                )
        self.stdout.write(
            f"The reporting table is in step with the records: "
            f"{EpisodeFact.objects.count():,} episodes, checked in "
            f"{time.perf_counter() - started:.1f} s"
        )
