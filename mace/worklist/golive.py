"""History before go-live (issue 18 point 1): what was due before MACE took over is recorded,
not chased.

The go-live day is `thresholds().go_live` (the setting), or, while an import runs with
`--go-live`, the day given (`go_live_for_run`). The engine asks `historical` of each item a
rule wants; an item it says is history is created closed, with the reason "Historical
(before go-live)" (DueItem.Status.HISTORICAL): it is never open, so the scheduled checks
never warn, escalate, notify or email about it, and no worklist lists it.

Which items are history, rule by rule (docs/architecture.md, "History before go-live"):

- An item about an episode (T1-T12, and T11's letter, which is about the episode that
  reached the count) is history when that episode ended before the go-live day; an episode
  still open at go-live (no return, or a return on or after the day) keeps live items, even
  ones that fell due before it (T1's grading of a child missing since 2022).
- T16 (supervision) and T20 (transition) are about the child: live when the child has an
  episode still open at go-live; otherwise history when they fell due before the day. T16's
  four-weekly cycle of a child missing or at risk at go-live starts at go-live (the
  tracker kept no supervision record), see rules.T16Supervision.
- Every other item with no episode (T13 and T15 of an assessment, T17-T19 of a missed
  education case, A3 and ACT actions, T21 minutes) is history when it fell due before the
  go-live day.

The go-live in force is the run's (an import's `--go-live`), else the setting. An import run
with `--go-live` when none is set makes its day the setting (`worklist.services.
go_live_record`): so a run's go-live still applies when the scheduled checks run later, in
another process, and history stays history. One fact, shown and changed on the
administrators' settings page.
"""

import contextlib
import datetime
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import replace

from django.utils import timezone

from mace.episodes.models import Episode
from mace.worklist.thresholds import Thresholds, thresholds

_run_go_live: ContextVar[datetime.date | None] = ContextVar("run_go_live", default=None)

# Rules about the child rather than one episode: live while the child is missing at go-live.
CHILD_RULES = frozenset({"T16", "T20"})


@contextlib.contextmanager
def go_live_for_run(day: datetime.date | None) -> Iterator[None]:
    """Within the block, the worklist takes `day` as the go-live (an import's --go-live);
    None leaves the setting's."""
    token = _run_go_live.set(day)
    try:
        yield
    finally:
        _run_go_live.reset(token)


def go_live_held() -> datetime.date | None:
    """The go-live set for the partnership (the setting)."""
    return thresholds().go_live


def in_force(th: Thresholds | None = None) -> Thresholds:
    """The thresholds with the go-live in force: the run's, else the setting's. No query
    beyond the settings' own; the engine asks once a sync."""
    th = th or thresholds()
    day = _run_go_live.get() or th.go_live
    if day == th.go_live:
        return th
    return replace(th, go_live=day)


def go_live() -> datetime.date | None:
    return in_force().go_live


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of the go-live day, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def ended_before(episode: Episode, start: datetime.datetime) -> bool:
    return episode.returned_at is not None and episode.returned_at < start


def missing_at(episodes: Iterable[Episode], start: datetime.datetime) -> bool:
    """Whether one of the episodes began before go-live and had not ended by it."""
    return any(e.last_seen_at < start and not ended_before(e, start) for e in episodes)


def historical(
    *,
    rule: str,
    due_at: datetime.datetime,
    episode: Episode | None,
    start: datetime.datetime,
    missing_at_go_live: bool,
) -> bool:
    """Whether an item is history: see the module's docstring, rule by rule."""
    if episode is not None:
        return ended_before(episode, start)
    if rule in CHILD_RULES and missing_at_go_live:
        return False
    return due_at < start
