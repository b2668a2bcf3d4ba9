"""What a child's record is, apart from who writes it: an unsaved child from its details
(`new_child`) and how new ones are saved and given their reference (`save_new_child`,
`save_new_children`, `reference_for`); a child's periods of legal status and placement
(`current_period`, `end_period`, `new_legal_status`, `new_placement`).

`people.services` and the tracker import (`mace.imports`) both create children and their
periods through these, so a child made on a page and one imported from the tracker are made
the same way (the reference MC-000123 from its id): the services save one at a time, the
import stages a chunk's new children and inserts them together. Nothing here saves but the
`save_new_*` functions; the others check values and give unsaved instances. A new child who
may be one already held goes on the review list the same way from the import and from
education (`new_duplicate_reviews`).
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, models

from mace.accounts.models import User
from mace.lib.bulk import insert_new, take_ids
from mace.lib.checks import check_values
from mace.people.duplicates import PossibleDuplicate
from mace.people.models import Child, DuplicateReview, LegalStatus, LocalAuthority, Placement

_Period = TypeVar("_Period", LegalStatus, Placement)


def new_child(**details: Any) -> Child:
    """An unsaved child with these details and a provisional reference, which
    `save_new_child` replaces. Check it with `full_clean(exclude=["reference"])`, or
    `lib.checks.check_values` of its values alone where keys are the database's to check."""
    return Child(reference=f"new-{uuid.uuid4().hex[:12]}", **details)


def reference_for(pk: int) -> str:
    """A child's reference: MC- and its id in six digits."""
    return f"MC-{pk:06d}"


def save_new_child(child: Child) -> None:
    """Save a new child and give it its reference."""
    save_new_children([child])


def take_child_ids(count: int) -> list[int] | None:
    """`count` ids for new children, taken from the table's sequence in one query, so that
    their references are known before they are inserted; None where the database has no
    sequence to take them from (SQLite)."""
    if connection.vendor != "postgresql" or count == 0:
        return None
    return take_ids(Child, count)


def save_new_children(children: Sequence[Child]) -> None:
    """Save new children, in one insert, each with its reference: on PostgreSQL their ids
    are taken first (`take_child_ids`), elsewhere the references follow in one update.
    Children given ids (and references) by the caller, from `take_child_ids`, keep them."""
    if not children:
        return
    if all(child.pk is not None for child in children):
        insert_new(Child, children)  # ids taken before (and references given)
        return
    ids = take_child_ids(len(children))
    if ids is not None:
        for child, pk in zip(children, ids, strict=True):
            child.pk = pk
            child.reference = reference_for(pk)
        insert_new(Child, children)
        return
    if len(children) == 1:
        children[0].save()
    else:
        Child.objects.bulk_create(children)
    for child in children:
        child.reference = reference_for(child.pk)
    Child.objects.bulk_update(children, ["reference"])


# Periods ----------------------------------------------------------------------------------


def current_period(periods: "models.QuerySet[_Period]") -> _Period | None:
    """The open period among these (a child's legal statuses or placements): no end date,
    the latest start."""
    return periods.filter(end_date__isnull=True).order_by("-start_date", "-id").first()


def end_period(current: _Period, start_date: datetime.date, too_early: str) -> None:
    """End `current` the day before a new period starts on `start_date` (history is kept,
    not replaced); the caller saves its end_date. A new period must start after the
    current one began: else ValidationError, `too_early` saying what to fix."""
    if start_date <= current.start_date:
        raise ValidationError(
            {"start_date": f"{too_early}, which began on {current.start_date:%-d %B %Y}"}
        )
    current.end_date = start_date - datetime.timedelta(days=1)


def new_legal_status(
    *, child: Child, status: str, start_date: datetime.date, created_by: User | None
) -> LegalStatus:
    """An unsaved legal status of `child` from `start_date`, its values checked."""
    legal_status = LegalStatus(
        child=child, status=status, start_date=start_date, created_by=created_by
    )
    check_values(legal_status)
    return legal_status


def new_placement(
    *,
    child: Child,
    kind: str,
    placing_authority: LocalAuthority,
    host_authority: LocalAuthority,
    start_date: datetime.date,
    address: str = "",
    postcode: str = "",
    provider: str = "",
) -> Placement:
    """An unsaved placement of `child` from `start_date`, its values checked (no query:
    keys are the database's to check, or the service's `full_clean`)."""
    placement = Placement(
        child=child,
        kind=kind,
        placing_authority=placing_authority,
        host_authority=host_authority,
        start_date=start_date,
        address=address,
        postcode=postcode,
        provider=provider,
    )
    check_values(placement)
    placement.clean()
    return placement


# A new child goes on the review list beside at most this many children held, the most alike
# first: one merge answers the question, and a file of many alike rows (the same date of birth
# and near names) must not fill the list with every pair.
REVIEWS_A_NEW_CHILD = 5


def new_duplicate_reviews(
    *, new_child: Child, matches: Iterable[PossibleDuplicate], source: str, found_at: str = ""
) -> list[DuplicateReview]:
    """Unsaved review entries, one for each child this newly created one may duplicate
    (issue 18). A pair is asked about once (`duplicate_review_pair_once`): a new child has no
    pair yet, so the callers need no query here. `matches` come best first."""
    others = [match for match in matches if match.child.pk != new_child.pk]
    return [
        DuplicateReview(
            new_child=new_child,
            matched_child=match.child,
            score=match.name_score,
            same_date_of_birth=match.same_date_of_birth,
            source=source,
            found_at=found_at[:200],
        )
        for match in others[:REVIEWS_A_NEW_CHILD]
    ]
