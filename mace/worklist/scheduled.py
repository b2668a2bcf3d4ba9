"""The scheduled checks (C8): bring items in step with time, warn, and escalate; then send
the daily digests that are due and try again the emails that failed (issue 18).

Idempotent and safe to run every few minutes: an item is warned about once and escalated
once (warned_at, escalated_at), a notification is unique per user, item and kind, and a
user gets one digest a day. `manage.py run_scheduled_checks` runs one at a time
(`lib.concurrency.only_one`): a run that finds another going stops at once.
"""

import datetime
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mace.accounts.models import Role, User
from mace.configuration import store
from mace.configuration.models import SettingKey
from mace.lib.days import day_of
from mace.retention.services import retention_reviews_list
from mace.worklist import engine
from mace.worklist.engine import SyncResult, children_due, sync_children_in_time
from mace.worklist.models import DueItem, Notification
from mace.worklist.notify import notify, retry_failed_emails, send_daily_digests
from mace.worklist.thresholds import thresholds

logger = logging.getLogger(__name__)


# The longest a run spends on children whose settings changed or who were never checked
# before moving on: a go-live, or a change of the thresholds or the term dates, makes every
# child's recheck row stale, and at national scale checking half a million children takes
# about half an hour (docs/performance.md). Those left wait for the next run, so that every run
# (every five minutes) warns and escalates on time, and no run outlasts the next one's start.
STALE_SECONDS = 180.0
# The name `manage.py run_scheduled_checks` holds (`lib.concurrency.only_one`) while it runs.
ONE_RUN = "scheduled-checks"


@dataclass
class CheckResult:
    children_checked: int = 0
    children_waiting: int = 0
    items: SyncResult | None = None
    warned: int = 0
    overdue: int = 0
    escalated: int = 0
    digests: int = 0
    emails_retried: int = 0
    emails_resent: int = 0
    retention_listed: int = 0


def _owners(item: DueItem) -> list[User]:
    """Who is told an item is due soon or overdue: the person it was reassigned to (issue
    19), else the rule's owner."""
    if item.reassigned_to_id:
        person = item.reassigned_to
        return [person] if person is not None and person.is_active else []
    if item.assignee_id:
        return [item.assignee] if item.assignee and item.assignee.is_active else []
    people = User.objects.filter(is_active=True)
    if item.team_id:
        return list(people.filter(team_id=item.team_id).exclude(role=Role.MANAGER))
    if item.role:
        return list(people.filter(role=item.role))
    return []


def escalation_fallback() -> User | None:
    """The active user the escalation fallback setting names (/settings/escalation/, else
    ESCALATION_FALLBACK_USERNAME), if there is one."""
    username = store.value(SettingKey.ESCALATION_FALLBACK_USERNAME)
    if not username:
        return None
    return User.objects.filter(username=username, is_active=True).first()


def _managers(item: DueItem) -> list[User]:
    """Who an overdue item escalates to; at least one named person whenever anyone active
    can be (issue 18): the managers of its team (the item's, its owner's (the person it
    was reassigned to, else its assignee), else its child's), else managers without a
    team, else every active manager, else the fallback named by
    ESCALATION_FALLBACK_USERNAME."""
    owner = item.reassigned_to if item.reassigned_to_id else item.assignee
    teams = {t for t in (item.team_id, getattr(owner, "team_id", None)) if t}
    if not teams and item.child is not None and item.child.team_id:
        teams = {item.child.team_id}
    managers = User.objects.filter(role=Role.MANAGER, is_active=True)
    for chosen in (
        managers.filter(team_id__in=teams) if teams else managers.none(),
        managers.filter(team__isnull=True),
        managers,
    ):
        found = list(chosen)
        if found:
            return found
    fallback = escalation_fallback()
    return [fallback] if fallback is not None else []


def _url(item: DueItem) -> str:
    if item.meeting is not None:
        return reverse("meetings:meeting", kwargs={"public_id": item.meeting.public_id})
    if item.episode is not None:
        return reverse("episodes:detail", kwargs={"public_id": item.episode.public_id})
    assert item.child is not None  # an item is about a child or a meeting
    return reverse("people:detail", kwargs={"public_id": item.child.public_id})


def _subject(item: DueItem) -> str:
    """What the item is about, without personal data: the child's reference or the meeting."""
    if item.child is not None:
        return item.child.reference
    return str(item.meeting)


def _tell(users: Iterable[User], item: DueItem, kind: str, title: str) -> None:
    for user in users:
        notify(user=user, kind=kind, title=title, url=_url(item), child=item.child, due_item=item)


def run_scheduled_checks(
    now: datetime.datetime | None = None,
    *,
    stale_for: float | None = STALE_SECONDS,
    batch: int | None = None,
) -> CheckResult:
    """Bring in step the children whose items time alone may have changed since their last
    check (`engine.children_due`), and warn and escalate; then the children whose settings
    changed or who were never checked, `batch` at a time (by default the engine's batch of
    the scheduled checks), for up to `stale_for` seconds (at least one batch; None: all of
    them), the rest waiting for the next run (`children_waiting`), and warn and escalate
    what they made due; then send the digests and retry emails. `now`: the time to check
    at, by default the time it is (the benchmark holds one time for runs minutes apart, so
    that what it times is a run that finds nothing changed)."""
    now = now or timezone.now()
    due = children_due(now)
    timed = sorted(pk for pk, only_time in due.items() if only_time)
    stale = sorted(pk for pk, only_time in due.items() if not only_time)
    result = CheckResult(
        children_checked=len(timed),
        items=sync_children_in_time(timed, now, only_time_passed=timed),
    )
    _warn_and_escalate(now, result)
    batch = batch or engine.SCHEDULED_BATCH
    started = time.monotonic()
    done = 0
    while done < len(stale):
        assert result.items is not None
        result.items += sync_children_in_time(stale[done : done + batch], now)
        done = min(done + batch, len(stale))
        if stale_for is not None and time.monotonic() - started >= stale_for:
            break
    result.children_checked += done
    result.children_waiting = len(stale) - done
    if done:
        # What the stale children's changes made due soon or overdue is told now, not in a
        # run's time (the others were told above; each item is told once).
        _warn_and_escalate(now, result)
    result.digests = send_daily_digests(now)
    result.emails_retried, result.emails_resent = retry_failed_emails(now)
    # The monthly retention listing (issue 20 point 1): idempotent, so every run may ask.
    result.retention_listed = retention_reviews_list(today=day_of(now))
    return result


def _warn_and_escalate(now: datetime.datetime, result: CheckResult) -> None:
    soon = now + thresholds().due_soon
    base = DueItem.objects.filter(status=DueItem.Status.OPEN).select_related(
        "child", "episode", "assignee", "reassigned_to", "meeting__series"
    )
    for item in base.filter(due_at__gt=now, due_at__lte=soon, warned_at__isnull=True):
        with transaction.atomic():
            _tell(
                _owners(item),
                item,
                Notification.Kind.DUE_SOON,
                f"Due soon for {_subject(item)}: {item.title}",
            )
            DueItem.objects.filter(pk=item.pk).update(warned_at=now)
            result.warned += 1
    for item in base.filter(due_at__lte=now, escalated_at__isnull=True):
        with transaction.atomic():
            what = f"{_subject(item)}: {item.title} ({item.rule})"
            _tell(_owners(item), item, Notification.Kind.OVERDUE, f"Overdue for {what}")
            managers = _managers(item)
            if not managers:
                # The item's id only; `manage.py check --database default` says why.
                logger.error("Overdue item %s escalated to no one: no active manager", item.pk)
            _tell(managers, item, Notification.Kind.ESCALATION, f"Escalated, overdue for {what}")
            DueItem.objects.filter(pk=item.pk).update(escalated_at=now)
            result.overdue += 1
            result.escalated += 1
