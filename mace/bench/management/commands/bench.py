"""`manage.py bench`: the figures of issue 9 over whatever data the database holds (made by
`generate_national`), each printed as `name: value` on its own line. `make bench` runs it.

Each measurement runs in a process of its own, so that its `..._peak_rss_mb` is its own:

- import: the tracker import (SPEC section 5, full validation, audit and worklists) of fresh
  rows, against PostgreSQL's COPY of files of the same shape, at least 20,000 rows of them so
  that the time is not timer noise (the import's own files from 20,000 rows up), into a bare
  table of text columns (the floor); both rolled back. Its CPU time and queries per 1,000
  rows are printed too, as the machine may be shared; the target is 2,000 rows a second;
- import with workers: the same rows imported with `--import-workers` processes writing the
  episode rows side by side (imports.workers; by default one a core). They commit, as the
  processes cannot share a transaction to roll back, so this runs on a copy of the database
  made for it (CREATE DATABASE ... TEMPLATE) and dropped after;
- annual report: MACE's report for the last April-to-March year in the data, against the best
  single hand-written SQL query over MACE's tables, pandas over that year's tracker CSV
  (reading included) and DuckDB over the same rows in memory; the four must agree on every
  figure of SPEC section 5 before their times are compared;
- pages: the worklist of a social worker with a caseload and the missing coordinator's view,
  through the real views (Django's test client, signed in with both factors), rolled back;
- scheduled checks: `run_scheduled_checks` when nothing has changed since the last run (the
  run every few minutes), after one run that brings everything in step; rolled back. It
  checks only the children that are due (issue 17); `scheduled_checks_every_child_s` times
  bringing in step every child whose items might change with time (the old selection,
  `engine.children_maybe_due`), as the checks did before (`--no-every-child` leaves it out:
  at national scale each run over every child takes about half an hour).

Times are medians of several runs after one to warm up. PostgreSQL only: COPY is the floor.
"""

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Max, Min
from django.urls import get_resolver

from mace.bench import figures
from mace.episodes.models import Episode
from mace.imports.chunks import CHUNK_ROWS
from mace.imports.importer import import_tracker
from mace.imports.rows import (
    CHILD_OPTIONAL,
    CHILD_REQUIRED,
    EPISODE_OPTIONAL,
    EPISODE_REQUIRED,
)
from mace.imports.workers import MAX_WORKERS
from mace.reports import annual

# Rows of tracker files COPY is timed on, at least (see measure_import).
COPY_SAMPLE_ROWS = 20_000
MEASUREMENTS = (
    "import",
    "import_workers",
    "annual_mace",
    "annual_sql",
    "annual_pandas",
    "annual_duckdb",
    "pages",
    "scheduled",
)
# Targets of issue 9 at national scale.
TARGETS = {
    "import_vs_copy_ratio": (">=", 0.2),
    "annual_report_vs_sql_ratio": ("<=", 2.0),
    "annual_report_vs_pandas_speedup": (">=", 2.0),
    "annual_report_vs_duckdb_ratio": ("<=", 3.0),
    "worklist_p95_ms": ("<", 100.0),
    "coordinator_view_p95_ms": ("<", 100.0),
    # Issue 17: every few minutes, so well within them (see SCHEDULED_CHECKS_TARGET_S).
    "scheduled_checks_s": ("<", 120.0),
    # Issue 17 point 7: the import with full validation, audit and worklists, in one process
    # and with the episode rows written by several (--import-workers).
    "import_rows_per_s": (">=", 2000.0),
    "import_workers_rows_per_s": (">=", 2000.0),
}


# Issue 17 point 6: a run of the scheduled checks with nothing changed, by scale (`--scale`,
# which `make bench` gives): under 15 s at regional scale, under 2 minutes nationally.
SCHEDULED_CHECKS_TARGET_S = {"small": 15.0, "authority": 15.0, "regional": 15.0, "national": 120.0}


def targets(scale: str) -> dict[str, tuple[str, float]]:
    """The targets the figures are printed against, at this scale."""
    return TARGETS | {"scheduled_checks_s": ("<", SCHEDULED_CHECKS_TARGET_S[scale])}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_time(run: Callable[[], Any], samples: int) -> tuple[float, Any]:
    """The median wall time of `samples` runs after one warm-up, and the last result."""
    result = run()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def collection_year(last: datetime.date) -> annual.Period:
    """The last April-to-March year that has ended by `last`."""
    end_year = last.year if last >= datetime.date(last.year, 3, 31) else last.year - 1
    return annual.Period(datetime.date(end_year - 1, 4, 1), datetime.date(end_year, 3, 31))


class Command(BaseCommand):
    help = "Print the benchmark figures of issue 9 over the data held (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", choices=MEASUREMENTS, help="One measurement (internal)")
        parser.add_argument("--import-rows", type=int, default=2000, help="Episode rows")
        parser.add_argument(
            "--import-workers",
            type=int,
            default=max(2, min(os.cpu_count() or 1, MAX_WORKERS)),
            help="Processes writing the episode rows in the second import (default: one a "
            "core, at least two)",
        )
        parser.add_argument("--samples", type=int, default=3, help="Runs timed per figure")
        parser.add_argument(
            "--scale",
            choices=sorted(SCHEDULED_CHECKS_TARGET_S),
            default="national",
            help="The scale of the data held, for the targets (make bench gives its SCALE)",
        )
        parser.add_argument("--page-samples", type=int, default=100)
        parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat)
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat)
        parser.add_argument(
            "--every-child",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Also time the scheduled checks over every child, as before issue 17",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark compares with PostgreSQL's COPY: set DATABASE_URL to a "
                "PostgreSQL database that holds generated data (see `make bench`)."
            )
        if options["import_rows"] < 10 or options["samples"] < 1 or options["page_samples"] < 5:
            raise CommandError(
                "Give --import-rows of at least 10, --samples of at least 1 and --page-samples "
                "of at least 5."
            )
        if not 2 <= options["import_workers"] <= MAX_WORKERS:
            raise CommandError(f"Give --import-workers from 2 to {MAX_WORKERS}")
        if options["only"] == "import_workers" and not on_a_scratch_copy():
            raise CommandError(
                "--only import_workers commits the rows it imports, so it runs only on a copy "
                f"of the database (a name ending in {SCRATCH_SUFFIX}). Run `manage.py bench` "
                "without --only, which makes the copy and drops it after, or copy the "
                f"database first: CREATE DATABASE <name>{SCRATCH_SUFFIX} TEMPLATE <name>."
            )
        if options["only"]:
            self.measure(options["only"], options)
            return
        self.orchestrate(options)

    # The parent: one process per measurement ---------------------------------------------

    def orchestrate(self, options: dict[str, Any]) -> None:
        span = Episode.objects.aggregate(first=Min("last_seen_at"), last=Max("last_seen_at"))
        if span["last"] is None:
            raise CommandError(
                "No episodes in this database: make some first with "
                "`manage.py generate_national --years 10 --seed 1` (or `make bench`, which does)."
            )
        if options["start"] and options["end"]:
            period = annual.Period(options["start"], options["end"])
        else:
            period = collection_year(
                datetime.datetime.fromtimestamp(span["last"].timestamp()).date()
            )
        first, after = period.bounds
        self.line("episodes_held", Episode.objects.count())
        self.line("children_held", Episode.objects.values("child_id").distinct().count())
        self.line("period", f"{period.start}..{period.end}")
        self.line(
            "episodes_in_period",
            Episode.objects.filter(last_seen_at__gte=first, last_seen_at__lt=after).count(),
        )
        results: dict[str, float] = {}
        with tempfile.TemporaryDirectory(prefix="mace-bench-") as workdir:
            started = time.perf_counter()
            episodes_csv, _ = figures.export_tracker(period, Path(workdir))
            self.line("tracker_csv_export_s", f"{time.perf_counter() - started:.2f}")
            self.line("tracker_csv_mb", f"{episodes_csv.stat().st_size / 2**20:.1f}")
            for name in MEASUREMENTS:
                results |= self.child(name, options, workdir, period)
            agreed = self.agreement(Path(workdir))
        self.line("annual_figures_agree", "yes" if agreed else "NO")

        def ratio(name: str, value: float) -> None:
            results[name] = value
            self.line(name, f"{value:.3g}")

        ratio("import_vs_copy_ratio", results["import_rows_per_s"] / results["copy_rows_per_s"])
        mace_s = results["annual_report_s"]
        ratio("annual_report_vs_sql_ratio", mace_s / results["annual_report_sql_s"])
        ratio("annual_report_vs_pandas_speedup", results["annual_report_pandas_s"] / mace_s)
        ratio("annual_report_vs_duckdb_ratio", mace_s / results["annual_report_duckdb_s"])
        for name, (sense, target) in targets(options["scale"]).items():
            value = results[name]
            met = {">=": value >= target, "<=": value <= target, "<": value < target}[sense]
            self.line(f"target_{name}", f"{'met' if met else 'missed'} ({sense} {target})")
        if not agreed:
            raise CommandError(
                "The four ways of computing the annual report disagree: see the figures above."
            )

    def child(
        self, name: str, options: dict[str, Any], workdir: str, period: annual.Period
    ) -> dict[str, float]:
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench",
            "--only",
            name,
            "--workdir",
            workdir,
            "--from",
            period.start.isoformat(),
            "--to",
            period.end.isoformat(),
            "--import-rows",
            str(options["import_rows"]),
            "--samples",
            str(options["samples"]),
            "--page-samples",
            str(options["page_samples"]),
            "--import-workers",
            str(options["import_workers"]),
            "--every-child" if options["every_child"] else "--no-every-child",
        ]
        env = os.environ.copy()
        with scratch_copy() if name == "import_workers" else nullcontext() as copy:
            if copy is not None:
                env["DATABASE_URL"] = copy
            done = subprocess.run(  # noqa: S603 (our own command, no shell)
                command, capture_output=True, text=True, env=env, check=False
            )
        if done.returncode != 0:
            raise CommandError(f"The {name} measurement failed:\n{done.stderr[-3000:]}")
        values: dict[str, float] = {}
        for line in done.stdout.splitlines():
            self.stdout.write(line)
            key, _, value = line.partition(": ")
            try:
                values[key] = float(value)
            except ValueError:
                continue
        return values

    def agreement(self, workdir: Path) -> bool:
        computed = {
            name: json.loads((workdir / f"{name}.json").read_text())
            for name in ("annual_mace", "annual_sql", "annual_pandas", "annual_duckdb")
        }
        reference = computed.pop("annual_mace")
        agreed = True
        for name, core in computed.items():
            for key, value in reference.items():
                if core.get(key) != value:
                    agreed = False
                    self.stderr.write(
                        f"{name} disagrees on {key}: {core.get(key)!r} (MACE: {value!r})"
                    )
        return agreed

    def line(self, name: str, value: object) -> None:
        self.stdout.write(f"{name}: {value}")

    # The children: one measurement each ----------------------------------------------------

    def measure(self, name: str, options: dict[str, Any]) -> None:
        workdir: Path = options["workdir"]
        period = annual.Period(options["start"], options["end"])
        samples = options["samples"]
        episodes_csv, children_csv = workdir / "episodes.csv", workdir / "children.csv"
        if name == "import":
            self.measure_import(options["import_rows"], workdir)
        elif name == "import_workers":
            self.measure_import_workers(options["import_rows"], workdir, options["import_workers"])
        elif name == "annual_mace":
            seconds, report = median_time(lambda: annual.build(period), samples)
            self.save(workdir, name, figures.core_of_report(report))
            self.line("annual_report_s", f"{seconds:.3f}")
            self.line("annual_report_peak_rss_mb", f"{peak_rss_mb():.0f}")
        elif name == "annual_sql":
            seconds, core = median_time(lambda: figures.by_sql(period), samples)
            self.save(workdir, name, core)
            self.line("annual_report_sql_s", f"{seconds:.3f}")
            self.line("annual_report_sql_peak_rss_mb", f"{peak_rss_mb():.0f}")
        elif name == "annual_pandas":
            seconds, core = median_time(
                lambda: figures.by_pandas(period, episodes_csv, children_csv), samples
            )
            self.save(workdir, name, core)
            self.line("annual_report_pandas_s", f"{seconds:.3f}")
            self.line("annual_report_pandas_peak_rss_mb", f"{peak_rss_mb():.0f}")
        elif name == "annual_duckdb":
            database = figures.duckdb_load(period, episodes_csv, children_csv)
            seconds, core = median_time(lambda: figures.by_duckdb(period, database), samples)
            self.save(workdir, name, core)
            self.line("annual_report_duckdb_s", f"{seconds:.3f}")
            self.line("annual_report_duckdb_peak_rss_mb", f"{peak_rss_mb():.0f}")
        elif name == "pages":
            self.measure_pages(options["page_samples"])
        elif name == "scheduled":
            self.measure_scheduled(samples, every_child=options["every_child"])

    def save(self, workdir: Path, name: str, core: figures.Core) -> None:
        (workdir / f"{name}.json").write_text(json.dumps(core, sort_keys=True))

    def measure_import(self, rows: int, workdir: Path) -> None:
        children_csv, episodes_csv = write_tracker_files(rows, workdir, seed=rows)
        total = rows + rows // 4
        # Loaded once a process, before the clock starts: the URL configuration (the summary
        # links to the review list), which is seconds of module loading where Python writes
        # no bytecode, and is no part of the rows' cost.
        get_resolver().url_patterns  # noqa: B018 (loads it)
        queries = 0

        def count(execute: Callable[..., Any], *args: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(*args)

        with transaction.atomic(), connection.execute_wrapper(count):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = import_tracker(children=children_csv, episodes=episodes_csv)
            if connection.vendor == "postgresql":
                # The keys' checks, which each chunk's commit makes (Django's foreign keys are
                # deferred) and the rollback below would skip: timed, as an import pays them.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as they were
            transaction.set_rollback(True)
        if report.children.rejected or report.episodes.rejected:
            raise CommandError(
                "The benchmark's own rows were rejected:\n" + "\n".join(report.lines())
            )
        self.line("import_rows", total)
        self.line("import_s", f"{seconds:.2f}")
        self.line("import_rows_per_s", f"{total / seconds:.0f}")
        # The machine is shared: the process's own CPU time, and the queries, which the load
        # does not move (PostgreSQL's own time is the difference with import_s, and waiting).
        self.line("import_cpu_s", f"{cpu_seconds:.2f}")
        self.line("import_rows_per_cpu_s", f"{total / cpu_seconds:.0f}")
        self.line("import_queries_per_1000_rows", f"{queries * 1000 / total:.0f}")
        self.line("import_peak_rss_mb", f"{peak_rss_mb():.0f}")

        # COPY is timed on a sample large enough to time: on the import's few hundred rows
        # it takes a couple of milliseconds, and the ratio would be mostly timer noise.
        # From COPY_SAMPLE_ROWS rows up (the regional and national scales), the import's own
        # files; below, files of the same shape with that many rows.
        copy_rows = max(rows, COPY_SAMPLE_ROWS)
        if copy_rows > rows:
            copy_dir = workdir / "copy"
            copy_dir.mkdir(exist_ok=True)
            children_csv, episodes_csv = write_tracker_files(copy_rows, copy_dir, seed=copy_rows)
        total = copy_rows + copy_rows // 4
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_children ("
                + ", ".join(f"{column} text" for column in CHILD_COLUMNS)
                + ")"
            )
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_episodes ("
                + ", ".join(f"{column} text" for column in EPISODE_COLUMNS)
                + ")"
            )
            started = time.perf_counter()
            for table, path in (("bench_children", children_csv), ("bench_episodes", episodes_csv)):
                with (
                    path.open("rb") as handle,
                    cursor.copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as copy,
                ):
                    while block := handle.read(1 << 20):
                        copy.write(block)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        self.line("copy_rows", total)
        self.line("copy_s", f"{seconds:.3f}")
        self.line("copy_rows_per_s", f"{total / seconds:.0f}")

    def measure_import_workers(self, rows: int, workdir: Path, workers: int) -> None:
        """The import's rows again, the episode rows written by `workers` processes, on the
        copy of the database made for it (Command.child): committed."""
        directory = workdir / "workers"
        directory.mkdir(exist_ok=True)
        children_csv, episodes_csv = write_tracker_files(rows, directory, seed=rows)
        total = rows + rows // 4
        get_resolver().url_patterns  # noqa: B018 (loads it, as measure_import does)
        started, cpu_started = time.perf_counter(), time.process_time()
        # Chunks of the import's size, or smaller for a small sample, so that each process
        # has several.
        chunk_rows = max(1, min(CHUNK_ROWS, rows // (workers * 4)))
        report = import_tracker(
            children=children_csv, episodes=episodes_csv, chunk_rows=chunk_rows, workers=workers
        )
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        processes = resource.getrusage(resource.RUSAGE_CHILDREN)
        if report.children.rejected or report.episodes.rejected or report.episodes.created != rows:
            raise CommandError(
                "The benchmark's own rows were not all imported:\n" + "\n".join(report.lines())
            )
        self.line("import_workers", workers)
        self.line("import_workers_s", f"{seconds:.2f}")
        self.line("import_workers_rows_per_s", f"{total / seconds:.0f}")
        # The parent's CPU (the children's rows, reading the files, the report) and the
        # processes' (the episode rows).
        self.line("import_workers_parent_cpu_s", f"{cpu_seconds:.2f}")
        processes_cpu = processes.ru_utime + processes.ru_stime
        self.line("import_workers_processes_cpu_s", f"{processes_cpu:.2f}")

    def measure_scheduled(self, samples: int, *, every_child: bool) -> None:
        from django.utils import timezone

        from mace.worklist.engine import children_maybe_due, sync_children_in_time
        from mace.worklist.scheduled import run_scheduled_checks

        # One time for every run: at regional scale the runs over every child take minutes,
        # and a deadline passing between two of them (a T16 cycle ending) would change an
        # item, which is not the run with nothing changed that these figures time.
        now = timezone.now()

        def everyone() -> Any:
            checked = children_maybe_due(now)
            return len(checked), sync_children_in_time(checked, now)

        with transaction.atomic():
            # The first run brings the generated data in step with today, as a deployment's
            # first run would (or one after the settings change); timed once. The runs after
            # it find nothing changed.
            started = time.perf_counter()
            first = run_scheduled_checks(now, stale_for=None)  # all of them, as with --all
            first_seconds = time.perf_counter() - started
            seconds, result = median_time(
                lambda: run_scheduled_checks(now, stale_for=None), samples
            )
            if every_child:
                every_seconds, (every_checked, every_result) = median_time(everyone, samples)
            transaction.set_rollback(True)
        if result.items is None or result.items.changed or result.warned or result.overdue:
            raise CommandError(f"A second run of the scheduled checks changed something: {result}")
        self.line("scheduled_first_run_children_checked", first.children_checked)
        self.line("scheduled_first_run_s", f"{first_seconds:.2f}")
        self.line("scheduled_children_checked", result.children_checked)
        self.line("scheduled_checks_s", f"{seconds:.2f}")
        if every_child:
            if every_result.changed:
                raise CommandError(f"Checking every child changed something: {every_result}")
            self.line("scheduled_every_child_checked", every_checked)
            self.line("scheduled_checks_every_child_s", f"{every_seconds:.2f}")
        self.line("scheduled_checks_peak_rss_mb", f"{peak_rss_mb():.0f}")

    def measure_pages(self, samples: int) -> None:
        from mace.bench.pages import page_times

        with transaction.atomic():
            times = page_times(samples)
            transaction.set_rollback(True)
        for name, values in times.items():
            ordered = sorted(values)
            self.line(f"{name}_p50_ms", f"{percentile(ordered, 50):.1f}")
            self.line(f"{name}_p95_ms", f"{percentile(ordered, 95):.1f}")
        self.line("pages_peak_rss_mb", f"{peak_rss_mb():.0f}")


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


# The tracker's own columns (SPEC section 5), less placing_authority: every child is this
# authority's own.
CHILD_COLUMNS = [*CHILD_REQUIRED, *(c for c in CHILD_OPTIONAL if c != "placing_authority")]
EPISODE_COLUMNS = [*EPISODE_REQUIRED, *EPISODE_OPTIONAL]


SCRATCH_SUFFIX = "_scratch"


def on_a_scratch_copy() -> bool:
    return str(settings.DATABASES["default"]["NAME"]).endswith(SCRATCH_SUFFIX)


@contextmanager
def scratch_copy() -> Iterator[str]:
    """A copy of this database, for a measurement that commits (import_workers): its
    DATABASE_URL, and the copy dropped afterwards. PostgreSQL copies a database only while
    no one else is connected to it, so this process lets go of its connection first."""
    import psycopg

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}{SCRATCH_SUFFIX}"
    quoted_name, template = (connection.ops.quote_name(n) for n in (name, db["NAME"]))
    # FILE_COPY (PostgreSQL 15) copies the files as they are: faster for a large database.
    strategy = " STRATEGY FILE_COPY" if connection.pg_version >= 150000 else ""  # type: ignore[attr-defined]
    connection.close()
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {quoted_name}")
        admin.execute(f"CREATE DATABASE {quoted_name} TEMPLATE {template}{strategy}")
        try:
            yield urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {quoted_name} WITH (FORCE)")


def write_tracker_files(rows: int, directory: Path, *, seed: int) -> tuple[Path, Path]:
    """Fresh tracker files (SPEC section 5, format 1): `rows` episodes of `rows // 4`
    children, none of them held, in the shapes of the demonstration data."""
    import csv

    rng = random.Random(seed)
    stamp = f"{seed}-{time.time_ns()}"
    children = max(1, rows // 4)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    statuses = ["NONE", "EH", "CIN", "CP", "CLA", "CARE_LEAVER"]
    weights = [20, 10, 25, 10, 30, 5]
    child_status: dict[str, str] = {}
    children_path, episodes_path = (
        directory / "bench-children.csv",
        directory / "bench-episodes.csv",
    )
    with children_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CHILD_COLUMNS)
        for n in range(children):
            ref = f"BENCH-{stamp}-C{n}"
            status = rng.choices(statuses, weights)[0]
            child_status[ref] = status
            born = datetime.date(2009, 1, 1) + datetime.timedelta(days=rng.randint(0, 3000))
            writer.writerow(
                [
                    ref,
                    f"Bench{n}",
                    "Child",
                    born.isoformat(),
                    rng.choice(["male", "female"]),
                    "WBRI",
                    status,
                    "N",
                    "Central",
                ]
            )
    refs = list(child_status)
    with episodes_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EPISODE_COLUMNS)
        for n in range(rows):
            ref = refs[n % len(refs)]
            # At least 8 days ago: the return, the offer and the interview (up to 164 hours
            # later) are then in the past, as the import requires.
            seen = now - datetime.timedelta(days=rng.randint(8, 360), minutes=rng.randint(0, 1440))
            returned = seen + datetime.timedelta(hours=rng.choice([2, 5, 11, 17, 30, 50]))
            offered = returned + datetime.timedelta(hours=rng.randint(4, 90))
            status = child_status[ref]
            outcome = rng.choice(["completed", "declined", "no_contact"])
            completed = offered + datetime.timedelta(hours=24) if outcome == "completed" else None
            writer.writerow(
                [
                    f"BENCH-{stamp}-E{n}",
                    ref,
                    "missing",
                    "care" if status == "CLA" else "home",
                    status,
                    seen.isoformat(),
                    (seen + datetime.timedelta(minutes=40)).isoformat(),
                    returned.isoformat(),
                    rng.choice(["medium", "high"]),
                    offered.isoformat(),
                    outcome,
                    completed.isoformat() if completed else "",
                    "",
                    "",
                ]
            )
    return children_path, episodes_path
