"""The duplicate rule (C1, issue 18 point 4): with the same date of birth, names one letter
apart always match; otherwise the fuzzy score must reach DUPLICATE_NAME_SCORE (85), with no
lower bar."""

import csv
import datetime

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from mace.demo.tracker import write_tracker_export
from mace.people.duplicates import Candidates, alike_dates, find_possible_duplicates
from mace.people.models import Child, ChildIdentifier, DuplicateReview
from mace.people.tests.factories import ChildFactory

BORN = datetime.date(2011, 6, 14)

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9).map(str.title)


@st.composite
def one_letter_off(draw):
    """A name and the same name with one letter dropped, added, changed or swapped."""
    name = draw(names)
    at = draw(st.integers(min_value=0, max_value=len(name) - 1))
    letter = draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    edit = draw(st.sampled_from(["drop", "add", "change", "swap"]))
    if edit == "drop":
        other = name[:at] + name[at + 1 :]
    elif edit == "add":
        other = name[:at] + letter + name[at:]
    elif edit == "change":
        other = name[:at] + letter + name[at + 1 :]
    else:
        at = min(at, len(name) - 2)
        other = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    return name, other


def _held(first: str, last: str, born: datetime.date) -> Candidates:
    """Matching in memory: the candidates for these dates, holding one child (not saved)."""
    candidates = Candidates()
    candidates.loaded.update(alike_dates(born))
    candidates.add(Child(first_name=first, last_name=last, date_of_birth=born))
    return candidates


@settings(max_examples=300, deadline=None)
@given(pair=one_letter_off(), last=names, first_name_misspelt=st.booleans())
def test_same_date_of_birth_and_names_one_letter_apart_always_match(
    pair, last, first_name_misspelt
):
    name, misspelt = pair
    if first_name_misspelt:
        held, typed = (name, last), (misspelt, last)
    else:
        held, typed = (last, name), (last, misspelt)
    candidates = _held(*held, BORN)
    found = candidates.match(
        first_name=typed[0],
        last_name=typed[1],
        date_of_birth=BORN,
        exclude_pk=-1,  # the child held is not saved: no primary key to leave out
    )
    assert len(found) == 1
    assert found[0].same_date_of_birth


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("held", "typed"),
    [
        (("John", "Mensah"), ("Jonh", "Mensah")),
        (("Sarah", "Kowalski"), ("Sara", "Kowalski")),
        (("Bo", "Ng"), ("Ob", "Ng")),  # a swap in a short name scores 40
        (("Ed", "Li"), ("De", "Li")),
    ],
)
def test_the_one_letter_pairs_match_with_the_same_date_of_birth(held, typed):
    child = ChildFactory(first_name=held[0], last_name=held[1], date_of_birth=BORN)
    found = find_possible_duplicates(first_name=typed[0], last_name=typed[1], date_of_birth=BORN)
    assert [d.child for d in found] == [child]


@pytest.mark.django_db
def test_a_short_name_one_letter_apart_with_a_date_a_day_apart_needs_the_score():
    ChildFactory(first_name="Bo", last_name="Ng", date_of_birth=BORN)
    assert (
        find_possible_duplicates(
            first_name="Ob", last_name="Ng", date_of_birth=BORN + datetime.timedelta(days=1)
        )
        == []
    )


@pytest.mark.django_db
def test_with_the_same_date_of_birth_a_score_under_85_is_not_a_match():
    # Two letters dropped and one changed: token-sort ratio 82.
    ChildFactory(first_name="Taylor", last_name="Whitcombe", date_of_birth=BORN)
    found = find_possible_duplicates(first_name="Tayla", last_name="Whitcom", date_of_birth=BORN)
    assert found == []


@pytest.mark.django_db
def test_the_demo_tracker_exports_near_duplicates_are_both_found_at_import(tmp_path):
    export = write_tracker_export(tmp_path, years=2, children=12, seed=2026)
    call_command(
        "import_tracker",
        "--children",
        str(export.children),
        "--episodes",
        str(export.episodes),
        "--quiet",
    )
    with export.children.open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    by_ref = {
        identifier.value: identifier.child
        for identifier in ChildIdentifier.objects.filter(kind=ChildIdentifier.Kind.TRACKER)
    }
    twins = {}
    for row in rows:
        twins.setdefault((row["date_of_birth"], row["last_name"]), []).append(row["child_ref"])
    expected = {
        (by_ref[later], by_ref[first]) for first, later in (r for r in twins.values() if len(r) > 1)
    }
    assert len(expected) == export.near_duplicates == 2
    reviews = DuplicateReview.objects.filter(source=DuplicateReview.Source.TRACKER_IMPORT)
    assert {(r.new_child, r.matched_child) for r in reviews} == expected
