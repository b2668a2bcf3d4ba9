"""`manage.py generate_national --years 10 --seed N [--episodes-per-year 200000]
[--children-per-year 70000] [--end-date YYYY-MM-DD]`: a synthetic national-scale dataset for
measuring MACE (mace.bench.national describes its shapes).

It writes only into a database that holds no child, so made-up children can never mix with
a real deployment's records: create a database, `manage.py migrate`, then run this. Every
table is written in one transaction (COPY on PostgreSQL); then the worklists of the children
missing in the last 30 days of the period are brought in step with `sync_child`, so the
worklist pages have their open items. Nothing is audited: generating is not the work of a
user.
"""

import argparse
import datetime
import functools
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from mace.bench.national import generate
from mace.bench.planning import ZONE, Settings
from mace.episodes.models import Episode
from mace.exploitation.models import Instrument
from mace.people.models import Child
from mace.reports import facts as report_facts
from mace.reports.models import EpisodeFact
from mace.worklist.engine import sync_child
from mace.worklist.models import DueItem

# The most episodes a child can have in a year (national.MOST_A_YEAR), on average.
MOST_EPISODES_PER_CHILD = 100
RECENT_DAYS = 30


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: give YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Write a synthetic national-scale dataset into an empty database (benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, required=True, help="Years of episodes.")
        parser.add_argument("--seed", type=int, required=True, help="The same seed, the same data.")
        parser.add_argument("--episodes-per-year", type=int, default=200_000)
        parser.add_argument(
            "--children-per-year",
            type=int,
            default=70_000,
            help="Distinct children with an episode each year.",
        )
        parser.add_argument(
            "--end-date", type=_date, default=None, help="The last day (default today)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years, episodes, children = (
            options["years"],
            options["episodes_per_year"],
            options["children_per_year"],
        )
        for name, value in (
            ("--years", years),
            ("--episodes-per-year", episodes),
            ("--children-per-year", children),
        ):
            if value < 1:
                raise CommandError(f"{name} must be at least 1 (got {value}).")
        if episodes < children:
            raise CommandError(
                f"--episodes-per-year ({episodes}) is less than --children-per-year "
                f"({children}): every child counted in a year has at least one episode in it."
            )
        if episodes > children * MOST_EPISODES_PER_CHILD:
            raise CommandError(
                f"--episodes-per-year is more than {MOST_EPISODES_PER_CHILD} episodes a child: "
                "give more --children-per-year."
            )
        today = timezone.localdate()
        end_date = options["end_date"] or today
        if end_date > today:
            raise CommandError(f"--end-date {end_date} is in the future: give today or earlier.")
        if Child.objects.exists():
            raise CommandError(
                "This database already holds children. generate_national writes only into an "
                "empty MACE database, so it never mixes made-up children with real records: "
                "create a new database, run `manage.py migrate` on it, and run this again."
            )
        if not Instrument.objects.filter(is_active=True).exists():
            raise CommandError(
                "No risk assessment instrument is active: run `manage.py migrate`, which loads "
                "the default, or load one with `manage.py load_instrument`."
            )

        started = time.perf_counter()
        end_of_period = datetime.datetime.combine(
            end_date + datetime.timedelta(days=1), datetime.time(0), tzinfo=ZONE
        ) - datetime.timedelta(seconds=1)
        progress = functools.partial(
            tqdm, file=sys.stderr, disable=options["verbosity"] < 1, mininterval=2.0
        )
        settings = Settings(
            seed=options["seed"],
            years=years,
            episodes_per_year=episodes,
            children_per_year=children,
            end_date=end_date,
            now=min(timezone.now(), end_of_period),
        )
        counts = generate(settings, progress)
        # Written around the services, so the reporting table is built once, set-based.
        report_facts.refresh()
        loaded = time.perf_counter()
        synced, open_items = self._sync_recent(end_date, progress)
        if connection.vendor == "postgresql":
            # The planner's statistics for the reporting table and the worklist, written
            # after the loader's own ANALYZE: without them it guesses a year's rows are 88.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(EpisodeFact._meta.db_table)}")
                cursor.execute(f"ANALYZE {connection.ops.quote_name(DueItem._meta.db_table)}")
        finished = time.perf_counter()

        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {years} years to {end_date} (seed {options['seed']}) in "
                f"{finished - started:.1f} seconds ({loaded - started:.1f} writing, with the "
                "reporting table, "
                f"{finished - loaded:.1f} bringing worklists in step):"
            )
        )
        for name, count in counts.items():
            self.stdout.write(f"  {count:>10,} {name}")
        self.stdout.write(
            f"  {synced:>10,} worklists brought in step (children missing in the last "
            f"{RECENT_DAYS} days)"
        )
        self.stdout.write(f"  {open_items:>10,} worklist items open")

    def _sync_recent(self, end_date: datetime.date, progress: Any) -> tuple[int, int]:
        """sync_child for each child with an episode in the last 30 days of the period."""
        first_day = end_date - datetime.timedelta(days=RECENT_DAYS - 1)
        since = datetime.datetime.combine(first_day, datetime.time(0), tzinfo=ZONE)
        recent = Child.objects.filter(
            pk__in=Episode.objects.filter(last_seen_at__gte=since).values("child_id")
        ).order_by("pk")
        count = recent.count()
        for child in progress(
            recent.iterator(chunk_size=2000),
            total=count,
            desc="Bringing worklists in step",
            unit=" children",
        ):
            sync_child(child)
        return count, DueItem.objects.filter(status=DueItem.Status.OPEN).count()
