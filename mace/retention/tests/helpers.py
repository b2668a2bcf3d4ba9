"""Records due for deletion, for the retention tests (fictional, from the factories)."""

import datetime

from django.utils import timezone

from mace.education.models import CMECase, CMEReason
from mace.intelligence.models import IntelligenceNote
from mace.lib.days import add_months
from mace.people.models import Child, LegalStatusKind
from mace.people.tests.factories import ChildFactory, LegalStatusFactory


def born_years_ago(years: int, days_more: int = 10) -> datetime.date:
    today = timezone.localdate()
    return add_months(today, -12 * years) - datetime.timedelta(days=days_more)


def child_over_25(**kwargs: object) -> Child:
    """A child whose 25th birthday was ten days ago: due under the children's records rule."""
    child: Child = ChildFactory.create(date_of_birth=born_years_ago(25), **kwargs)
    return child


def looked_after(child: Child) -> Child:
    LegalStatusFactory(
        child=child,
        status=LegalStatusKind.CLA,
        start_date=child.date_of_birth + datetime.timedelta(days=365 * 14),
        end_date=child.date_of_birth + datetime.timedelta(days=365 * 16),
    )
    return child


def missing_education(child: Child, by) -> CMECase:
    return CMECase.objects.create(
        child=child,
        created_by=by,
        reason=CMEReason.values[0],
        absent_since=child.date_of_birth + datetime.timedelta(days=365 * 12),
        destination=CMECase.Destination.UNKNOWN,
    )


def note_recorded(months_ago: int, *, child: Child | None = None, person=None, by=None):
    note = IntelligenceNote.objects.create(
        child=child, person=person, text="Seen with an older male", source="Police", recorded_by=by
    )
    recorded = timezone.now() - datetime.timedelta(days=31 * months_ago)
    IntelligenceNote.objects.filter(pk=note.pk).update(recorded_at=recorded)
    note.refresh_from_db()
    return note
