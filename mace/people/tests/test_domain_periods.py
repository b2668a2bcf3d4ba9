"""A child's periods and new records, as the services and the tracker import both build them
(`people.domain`, issue 17): the current period, ending it the day before a new one, an
unsaved legal status or placement checked, and new children saved with their references,
one or many at once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mace.people import domain
from mace.people.models import Child, LegalStatus, LegalStatusKind, Placement
from mace.people.tests.factories import (
    ChildFactory,
    LegalStatusFactory,
    LocalAuthorityFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_current_period_is_the_open_one_that_started_last():
    child = ChildFactory()
    LegalStatusFactory(child=child, start_date=D(2025, 1, 1), end_date=D(2025, 6, 30))
    older = LegalStatusFactory(child=child, start_date=D(2025, 7, 1), end_date=None)
    latest = LegalStatusFactory(child=child, start_date=D(2026, 1, 1), end_date=None)
    assert domain.current_period(child.legal_statuses.all()) == latest
    latest.end_date = D(2026, 2, 1)
    latest.save()
    assert domain.current_period(child.legal_statuses.all()) == older
    assert domain.current_period(ChildFactory().placements.all()) is None


def test_a_period_ends_the_day_before_the_next_starts_and_the_caller_saves_it():
    placement = PlacementFactory(start_date=D(2026, 1, 10), end_date=None)
    domain.end_period(placement, D(2026, 3, 1), "The new placement must start after it")
    assert placement.end_date == D(2026, 2, 28)
    placement.refresh_from_db()
    assert placement.end_date is None  # nothing saved


@pytest.mark.parametrize("start", [D(2026, 1, 10), D(2026, 1, 9)])
def test_a_new_period_starting_before_the_next_day_is_refused_saying_why(start):
    status = LegalStatusFactory(start_date=D(2026, 1, 10), end_date=None)
    with pytest.raises(ValidationError) as refused:
        domain.end_period(status, start, "The new status must start after the current one")
    assert refused.value.message_dict["start_date"] == [
        "The new status must start after the current one, which began on 10 January 2026"
    ]
    assert status.end_date is None


def test_a_new_legal_status_is_unsaved_and_its_values_checked():
    child = ChildFactory()
    status = domain.new_legal_status(
        child=child, status=LegalStatusKind.CLA, start_date=D(2026, 1, 1), created_by=None
    )
    assert status.pk is None
    assert not LegalStatus.objects.filter(child=child).exists()
    with pytest.raises(ValidationError) as refused:
        domain.new_legal_status(child=child, status="XX", start_date=D(2026, 1, 1), created_by=None)
    assert "status" in refused.value.message_dict


def test_a_new_placement_is_unsaved_and_its_values_checked():
    child = ChildFactory()
    here, there = LocalAuthorityFactory(), LocalAuthorityFactory()
    placement = domain.new_placement(
        child=child,
        kind=Placement.Kind.FOSTER_CARE,
        placing_authority=there,
        host_authority=here,
        start_date=D(2026, 1, 1),
    )
    assert placement.pk is None
    assert placement.out_of_area
    with pytest.raises(ValidationError) as refused:
        domain.new_placement(
            child=child,
            kind="tent",
            placing_authority=there,
            host_authority=here,
            start_date=D(2026, 1, 1),
        )
    assert "kind" in refused.value.message_dict


def test_new_children_saved_together_each_get_the_reference_of_their_id():
    children = [
        domain.new_child(
            first_name=f"Alex{n}", last_name="Example", date_of_birth=D(2012, 1, 1), gender="male"
        )
        for n in range(3)
    ]
    domain.save_new_children(children)
    held = list(Child.objects.filter(last_name="Example").order_by("pk"))
    assert [child.reference for child in held] == [domain.reference_for(c.pk) for c in held]
    assert [child.pk for child in children] == [child.pk for child in held]
    assert held[0].reference == f"MC-{held[0].pk:06d}"


def test_ids_taken_ahead_are_kept_when_the_children_are_saved():
    ids = domain.take_child_ids(2)
    if connection.vendor != "postgresql":
        assert ids is None  # SQLite has no sequence to take them from
        return
    assert ids is not None
    assert len(set(ids)) == 2
    children = [
        domain.new_child(
            first_name=f"Sam{n}", last_name="Ahead", date_of_birth=D(2012, 1, 1), gender="female"
        )
        for n in range(2)
    ]
    for child, pk in zip(children, ids, strict=True):
        child.pk, child.reference = pk, domain.reference_for(pk)
    domain.save_new_children(children)
    assert sorted(Child.objects.filter(last_name="Ahead").values_list("pk", "reference")) == [
        (pk, domain.reference_for(pk)) for pk in sorted(ids)
    ]
