"""`python manage.py run_scheduled_checks`: run every few minutes (cron, systemd timer).

Idempotent: a second run straight after the first changes nothing and tells no one again.
"""

from typing import Any

from django.core.management.base import BaseCommand

from mace.worklist.scheduled import run_scheduled_checks


class Command(BaseCommand):
    help = (
        "Bring due items in step with time; warn owners of deadlines; escalate overdue items; "
        "send daily digests; retry failed emails; list records due for deletion under the "
        "retention rules."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_scheduled_checks()
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
