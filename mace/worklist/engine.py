"""Keeping the worklist in step with the facts: the rules say what is due, this saves it.

`sync_child` runs every rule for one child and reconciles the DueItem rows: new items are
created, changed deadlines move, items whose facts are now met close as done, and items no
rule asks for any more close as not needed. It also refreshes the reporting table's rows of
the child's episodes (`mace.reports.facts`). It is idempotent: running it twice changes
nothing the second time. Services call it in their transaction after changing the facts.
"""

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import TypeVar

from django.db import transaction
from django.db.models import F, Model, OneToOneRel
from django.utils import timezone

from mace.disruption.models import DisruptionAction
from mace.documents.models import DirectorLetter
from mace.education.calendar import SchoolCalendar
from mace.education.models import CMECase, Term
from mace.education.terms import home_calendar
from mace.episodes.models import Episode, EpisodeNotification, RiskGrading
from mace.exploitation.models import Assessment
from mace.interviews.models import InterviewOffer, SafeAndWellCheck
from mace.lib.bulk import insert_new, maker, update_many
from mace.meetings.models import (
    MeetingAction,
    PanelAction,
    PanelMeeting,
    StrategyMeeting,
    SupervisionDiscussion,
    TransitionReferral,
)
from mace.people.models import Child, Placement
from mace.reports import facts as report_facts
from mace.worklist import golive
from mace.worklist.models import DueItem, Recheck
from mace.worklist.rules import RULES, T21, ChildFacts, Due, Grading, next_change
from mace.worklist.thresholds import Thresholds, thresholds

_Row = TypeVar("_Row", bound=Model)


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    closed: int = 0
    reopened: int = 0

    def __iadd__(self, other: "SyncResult") -> "SyncResult":
        self.created += other.created
        self.moved += other.moved
        self.closed += other.closed
        self.reopened += other.reopened
        return self

    @property
    def changed(self) -> int:
        return self.created + self.moved + self.closed + self.reopened


def load_facts(child: Child, now: datetime.datetime | None = None) -> ChildFacts:
    return load_facts_for([child], now)[child.pk]


# Children whose facts are loaded by one query a table (each query lists their ids).
FACTS_BATCH = 200
# Episodes whose gradings, notifications, offers and checks are read by one query each.
EPISODES_A_QUERY = 5000


@dataclass
class Written:
    """Episodes a writer has just written, as instances, with their risk gradings and interview
    offers (the tracker import's new episodes, which it inserted itself): `load_facts_for`
    takes a child's episodes from here rather than reading them back, when they are every
    episode the database holds for the child (compared by id, so an episode held before, or
    recorded by someone else since, has the child read as usual). Each episode has its
    placement and its return interview, or none, set on it as the writer made them. Nothing
    else is recorded against an episode written (a notification, a safe-and-well check): no
    one else sees it before the writer's transaction ends."""

    episodes: dict[int, list[Episode]] = field(default_factory=lambda: defaultdict(list))
    gradings: list[RiskGrading] = field(default_factory=list)
    offers: list[InterviewOffer] = field(default_factory=list)

    def forget(self, child_id: int) -> None:
        """The child's records were written to otherwise too: read them back."""
        self.episodes.pop(child_id, None)

    def whole(self, child_ids: Collection[int]) -> dict[int, list[Episode]]:
        """Of these children, those whose episodes held are exactly the ones written (by id),
        their episodes in the order the rules read them."""
        written = {pk: self.episodes[pk] for pk in child_ids if self.episodes.get(pk)}
        if not written:
            return {}
        held: dict[int, set[int]] = defaultdict(set)
        for child_id, pk in Episode.objects.filter(child_id__in=list(written)).values_list(
            "child_id", "pk"
        ):
            held[child_id].add(pk)
        whole = {}
        for child_id, episodes in written.items():
            if held[child_id] == {episode.pk for episode in episodes}:
                for episode in episodes:
                    if not _INTERVIEW.is_cached(episode):
                        _INTERVIEW.set_cached_value(episode, None)  # none: as a join gives it
                whole[child_id] = sorted(episodes, key=lambda episode: episode.last_seen_at)
        return whole


# An episode's return interview (a reverse one-to-one), cached on the episode as a query's
# select_related caches it, so that the rules' reading it asks no query.
_INTERVIEW: OneToOneRel = Episode.return_interview.related


def load_facts_for(
    children: Sequence[Child],
    now: datetime.datetime | None = None,
    written: Written | None = None,
) -> dict[int, ChildFacts]:
    """The facts of several children, a few queries for all of them rather than a few each
    (an import brings hundreds of children in step at once). Keyed by the child's pk.
    `written`: episodes just written, taken as they are where they are a child's all."""
    now = now or timezone.now()
    ids = sorted({child.pk for child in children})
    facts: dict[int, ChildFacts] = {}
    calendar: SchoolCalendar | None = None
    for start in range(0, len(ids), FACTS_BATCH):
        batch = ids[start : start + FACTS_BATCH]
        episodes = written.whole(batch) if written is not None else {}
        as_written = {episode.pk for held in episodes.values() for episode in held}
        read = [pk for pk in batch if pk not in episodes]
        episodes.update(
            _by_child(
                Episode.objects.filter(child_id__in=read)
                .select_related("placement__placing_authority", "return_interview__worker")
                .order_by("last_seen_at")
            )
            if read
            else {}
        )
        # The episodes' own records by the episodes' ids, just read: no join to the episodes
        # again (at regional scale the import's 40 grading queries took 0.92 s with the join,
        # planning included, and 0.16 s by the ids).
        # A few thousand ids a query: a child missing often has hundreds of episodes, and a
        # statement takes at most 65,535 parameters.
        # A written episode's records are those written with it: the others' are read.
        episode_ids = [
            episode.pk
            for held in episodes.values()
            for episode in held
            if episode.pk not in as_written
        ]
        gradings: dict[int, list[Grading]] = defaultdict(list)
        notifications: dict[int, set[tuple[str, str]]] = defaultdict(set)
        offered: set[int] = set()
        checked: set[int] = set()
        if as_written:
            assert written is not None
            for grading in sorted(written.gradings, key=lambda grading: grading.pk):
                if grading.episode.pk in as_written:
                    gradings[grading.episode.pk].append(
                        Grading(pk=grading.pk, grade=grading.grade, graded_at=grading.graded_at)
                    )
            offered.update(
                offer.interview.episode.pk
                for offer in written.offers
                if offer.interview.episode.pk in as_written
            )
        for part_start in range(0, len(episode_ids), EPISODES_A_QUERY):
            part = episode_ids[part_start : part_start + EPISODES_A_QUERY]
            for episode_id, pk, grade, graded_at in RiskGrading.objects.filter(
                episode_id__in=part
            ).values_list("episode_id", "pk", "grade", "graded_at"):
                gradings[episode_id].append(Grading(pk=pk, grade=grade, graded_at=graded_at))
            for episode_id, recipient, stage in EpisodeNotification.objects.filter(
                episode_id__in=part
            ).values_list("episode_id", "recipient", "stage"):
                notifications[episode_id].add((recipient, stage))
            offered.update(
                InterviewOffer.objects.filter(interview__episode_id__in=part)
                .order_by()
                .values_list("interview__episode_id", flat=True)
                .distinct()
            )
            checked.update(
                SafeAndWellCheck.objects.filter(episode_id__in=part).values_list(
                    "episode_id", flat=True
                )
            )
        cme_cases = _by_child(CMECase.objects.filter(child_id__in=batch).select_related("officer"))
        if cme_cases and calendar is None:
            calendar = home_calendar()
        placements = _by_child(
            Placement.objects.filter(child_id__in=batch).select_related("placing_authority")
        )
        meetings = _by_child(StrategyMeeting.objects.filter(child_id__in=batch))
        letters = _by_child(DirectorLetter.objects.filter(child_id__in=batch))
        supervision = _by_child(SupervisionDiscussion.objects.filter(child_id__in=batch))
        assessments = _by_child(
            Assessment.objects.filter(child_id__in=batch).order_by("assessed_at", "pk")
        )
        disruption = _by_child(
            DisruptionAction.objects.filter(child_id__in=batch).select_related("owner", "monitor")
        )
        panel_actions = _by_child(
            PanelAction.objects.filter(child_id__in=batch).select_related("owner")
        )
        meeting_actions: dict[int, list[MeetingAction]] = defaultdict(list)
        for action in (
            MeetingAction.objects.filter(meeting__child_id__in=batch)
            .select_related("owner")
            .annotate(facts_child_id=F("meeting__child_id"))
        ):
            meeting_actions[action.facts_child_id].append(action)
        referrals = _by_child(TransitionReferral.objects.filter(child_id__in=batch))
        held = Child.objects.select_related("allocated_worker", "team").filter(pk__in=batch)
        for child in held:
            pk = child.pk
            facts[pk] = ChildFacts(
                child=child,
                episodes=episodes.get(pk, []),
                placements=placements.get(pk, []),
                strategy_meetings=meetings.get(pk, []),
                director_letters=letters.get(pk, []),
                supervision=supervision.get(pk, []),
                now=now,
                assessments=assessments.get(pk, []),
                disruption_actions=disruption.get(pk, []),
                panel_actions=panel_actions.get(pk, []),
                meeting_actions=meeting_actions.get(pk, []),
                transition_referrals=referrals.get(pk, []),
                cme_cases=cme_cases.get(pk, []),
                school_calendar=calendar if pk in cme_cases else None,
                gradings={e.pk: gradings[e.pk] for e in episodes.get(pk, ()) if e.pk in gradings},
                notifications={
                    e.pk: notifications[e.pk] for e in episodes.get(pk, ()) if e.pk in notifications
                },
                offered={e.pk for e in episodes.get(pk, ()) if e.pk in offered},
                checked_safe_and_well={e.pk for e in episodes.get(pk, ()) if e.pk in checked},
            )
    missing = [pk for pk in ids if pk not in facts]
    if missing:
        raise Child.DoesNotExist(f"No child with pk {missing[0]}")
    return facts


def _by_child(rows: Iterable[_Row]) -> dict[int, list[_Row]]:
    """Rows in the order the query gave them, grouped by their child."""
    grouped: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        grouped[row.child_id].append(row)  # type: ignore[attr-defined]
    return grouped


def wanted(facts: ChildFacts, settings_now: Thresholds | None = None) -> list[Due]:
    """What the rules want for the child; with a go-live, what is history marked so
    (worklist.golive). `settings_now`: the thresholds in force, read once for many children."""
    settings_now = settings_now or golive.in_force()
    dues = [due for rule in RULES for due in rule.due(facts, settings_now)]
    if settings_now.go_live is None:
        return dues
    start = golive.start_of(settings_now.go_live)
    missing = golive.missing_at(facts.episodes, start)
    return [
        replace(due, history=True)
        if golive.historical(
            rule=due.rule,
            due_at=due.due_at,
            episode=due.episode,
            start=start,
            missing_at_go_live=missing,
        )
        else due
        for due in dues
    ]


# The children whose syncs wait for the end of `syncs_deferred` (None: syncs are not deferred).
_deferred: ContextVar[dict[int, Child] | None] = ContextVar("deferred_syncs", default=None)


@contextmanager
def syncs_deferred() -> Iterator[None]:
    """Within it, `sync_child` only notes the child; on leaving it (without an error), every
    child noted is brought in step once, all together (`sync_children`, whose result is the
    one of syncing after each change). For code that records many things about the same
    children in one go through the services, such as the demonstration data: a sync reads
    the child's whole history, so one a record costs far more than the record. Nested, the
    outermost syncs."""
    if _deferred.get() is not None:
        yield
        return
    noted: dict[int, Child] = {}
    token = _deferred.set(noted)
    try:
        yield
    finally:
        _deferred.reset(token)
    if noted:
        sync_children(list(noted.values()))


@transaction.atomic
def sync_child(child: Child) -> SyncResult:
    """Bring the child's worklist items, and the reporting table's rows of their episodes,
    in step with what is recorded (within `syncs_deferred`: at its end)."""
    if (noted := _deferred.get()) is not None:
        noted[child.pk] = child
        return SyncResult()
    report_facts.refresh([child.pk])
    facts = load_facts(child)
    existing = {item.key: item for item in DueItem.objects.select_for_update().filter(child=child)}
    settings_now = golive.in_force()
    result = _reconcile(existing, wanted(facts, settings_now), child=child)
    _write_rechecks({child.pk: facts}, settings_now)
    return result


@transaction.atomic
def sync_children(children: Sequence[Child], written: Written | None = None) -> SyncResult:
    """`sync_child` for each of these children, their facts and items loaded together (the
    tracker import brings a chunk's children in step at its end, with the episodes it has
    just `written`). The result is the one of syncing after each change: what a change
    leaves behind that a later one overtakes (T16's cycle, when an earlier episode is
    recorded later) the rules give as superseded."""
    report_facts.refresh([child.pk for child in children])
    facts_by_child = load_facts_for(children, written=written)
    existing_by_child: dict[int, dict[str, DueItem]] = defaultdict(dict)
    ids = sorted(facts_by_child)
    for start in range(0, len(ids), FACTS_BATCH):
        held = DueItem.objects.select_for_update().filter(
            child_id__in=ids[start : start + FACTS_BATCH]
        )
        for item in held:
            assert item.child_id is not None
            existing_by_child[item.child_id][item.key] = item
    result = SyncResult()
    plan = _Plan()
    settings_now = golive.in_force()
    for pk in ids:
        facts = facts_by_child[pk]
        result += _plan(existing_by_child[pk], wanted(facts, settings_now), plan, child=facts.child)
    plan.write()
    _write_rechecks(facts_by_child, settings_now)
    return result


# Children the scheduled checks bring in step together, in one transaction a batch: their
# facts loaded with one query a table, their items' changes written together.
SCHEDULED_BATCH = 500


def sync_children_in_time(
    child_ids: Sequence[int],
    now: datetime.datetime | None = None,
    *,
    only_time_passed: Collection[int] = (),
) -> SyncResult:
    """What `sync_child` does for each of these children, for the scheduled checks: a batch at
    a time, and the reporting table's rows rewritten only for children whose rows are not
    what the records give. Those rows do not depend on the time (a child's age is on the
    episode's day), and every service refreshes them with its change. Children in
    `only_time_passed` (their recheck row is in step with the settings, and only its time
    has come) are not compared at all: when only time has passed the run reads and writes
    nothing of the table (issue 17). A change written around the services to any other child
    checked is still brought in step here, as `sync_child` did."""
    result = SyncResult()
    ids = sorted(set(child_ids))
    timed = set(only_time_passed)
    for start in range(0, len(ids), SCHEDULED_BATCH):
        batch = ids[start : start + SCHEDULED_BATCH]
        result += _sync_batch_in_time(batch, now, [pk for pk in batch if pk not in timed])
    return result


@transaction.atomic
def _sync_batch_in_time(
    ids: list[int], now: datetime.datetime | None, compare: list[int]
) -> SyncResult:
    if compare:
        stale = report_facts.out_of_step_children(among=compare)
        if stale:
            report_facts.refresh(sorted(stale))
    facts_by_child = load_facts_for(list(Child.objects.filter(pk__in=ids).only("pk")), now)
    existing_by_child: dict[int, dict[str, DueItem]] = defaultdict(dict)
    for item in DueItem.objects.select_for_update().filter(child_id__in=ids):
        assert item.child_id is not None
        existing_by_child[item.child_id][item.key] = item
    result = SyncResult()
    plan = _Plan()
    settings_now = golive.in_force()
    for pk in sorted(facts_by_child):
        facts = facts_by_child[pk]
        result += _plan(existing_by_child[pk], wanted(facts, settings_now), plan, child=facts.child)
    plan.write()
    _write_rechecks(facts_by_child, settings_now)
    return result


def recheck_basis(settings_now: Thresholds) -> str:
    """A hash of what the rules read besides a child's records: the thresholds in force (the
    go-live included) and the home authority's term dates (T17-T19 count school days). A
    change of either makes every child's recheck row stale (`children_to_check`)."""
    terms = Term.objects.filter(authority_code=settings_now.home_authority_ons_code).values_list(
        "school_year", "name", "start", "end", "half_term_start", "half_term_end"
    )
    text = repr((settings_now, sorted(terms)))
    return hashlib.sha256(text.encode()).hexdigest()


def _write_rechecks(facts_by_child: Mapping[int, ChildFacts], settings_now: Thresholds) -> None:
    """Each child's recheck row: when time alone next changes their items
    (`rules.next_change`), on the settings of now. Written only where it differs, so a
    check that finds nothing changed writes nothing."""
    if not facts_by_child:
        return
    basis = recheck_basis(settings_now)
    wanted_at = {pk: next_change(facts, settings_now) for pk, facts in facts_by_child.items()}
    held = {
        row.child_id: row
        for row in Recheck.objects.filter(child_id__in=list(wanted_at)).only(
            "child_id", "due_at", "basis"
        )
    }
    new: list[Recheck] = []
    changed: list[Recheck] = []
    for pk, due_at in wanted_at.items():
        row = held.get(pk)
        if row is None:
            new.append(Recheck(child_id=pk, due_at=due_at, basis=basis))
        elif row.due_at != due_at or row.basis != basis:
            row.due_at, row.basis = due_at, basis
            changed.append(row)
    insert_new(Recheck, new)
    Recheck.objects.bulk_update(changed, ["due_at", "basis"], batch_size=FACTS_BATCH)


@transaction.atomic
def sync_meeting(meeting: PanelMeeting) -> SyncResult:
    """Keep a meeting's own item (T21, the minutes) in step with the meeting."""
    meeting = PanelMeeting.objects.select_related("series__chair").get(pk=meeting.pk)
    existing = {
        item.key: item for item in DueItem.objects.select_for_update().filter(meeting=meeting)
    }
    settings_now = golive.in_force()
    due = T21.due(meeting, settings_now)
    if due is not None and settings_now.go_live is not None:
        start = golive.start_of(settings_now.go_live)
        if golive.historical(
            rule=due.rule, due_at=due.due_at, episode=None, start=start, missing_at_go_live=False
        ):
            due = replace(due, history=True)
    return _reconcile(existing, [due] if due else [], meeting=meeting)


@dataclass
class _Plan:
    """The writes reconciling decided on, made together: new items in one insert."""

    new: dict[str, DueItem] = field(default_factory=dict)
    changed: dict[str, tuple[DueItem, set[str]]] = field(default_factory=dict)

    def write(self) -> None:
        insert_new(DueItem, list(self.new.values()))  # COPY on PostgreSQL
        if len(self.changed) == 1:
            for item, names in self.changed.values():
                item.save(update_fields=[*names, "updated_at"])
            return
        # Many changed items (a chunk of the import, a batch of the scheduled checks): one
        # update for each set of fields changed, rather than one a row.
        now = timezone.now()
        by_fields: dict[tuple[str, ...], list[DueItem]] = defaultdict(list)
        for item, names in self.changed.values():
            item.updated_at = now
            by_fields[tuple(sorted(names))].append(item)
        for fields, items in by_fields.items():
            update_many(DueItem, items, [*fields, "updated_at"])  # one UPDATE on PostgreSQL


def _reconcile(
    existing: dict[str, DueItem],
    wanted_items: list[Due],
    *,
    child: Child | None = None,
    meeting: PanelMeeting | None = None,
) -> SyncResult:
    plan = _Plan()
    result = _plan(existing, wanted_items, plan, child=child, meeting=meeting)
    plan.write()
    return result


def _plan(
    existing: dict[str, DueItem],
    wanted_items: list[Due],
    plan: _Plan,
    *,
    child: Child | None = None,
    meeting: PanelMeeting | None = None,
) -> SyncResult:
    """Decide what reconciling `existing` with what is wanted writes, into `plan`; the
    items of `existing` (and the new ones, added to it) take their new values."""
    result = SyncResult()
    now = timezone.now()
    seen: set[str] = set()
    new_item = _item_maker()

    def changing(item: DueItem, names: list[str]) -> None:
        if item.key not in plan.new:
            plan.changed.setdefault(item.key, (item, set()))[1].update(names)

    for due in wanted_items:
        seen.add(due.key)
        item = existing.get(due.key)
        status = _status(due)
        fields = {
            "rule": due.rule,
            "title": due.title,
            "episode": due.episode,
            "assignee": due.assignee,
            "team": due.team,
            "role": due.role,
            "due_at": due.due_at,
        }
        if item is None:
            item = new_item(
                due.key,
                child,
                meeting,
                status,
                None if status == DueItem.Status.OPEN else now,
                *fields.values(),
            )
            existing[due.key] = plan.new[due.key] = item
            result.created += 1
            continue
        changed = [name for name, value in fields.items() if _differs(item, name, value)]
        if "due_at" in changed:
            result.moved += 1
            item.warned_at = None
            item.escalated_at = None
            changed += ["warned_at", "escalated_at"]
        for name in changed:
            if name not in ("warned_at", "escalated_at"):
                setattr(item, name, fields[name])
        if item.status != status:
            if status == DueItem.Status.OPEN:
                result.reopened += 1
                item.closed_at = None
            else:
                result.closed += 1
                item.closed_at = now
            item.status = status
            changed += ["status", "closed_at"]
        if changed:
            changing(item, changed)
    for key, item in existing.items():
        if key not in seen and item.status == DueItem.Status.OPEN:
            item.status = DueItem.Status.NOT_NEEDED
            item.closed_at = now
            changing(item, ["status", "closed_at"])
            result.closed += 1
    return result


@functools.cache
def _item_maker() -> Callable[..., DueItem]:
    """A new item from its key, child, meeting, status and closed_at, then the fields `_plan`
    sets (rule, title, episode, assignee, team, role, due_at), as DueItem(...) makes it."""
    return maker(
        DueItem,
        (
            "key",
            "child",
            "meeting",
            "status",
            "closed_at",
            "rule",
            "title",
            "episode",
            "assignee",
            "team",
            "role",
            "due_at",
        ),
    )


def _status(due: Due) -> str:
    """Done when done; else history before go-live (worklist.golive); else not needed when
    overtaken (T16); else open."""
    if due.done:
        return DueItem.Status.DONE
    if due.history:
        return DueItem.Status.HISTORICAL
    if due.superseded:
        return DueItem.Status.NOT_NEEDED
    return DueItem.Status.OPEN


def _differs(item: DueItem, name: str, value: object) -> bool:
    if name in ("episode", "assignee", "team"):
        current_id = getattr(item, f"{name}_id")
        return current_id != (value.pk if value is not None else None)  # type: ignore[attr-defined]
    return bool(getattr(item, name) != value)


def children_to_check(now: datetime.datetime) -> list[int]:
    """Children whose items the scheduled checks must bring in step (issue 17): those whose
    recheck row is due (time alone may have changed their items), stale (the settings
    changed since), or missing (never brought in step by this engine). Every other child's
    items can change only with their records, and every service brings those in step as it
    writes them; a change written around the services to such a child waits until the
    child is next due (docs/performance.md)."""
    return sorted(set(children_due(now)))


def children_due(now: datetime.datetime) -> dict[int, bool]:
    """`children_to_check`, each with whether only time has passed for them (their row is in
    step with the settings): for those the reporting table needs no comparing."""
    basis = recheck_basis(golive.in_force())
    due: dict[int, bool] = {}
    for pk, row_basis in Recheck.objects.filter(due_at__lte=now).values_list("child_id", "basis"):
        due[pk] = row_basis == basis
    for pk in Recheck.objects.exclude(basis=basis).values_list("child_id", flat=True):
        due[pk] = False
    for pk in Child.objects.filter(recheck__isnull=True).values_list("pk", flat=True):
        due[pk] = False
    return due


def children_maybe_due(now: datetime.datetime) -> list[int]:
    """The old, wider selection: children with open items or recent episodes, whose items
    might change with time alone. The benchmark times checking these as "every child"."""
    th = thresholds()
    recent = now - th.supervision_active_for - th.supervision_every
    with_open = DueItem.objects.filter(status=DueItem.Status.OPEN, child__isnull=False).values_list(
        "child_id", flat=True
    )
    with_recent = Episode.objects.filter(reported_at__gte=recent).values_list("child_id", flat=True)
    return sorted(set(with_open) | set(with_recent))
