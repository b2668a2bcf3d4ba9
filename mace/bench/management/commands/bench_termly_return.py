"""`manage.py bench_termly_return [--rows N]`: time a school's termly return of N pupils, none
held before, through the real import, and print `name: value` lines. Everything it writes is
rolled back: it leaves the database as it found it."""

import datetime
import random
import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from mace.accounts.models import Role, User
from mace.education import services


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        officer = User.objects.filter(role=Role.INCLUSION_OFFICER, is_active=True).first()
        if officer is None:
            raise CommandError("No inclusion officer: run seed_demo first.")
        rng = random.Random(1)
        rows = ["first_name,last_name,date_of_birth,gender,reason,hours_per_week,ehcp"]
        for n in range(options["rows"]):
            born = datetime.date(2011, 1, 1) + datetime.timedelta(days=rng.randint(0, 2500))
            rows.append(f"Pupil{n},Benchmark{n},{born},female,medical,{rng.choice([5, 12, 20])},no")
        data = ("\n".join(rows) + "\n").encode()
        services.MAX_UPLOAD_BYTES = max(services.MAX_UPLOAD_BYTES, len(data))
        with transaction.atomic():
            started = time.perf_counter()
            termly = services.termly_return_import(
                actor=officer,
                school="Benchmark School",
                term="2025-26 autumn",
                received_on=datetime.date(2025, 11, 1),
                name="bench.csv",
                data=data,
            )
            elapsed = time.perf_counter() - started
            concern = termly.entries.exclude(concerns=[]).count()
            transaction.set_rollback(True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"termly_return_rows: {options['rows']}")
        self.stdout.write(f"termly_return_s: {elapsed:.1f}")
        self.stdout.write(f"termly_return_rows_per_s: {options['rows'] / elapsed:.0f}")
        self.stdout.write(f"termly_return_of_concern: {concern}")
        self.stdout.write(f"peak_rss_mb: {peak:.0f}")
