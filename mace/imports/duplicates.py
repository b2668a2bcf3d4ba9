"""Possible duplicates at import (issue 18): a new tracker child who may be one held already.

A child row whose child_ref MACE does not hold is still imported, so its episodes land and
their timescales start (SPEC principle 1: a rule that protects a child is never silently
skipped; holding the row back would hold back the missing episodes with it). If the child
is like one held (or one created earlier in the same import under another child_ref) by the
create page's rule (`people.duplicates`: name and other names, date of birth), each pair
goes on the review list (`people.DuplicateReview`) in the same savepoint as the child: a row
lands with its review entries or not at all. The import's summary counts them and says where
to review them.

The children to match against are loaded once a chunk, by the dates of birth of the chunk's
new children (`Candidates.for_dates`), and the children the chunk creates are added as they
are made. A row rolled back takes its child with it, so a match with a child added in this
run is checked to exist (one query, only when such a match is found).
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Max
from django.urls import reverse

from mace.imports.report import ImportReport
from mace.imports.rows import POLICE_NOTIFICATION, TRACKER, ChildRow
from mace.people import domain as people_domain
from mace.people.duplicates import Candidates
from mace.people.models import Child, DuplicateReview, DuplicateReviewSource

SOURCES = {
    TRACKER: DuplicateReviewSource.TRACKER_IMPORT,
    POLICE_NOTIFICATION: DuplicateReviewSource.POLICE_NOTIFICATION,
}


class DuplicateCheck:
    """The possible duplicates of the children one import creates."""

    def __init__(self, source: str) -> None:
        self.source = SOURCES[source]
        self.candidates = Candidates()
        self.last_before = DuplicateReview.objects.aggregate(last=Max("pk"))["last"] or 0
        # Public ids of new children whose rows landed in the chunk, staged and not yet
        # inserted (Importer.flush_staged clears them once they are).
        self.staged: set[object] = set()

    def landed(self, children: Iterable[Any]) -> None:
        """Staged new children whose rows landed: they count as held."""
        self.staged.update(child.public_id for child in children)

    def load(self, rows: Iterable[ChildRow]) -> None:
        """The children alike in date of birth to these rows' (a chunk's new children)."""
        self.candidates = Candidates.for_dates(row.date_of_birth for row in rows)

    def reviews_for(self, child: Child, found_at: str) -> list[DuplicateReview]:
        """Unsaved review entries for a child just created, which is then a candidate for
        the rows after it."""
        found = self.candidates.match(
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            exclude_pk=child.pk,
        )
        added = self.candidates.added_since_loading(found)
        if added:
            held = self.staged | set(
                Child.objects.filter(public_id__in=[c.public_id for c in added]).values_list(
                    "public_id", flat=True
                )
            )
            gone = [c for c in added if c.public_id not in held]
            self.candidates.forget(gone)
            found = [m for m in found if m.child.public_id not in {c.public_id for c in gone}]
        self.candidates.add(child)
        return people_domain.new_duplicate_reviews(
            new_child=child, matches=found, source=self.source, found_at=found_at
        )

    def tell(self, report: ImportReport) -> None:
        """The review entries this import made (those of rows that landed), for its summary."""
        report.duplicates_for_review = DuplicateReview.objects.filter(
            pk__gt=self.last_before, source=self.source
        ).count()
        report.review_list = reverse("people:duplicates")
