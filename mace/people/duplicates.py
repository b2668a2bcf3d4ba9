"""Possible duplicates of a child (C1): fuzzy name and aliases, and date of birth.

One rule for every way a child arrives: the create page warns of them
(`find_possible_duplicates`), and the tracker import and education notifications put a new
child who matches one held on the review list (`people.services.duplicate_reviews_open`,
issue 18). `Candidates` loads the children whose dates of birth are alike to a whole batch of
dates at once (two queries, by the indexed date of birth), and then matches any number of
names against them in memory, so an import of thousands of rows asks the database once a
chunk, not once a row. An import keeps them from chunk to chunk (`Candidates.refresh`): each
chunk reads only the dates not read yet and the children changed since the last read, and
a child matched is checked to be as read before it is named (`Candidates.recheck`).
"""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from mace.people.models import Child, ChildAlias

DATES_A_QUERY = 500
# What matching and the lists of matches read of a child; the rest stays in the database.
CANDIDATE_FIELDS = (
    "id",
    "public_id",
    "reference",
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "is_restricted",
    "merged_into_id",
    "updated_at",
)
# `Candidates.refresh` reads again the children changed from this long before its last
# read: for the clocks of the servers that write children, which may differ a little, and
# the time a child's `updated_at` is taken before its transaction's first statement (when
# PostgreSQL starts the transaction); and, where the database cannot tell when its oldest
# transaction in flight began (SQLite), for one that wrote a child before that read and
# committed after it.
CLOCK_MARGIN = datetime.timedelta(seconds=30)
IN_FLIGHT_MARGIN = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class PossibleDuplicate:
    child: Child
    name_score: int
    same_date_of_birth: bool
    matched_name: str


def _dates_alike(a: datetime.date, b: datetime.date) -> bool:
    """Exact, a day either side, or day and month swapped (a common keying error)."""
    if abs((a - b).days) <= 1:
        return True
    return a.year == b.year and a.day == b.month and a.month == b.day


def alike_dates(date_of_birth: datetime.date) -> list[datetime.date]:
    """The dates of birth `_dates_alike` accepts for this one."""
    dates = [date_of_birth + datetime.timedelta(days=d) for d in (-1, 0, 1)]
    if date_of_birth.day <= 12:
        with contextlib.suppress(ValueError):
            dates.append(date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month))
    return dates


# What matching and the lists of matches read of a child held, in the model's field order
# (`Child.from_db` takes them so; the other fields load if ever read).
_HELD_FIELDS = [f.attname for f in Child._meta.concrete_fields if f.attname in CANDIDATE_FIELDS]
_AT = {name: index for index, name in enumerate(_HELD_FIELDS)}


class _Candidate:
    """A child to match against: read as plain values (a model instance each would cost
    more than the matching, at an import's scale), made a `Child` only when it matches."""

    def __init__(
        self,
        *,
        names: list[tuple[str, str]],
        values: tuple[Any, ...] | None = None,
        child: Child | None = None,
    ) -> None:
        self.names = names  # (as written, as compared)
        self.values = values
        # The batch (`Candidates.refreshes`) in which it was last read or found as read:
        # none for a child added, whose row may yet be rolled back.
        self.checked = -1
        self._child = child
        if child is not None:
            self.pk, self.public_id = child.pk, child.public_id
            self.date_of_birth = child.date_of_birth
        else:
            assert values is not None
            self.pk, self.public_id = values[_AT["id"]], values[_AT["public_id"]]
            self.date_of_birth = values[_AT["date_of_birth"]]
            self._updated_at = values[_AT["updated_at"]]

    @property
    def updated_at(self) -> datetime.datetime | None:
        """When the child was last saved, as read (a child added: as it is now, once saved)."""
        if self.values is None:
            assert self._child is not None
            return self._child.updated_at
        return self._updated_at

    @property
    def child(self) -> Child:
        if self._child is None:
            assert self.values is not None
            self._child = Child.from_db("default", _HELD_FIELDS, self.values)
        return self._child


def _compared(name: str) -> str:
    return str(utils.default_process(name))


def _sorted_words(name: str) -> str:
    return " ".join(sorted(name.split()))


def one_letter_apart(ours: str, theirs: str) -> bool:
    """Two names (as compared) the same but for one letter dropped, added, changed or two
    neighbours swapped (Jonh and John, Sara and Sarah), in the order written or with the
    words in order (Smith Jonh and John Smith)."""
    if OSA.distance(ours, theirs, score_cutoff=1) <= 1:
        return True
    return OSA.distance(_sorted_words(ours), _sorted_words(theirs), score_cutoff=1) <= 1


def _names(first: str, middle: str, last: str, aliases: Iterable[str]) -> list[tuple[str, str]]:
    full = " ".join(part for part in (first, middle, last) if part)
    written = [f"{first} {last}", full, *aliases]
    return [(name, _compared(name)) for name in dict.fromkeys(written) if name.strip()]


@dataclass
class _NamesOnADate:
    """Every name of the candidates born on one date (as compared, and with the words in
    order), with the candidate each is of."""

    compared: list[str] = field(default_factory=list)
    sorted: list[str] = field(default_factory=list)
    owners: list[_Candidate] = field(default_factory=list)


@dataclass
class Candidates:
    """The children (not merged away) born on some dates, with their names and aliases, to
    match many new children against: `for_dates` loads them all at once; `match` asks no
    query for a date loaded (one not loaded is loaded then); `add` adds a child created
    since, so children created in one batch are matched against each other too; `refresh`
    keeps them for another batch, and `recheck` checks children held are as read."""

    by_date: dict[datetime.date, list[_Candidate]] = field(
        default_factory=lambda: defaultdict(list)
    )
    loaded: set[datetime.date] = field(default_factory=set)
    held: dict[object, _Candidate] = field(default_factory=dict)  # by public id
    # `refresh` reads again the children changed from this time (set by its first call).
    changes_from: datetime.datetime | None = None
    refreshes: int = 0  # how many batches `refresh` began (a candidate's `checked` is one)
    # The names of the candidates born on a date, as `_likely` compares them (made when
    # first needed, and again after a candidate of that date is held or dropped).
    _on_a_date: dict[datetime.date, "_NamesOnADate"] = field(default_factory=dict, repr=False)

    @classmethod
    def for_dates(cls, dates: Iterable[datetime.date]) -> "Candidates":
        candidates = cls()
        candidates.load(dates)
        return candidates

    def load(self, dates: Iterable[datetime.date]) -> None:
        wanted = sorted({near for day in dates for near in alike_dates(day)} - self.loaded)
        for start in range(0, len(wanted), DATES_A_QUERY):
            batch = wanted[start : start + DATES_A_QUERY]
            self.loaded.update(batch)
            self._read(Q(date_of_birth__in=batch), Q(child__date_of_birth__in=batch))

    def refresh(self, dates: Iterable[datetime.date]) -> None:
        """Ready for another batch of dates, keeping what was read for the batches before
        (an import's next chunk), at the cost of what changed rather than of every child
        alike again: the dates not read yet are read, and every child born on a date read
        who was saved since the last refresh, or given another name, is read again (one
        query each, by indexed times; from a little before, see `_changes_from`, so that
        nothing committed late is missed). A record erased since cannot be seen so:
        `recheck` a match before it is named."""
        dates = list(dates)
        self.refreshes += 1
        changes_from = _changes_from()
        if self.changes_from is not None:
            self._catch_up(self.changes_from)
        self.load(dates)
        self.changes_from = changes_from

    def recheck(self, children: Iterable[Child]) -> bool:
        """Whether any of these children held (matches, before they are named) changed
        since it was read, by one query for their times: one gone since (its row rolled
        back, its record erased) or merged away is dropped, one saved since is read again
        (and dropped if now born on a date not loaded). One read, or found as read, since
        this batch began (`refresh`) is taken as read, as when each batch read afresh."""
        ids = [
            child.public_id
            for child in children
            if self.held[child.public_id].checked != self.refreshes
        ]
        if not ids:
            return False
        now = dict(
            Child.objects.filter(public_id__in=ids, merged_into__isnull=True)
            .order_by()
            .values_list("public_id", "updated_at")
        )
        stale = {id for id in ids if now.get(id) != self.held[id].updated_at}
        for id in set(ids) - stale:
            self.held[id].checked = self.refreshes
        self._reread(stale)
        return bool(stale)

    def distrust(self) -> None:
        """Take no child held as read until it is read or checked again (a transaction in
        which some were checked rolled back, taking the children it wrote with it)."""
        self.refreshes += 1

    def add(self, child: Child, aliases: Iterable[str] = ()) -> None:
        """A child created after loading (by the same import or upload)."""
        if child.date_of_birth in self.loaded:
            names = _names(child.first_name, child.middle_names, child.last_name, aliases)
            self._hold(_Candidate(names=names, child=child))

    def _catch_up(self, since: datetime.datetime) -> None:
        stale: set[object] = set()
        changed = (
            Child.objects.filter(updated_at__gte=since)
            .order_by()
            .values_list("public_id", "date_of_birth", "updated_at")
        )
        for public_id, born, updated_at in changed:
            held = self.held.get(public_id)
            if held is None:
                if born in self.loaded:
                    stale.add(public_id)  # new to a date read
            elif held.updated_at != updated_at:
                stale.add(public_id)
            else:
                held.checked = self.refreshes  # as read (a child this import added, say)
        renamed = (
            ChildAlias.objects.filter(created_at__gte=since)
            .order_by()
            .values_list("child__public_id", "child__date_of_birth")
        )
        stale.update(id for id, born in renamed if id in self.held or born in self.loaded)
        self._reread(stale)

    def _reread(self, public_ids: Iterable[object]) -> None:
        wanted = sorted(set(public_ids), key=str)
        for public_id in wanted:
            self._drop(public_id)
        for start in range(0, len(wanted), DATES_A_QUERY):
            batch = wanted[start : start + DATES_A_QUERY]
            self._read(Q(public_id__in=batch), Q(child__public_id__in=batch))

    def _read(self, children: Q, aliases_of: Q) -> None:
        """Hold the children (not merged away) born on a date loaded that these conditions
        select, with their aliases (by `aliases_of`, the same condition on ChildAlias)."""
        aliases: dict[int, list[str]] = defaultdict(list)
        # Read as plain values: a related manager a child would cost a queryset each.
        other_names = ChildAlias.objects.filter(
            aliases_of, child__merged_into__isnull=True
        ).order_by("name")
        for child_id, name in other_names.values_list("child_id", "name"):
            aliases[child_id].append(name)
        rows = (
            Child.objects.filter(children, merged_into__isnull=True)
            .order_by("reference")
            .values_list(*_HELD_FIELDS)
        )
        for values in rows:
            if values[_AT["date_of_birth"]] not in self.loaded:
                continue  # read with its date, if ever
            names = _names(
                values[_AT["first_name"]],
                values[_AT["middle_names"]],
                values[_AT["last_name"]],
                aliases.get(values[_AT["id"]], []),
            )
            candidate = _Candidate(names=names, values=values)
            candidate.checked = self.refreshes
            self._hold(candidate)

    def _hold(self, candidate: _Candidate) -> None:
        self._drop(candidate.public_id)
        self.by_date[candidate.date_of_birth].append(candidate)
        self.held[candidate.public_id] = candidate
        self._on_a_date.pop(candidate.date_of_birth, None)

    def _drop(self, public_id: object) -> None:
        if (gone := self.held.pop(public_id, None)) is not None:
            self.by_date[gone.date_of_birth].remove(gone)
            self._on_a_date.pop(gone.date_of_birth, None)

    def match(
        self,
        *,
        first_name: str,
        last_name: str,
        date_of_birth: datetime.date,
        aliases: Iterable[str] = (),
        exclude_pk: int | None = None,
    ) -> list[PossibleDuplicate]:
        """Children whose date of birth is alike and whose name, or an alias, is alike.

        A name is alike when rapidfuzz's token-sort ratio reaches DUPLICATE_NAME_SCORE (it
        forgives word order, case, punctuation and small misspellings). With the same date
        of birth, names one letter apart (`one_letter_apart`) always match, whatever their
        score: a short name misspelt by a letter may score under the bar (Ed Li and De Li
        score 80). Otherwise the bar is the bar: there is no lower one.
        Best first: the same date of birth, then the higher score.
        """
        dates = alike_dates(date_of_birth)
        if not self.loaded.issuperset(dates):
            self.load([date_of_birth])
        threshold: int = settings.DUPLICATE_NAME_SCORE
        wanted = [_compared(name) for name in [f"{first_name} {last_name}", *aliases]]
        wanted = [name for name in dict.fromkeys(wanted) if name]
        found: list[PossibleDuplicate] = []
        seen: set[object] = set()
        for day in dates:
            same_dob = day == date_of_birth
            for candidate in self._likely(day, wanted, same_dob, threshold):
                if candidate.pk == exclude_pk or candidate.public_id in seen:
                    continue
                seen.add(candidate.public_id)
                best_score, best_name, near = 0, "", False
                for written, theirs in candidate.names:
                    for ours in wanted:
                        score = int(fuzz.token_sort_ratio(ours, theirs, processor=None))
                        if score > best_score:
                            best_score, best_name = score, written
                        if same_dob and not near and one_letter_apart(ours, theirs):
                            near = True
                if near or best_score >= threshold:
                    found.append(
                        PossibleDuplicate(candidate.child, best_score, same_dob, best_name)
                    )
        found.sort(key=lambda d: (-int(d.same_date_of_birth), -d.name_score, d.child.reference))
        return found

    def _likely(
        self, day: datetime.date, wanted: list[str], same_dob: bool, threshold: int
    ) -> list[_Candidate]:
        """The candidates born on `day` with a name that may match one of `wanted` by the
        rule of `match` (which then scores them one by one): the same comparisons, over
        all their names at once in rapidfuzz's own loop, not a Python call a pair."""
        if not (names := self._names_on(day)):
            return []
        likely: set[int] = set()
        for ours in wanted:
            for _, _, at in process.extract(
                ours,
                names.compared,
                scorer=fuzz.token_sort_ratio,
                processor=None,
                score_cutoff=threshold,
                limit=None,
            ):
                likely.add(at)
            if same_dob:
                for query, choices in ((ours, names.compared), (_sorted_words(ours), names.sorted)):
                    for _, _, at in process.extract(
                        query, choices, scorer=OSA.distance, score_cutoff=1, limit=None
                    ):
                        likely.add(at)
        return list(dict.fromkeys(names.owners[at] for at in sorted(likely)))

    def _names_on(self, day: datetime.date) -> "_NamesOnADate | None":
        if day not in self._on_a_date:
            held = self.by_date.get(day)
            if not held:
                return None
            on_day = _NamesOnADate()
            for candidate in held:
                for _, theirs in candidate.names:
                    on_day.compared.append(theirs)
                    on_day.sorted.append(_sorted_words(theirs))
                    on_day.owners.append(candidate)
            self._on_a_date[day] = on_day
        return self._on_a_date[day]


def _changes_from() -> datetime.datetime:
    """A time before every change to a child that a read now may not see: now, or the start
    of the oldest transaction in flight if earlier (PostgreSQL tells it, unless it hides
    another role's sessions; elsewhere IN_FLIGHT_MARGIN stands for it), less CLOCK_MARGIN
    (`updated_at` is the writing server's clock)."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        return now - IN_FLIGHT_MARGIN - CLOCK_MARGIN
    with connection.cursor() as cursor:
        # The activity read in a transaction is kept to its end, unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT min(xact_start), bool_or(query = '<insufficient privilege>')"
            " FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        oldest, hidden = cursor.fetchone()
    if hidden:
        now -= IN_FLIGHT_MARGIN
    return min(now, oldest or now) - CLOCK_MARGIN


def is_same_name_and_date(
    child: Child, first_name: str, last_name: str, day: datetime.date
) -> bool:
    """Exactly this name (whatever the case and outer spaces) and date of birth."""
    return (
        child.date_of_birth == day
        and child.first_name.strip().casefold() == first_name.strip().casefold()
        and child.last_name.strip().casefold() == last_name.strip().casefold()
    )


def find_possible_duplicates(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    aliases: list[str] | None = None,
    exclude_pk: int | None = None,
) -> list[PossibleDuplicate]:
    """The create page's warning: `Candidates.match` for one child."""
    return Candidates.for_dates([date_of_birth]).match(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        aliases=aliases or [],
        exclude_pk=exclude_pk,
    )
