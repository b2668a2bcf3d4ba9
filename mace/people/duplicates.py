"""Possible duplicates of a child about to be created (C1): fuzzy name and date of birth."""

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from rapidfuzz import fuzz, utils

from mace.people.models import Child


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


def _candidates(date_of_birth: datetime.date) -> QuerySet[Child]:
    swapped: list[datetime.date] = []
    if date_of_birth.day <= 12:
        with contextlib.suppress(ValueError):
            swapped.append(date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month))
    near = [date_of_birth + datetime.timedelta(days=d) for d in (-1, 0, 1)]
    return (
        Child.objects.filter(merged_into__isnull=True, date_of_birth__in=near + swapped)
        .prefetch_related("aliases")
        .order_by("reference")
    )


def find_possible_duplicates(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    aliases: list[str] | None = None,
    exclude_pk: int | None = None,
) -> list[PossibleDuplicate]:
    """Children whose date of birth is alike and whose name, or an alias, is alike.

    A name is alike when rapidfuzz's token-sort ratio reaches DUPLICATE_NAME_SCORE (it
    forgives word order, case, punctuation and small misspellings); with the same date
    of birth a lower bar of 15 points under it applies, because the date already agrees.
    """
    threshold: int = settings.DUPLICATE_NAME_SCORE
    wanted = [f"{first_name} {last_name}", *(aliases or [])]
    found: list[PossibleDuplicate] = []
    for child in _candidates(date_of_birth):
        if child.pk == exclude_pk or not _dates_alike(child.date_of_birth, date_of_birth):
            continue
        names = [f"{child.first_name} {child.last_name}", child.full_name]
        names += [alias.name for alias in child.aliases.all()]
        best_score, best_name = 0, ""
        for theirs in names:
            for ours in wanted:
                score = int(fuzz.token_sort_ratio(ours, theirs, processor=utils.default_process))
                if score > best_score:
                    best_score, best_name = score, theirs
        same_dob = child.date_of_birth == date_of_birth
        bar = threshold - 15 if same_dob else threshold
        if best_score >= bar:
            found.append(PossibleDuplicate(child, best_score, same_dob, best_name))
    found.sort(key=lambda d: (-int(d.same_date_of_birth), -d.name_score))
    return found
