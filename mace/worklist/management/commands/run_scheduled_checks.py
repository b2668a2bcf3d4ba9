"""`python manage.py run_scheduled_checks`: run every few minutes (cron, systemd timer).

Idempotent: a second run straight after the first changes nothing and tells no one again.
One run at a time: a run that finds another still going (cron starts one every five minutes
whatever the last one is doing) says so and stops, changing nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.lib.concurrency import only_one
from mace.worklist.scheduled import ONE_RUN, STALE_SECONDS, run_scheduled_checks


class Command(BaseCommand):
    help = (
        "Bring due items in step with time; warn owners of deadlines; escalate overdue items; "
        "send daily digests; retry failed emails; list records due for deletion under the "
        "retention rules."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-seconds",
            type=float,
            default=STALE_SECONDS,
            help=(
                "The longest a run spends on children whose settings changed or who were never "
                f"checked (default {STALE_SECONDS:.0f}); the rest wait for the next run. Keep "
                "it well within the time between runs."
            ),
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Check all of those children, however long it takes (after a go-live).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stale_seconds"] < 0:
            raise CommandError("Give --stale-seconds of 0 or more (0: one batch a run).")
        with only_one(ONE_RUN) as alone:
            if not alone:
                self.stdout.write(
                    "Another run of the scheduled checks is still going: this one stops. "
                    "The next run takes up whatever is left."
                )
                return
            result = run_scheduled_checks(
                stale_for=None if options["all"] else options["stale_seconds"]
            )
        items = result.items
        assert items is not None
        self.stdout.write(
            f"Checked {result.children_checked} children: {items.created} items created, "
            f"{items.moved} moved, {items.closed} closed, {items.reopened} reopened; "
            f"{result.warned} due soon, {result.overdue} overdue, {result.escalated} escalated; "
            f"{result.digests} digests; {result.emails_retried} failed emails tried again, "
            f"{result.emails_resent} sent; {result.retention_listed} records listed for "
            "retention review."
        )
        if result.children_waiting:
            self.stdout.write(
                f"{result.children_waiting} children whose settings changed or who were never "
                "checked wait for the next run (or run this with --all)."
            )
