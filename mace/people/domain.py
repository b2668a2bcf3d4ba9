"""What a child's record is, apart from who writes it: an unsaved child from its details
(`new_child`) and how a new one is saved and given its reference (`save_new_child`).

`people.services.child_create` and the tracker import (`mace.imports`) both create children
through these, so a child made on a page and one imported from the tracker are made the same
way (the reference MC-000123 from its id). A new child who may be one already held goes on the
review list the same way from the import and from education (`new_duplicate_reviews`).
"""

import uuid
from collections.abc import Iterable
from typing import Any

from mace.people.duplicates import PossibleDuplicate
from mace.people.models import Child, DuplicateReview


def new_child(**details: Any) -> Child:
    """An unsaved child with these details and a provisional reference, which
    `save_new_child` replaces. Check it with `full_clean(exclude=["reference"])`, or
    `clean_fields` of its values alone where keys are the database's to check."""
    return Child(reference=f"new-{uuid.uuid4().hex[:12]}", **details)


def save_new_child(child: Child) -> None:
    """Save a new child and give it its reference, MC- and its id in six digits."""
    child.save()
    child.reference = f"MC-{child.pk:06d}"
    Child.objects.filter(pk=child.pk).update(reference=child.reference)


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
