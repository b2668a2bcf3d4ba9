"""Possible duplicates of a child (C1): fuzzy name and aliases, and date of birth.

One rule for every way a child arrives: the create page warns of them
(`find_possible_duplicates`), and the tracker import and education notifications put a new
child who matches one held on the review list (`people.services.duplicate_reviews_open`,
issue 18). `Candidates` loads the children whose dates of birth are alike to a whole batch of
dates at once (two queries, by the indexed date of birth), and then matches any number of
names against them in memory, so an import of thousands of rows asks the database once a
chunk, not once a row.
"""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from rapidfuzz import fuzz, utils
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
)


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
        self._child = child
        if child is not None:
            self.pk, self.public_id = child.pk, child.public_id
        else:
            assert values is not None
            record: dict[str, Any] = dict(zip(_HELD_FIELDS, values, strict=True))
            self.pk, self.public_id = record["id"], record["public_id"]

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
class Candidates:
    """The children (not merged away) born on some dates, with their names and aliases, to
    match many new children against: `for_dates` loads them all at once; `match` asks no
    query for a date loaded (one not loaded is loaded then); `add` adds a child created
    since, so children created in one batch are matched against each other too."""

    by_date: dict[datetime.date, list[_Candidate]] = field(
        default_factory=lambda: defaultdict(list)
    )
    loaded: set[datetime.date] = field(default_factory=set)
    added: set[object] = field(default_factory=set)  # public ids of the children `add`ed

    @classmethod
    def for_dates(cls, dates: Iterable[datetime.date]) -> "Candidates":
        candidates = cls()
        candidates.load(dates)
        return candidates

    def load(self, dates: Iterable[datetime.date]) -> None:
        wanted = sorted({near for day in dates for near in alike_dates(day)} - self.loaded)
        for start in range(0, len(wanted), DATES_A_QUERY):
            batch = wanted[start : start + DATES_A_QUERY]
            held = Q(merged_into__isnull=True, date_of_birth__in=batch)
            aliases: dict[int, list[str]] = defaultdict(list)
            # Read as plain values: a related manager a child would cost a queryset each.
            other_names = ChildAlias.objects.filter(
                child__merged_into__isnull=True, child__date_of_birth__in=batch
            ).order_by("name")
            for child_id, name in other_names.values_list("child_id", "name"):
                aliases[child_id].append(name)
            rows = Child.objects.filter(held).order_by("reference").values_list(*_HELD_FIELDS)
            at = {name: index for index, name in enumerate(_HELD_FIELDS)}
            for values in rows:
                names = _names(
                    values[at["first_name"]],
                    values[at["middle_names"]],
                    values[at["last_name"]],
                    aliases.get(values[at["id"]], []),
                )
                self.by_date[values[at["date_of_birth"]]].append(
                    _Candidate(names=names, values=values)
                )
            self.loaded.update(batch)

    def add(self, child: Child, aliases: Iterable[str] = ()) -> None:
        """A child created after loading (by the same import or upload)."""
        if child.date_of_birth in self.loaded:
            names = _names(child.first_name, child.middle_names, child.last_name, aliases)
            self.by_date[child.date_of_birth].append(_Candidate(names=names, child=child))
            self.added.add(child.public_id)

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
            for candidate in self.by_date.get(day, []):
                if candidate.pk == exclude_pk or candidate.public_id in seen:
                    continue
                seen.add(candidate.public_id)
                same_dob = day == date_of_birth
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

    def added_since_loading(self, found: Iterable[PossibleDuplicate]) -> list[Child]:
        """Of these matches, the children `add`ed rather than loaded (an import checks they
        still exist: a row rolled back takes its child with it)."""
        return [match.child for match in found if match.child.public_id in self.added]

    def forget(self, children: Iterable[Child]) -> None:
        """Drop these children (records rolled back since they were added)."""
        gone = {child.public_id for child in children}
        if not gone:
            return
        self.added -= gone
        for day, cands in self.by_date.items():
            self.by_date[day] = [c for c in cands if c.public_id not in gone]


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
