"""The placement and the legal status in force on a day, and a child's age on a day: one
definition each (`Placement.objects.in_force_on`, `Child.legal_status_on`, `Child.age_on`),
which the episodes, worklists, reports, returns and documents all use."""

import datetime

import pytest
from django.db.models import IntegerField, Value

from mace.lib.days import age_on, age_on_in_database
from mace.people.models import Child, LegalStatus, LegalStatusKind, Placement
from mace.people.tests.factories import ChildFactory, LegalStatusFactory, PlacementFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_placement_ending_on_the_day_is_still_in_force_that_day():
    placement = PlacementFactory(start_date=D(2026, 1, 10), end_date=D(2026, 1, 20))
    child = placement.child
    assert child.placement_on(D(2026, 1, 9)) is None
    assert child.placement_on(D(2026, 1, 10)) == placement
    assert child.placement_on(D(2026, 1, 20)) == placement
    assert child.placement_on(D(2026, 1, 21)) is None
    assert list(Placement.objects.in_force_on(D(2026, 1, 20))) == [placement]
    assert not Placement.objects.in_force_on(D(2026, 1, 21)).exists()


def test_on_a_move_day_the_placement_that_starts_that_day_is_the_one_in_force():
    """The old placement ends on the day the new one starts (both in force that day): the
    later start wins, as the tracker import and the worklists (latest first) choose."""
    old = PlacementFactory(start_date=D(2025, 6, 1), end_date=D(2026, 1, 20))
    new = PlacementFactory(child=old.child, start_date=D(2026, 1, 20), end_date=None)
    assert old.child.placement_on(D(2026, 1, 19)) == old
    assert old.child.placement_on(D(2026, 1, 20)) == new
    assert set(Placement.objects.in_force_on(D(2026, 1, 20))) == {old, new}


def test_of_two_placements_starting_the_same_day_the_later_recorded_is_in_force():
    first = PlacementFactory(start_date=D(2026, 1, 20))
    second = PlacementFactory(child=first.child, start_date=D(2026, 1, 20))
    assert first.child.placement_on(D(2026, 1, 20)) == second


def test_an_open_placement_stays_in_force():
    placement = PlacementFactory(start_date=D(2026, 1, 10), end_date=None)
    assert placement.child.placement_on(D(2099, 12, 31)) == placement


def test_the_legal_status_on_a_day_includes_the_last_day_and_is_none_outside_any_period():
    child = ChildFactory()
    LegalStatusFactory(
        child=child, status=LegalStatusKind.CIN, start_date=D(2025, 1, 1), end_date=D(2025, 12, 31)
    )
    LegalStatusFactory(child=child, status=LegalStatusKind.CLA, start_date=D(2026, 2, 1))
    assert child.legal_status_on(D(2024, 12, 31)) == LegalStatusKind.NONE
    assert child.legal_status_on(D(2025, 12, 31)) == LegalStatusKind.CIN
    assert child.legal_status_on(D(2026, 1, 15)) == LegalStatusKind.NONE  # the gap
    assert child.legal_status_on(D(2026, 2, 1)) == LegalStatusKind.CLA
    assert list(LegalStatus.objects.in_force_on(D(2026, 1, 15))) == []


def test_the_legal_status_starting_on_a_change_day_is_the_one_that_day():
    child = ChildFactory()
    LegalStatusFactory(
        child=child, status=LegalStatusKind.CIN, start_date=D(2025, 1, 1), end_date=D(2026, 2, 1)
    )
    LegalStatusFactory(child=child, status=LegalStatusKind.CLA, start_date=D(2026, 2, 1))
    assert child.legal_status_on(D(2026, 1, 31)) == LegalStatusKind.CIN
    assert child.legal_status_on(D(2026, 2, 1)) == LegalStatusKind.CLA


def test_a_period_is_in_force_during_a_span_when_it_holds_any_day_of_it():
    child = ChildFactory()
    ended = LegalStatusFactory(child=child, start_date=D(2025, 1, 1), end_date=D(2025, 3, 31))
    assert list(LegalStatus.objects.in_force_during(D(2025, 3, 31), D(2026, 3, 31))) == [ended]
    assert not LegalStatus.objects.in_force_during(D(2025, 4, 1), D(2026, 3, 31)).exists()
    assert not LegalStatus.objects.in_force_during(D(2024, 1, 1), D(2024, 12, 31)).exists()


def test_a_childs_age_on_a_day_counts_a_29_february_birthday_from_1_march():
    child = ChildFactory(date_of_birth=D(2008, 2, 29))
    assert child.age_on(D(2026, 2, 28)) == 17
    assert child.age_on(D(2026, 3, 1)) == 18
    assert child.age_on(D(2028, 2, 29)) == 20


BIRTHDAYS = [D(2008, 2, 29), D(2008, 3, 1), D(2008, 2, 28), D(2010, 12, 31), D(2011, 1, 1)]
DAYS = [D(2026, 2, 28), D(2026, 3, 1), D(2028, 2, 29), D(2026, 12, 31), D(2027, 1, 1)]


@pytest.mark.parametrize("day", DAYS)
def test_the_database_counts_ages_as_python_does(day):
    """The reporting table's age (`mace.reports.facts`) is worked out by the database."""
    for born in BIRTHDAYS:
        ChildFactory(date_of_birth=born)
    ages = dict(
        Child.objects.annotate(
            y=Value(day.year, output_field=IntegerField()),
            m=Value(day.month, output_field=IntegerField()),
            d=Value(day.day, output_field=IntegerField()),
        )
        .annotate(age=age_on_in_database("date_of_birth", year="y", month="m", day="d"))
        .values_list("date_of_birth", "age")
    )
    assert ages == {born: age_on(born, day) for born in BIRTHDAYS}
