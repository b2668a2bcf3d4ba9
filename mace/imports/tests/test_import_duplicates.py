"""Duplicates at import (issue 18 point 4): a new tracker child like one held goes on the
review list, and the import says how many."""

import datetime

import pytest
from django.db import transaction

from mace.episodes.models import Episode
from mace.imports.duplicates import DuplicateCheck
from mace.imports.rows import TRACKER
from mace.people.models import Child, ChildIdentifier, DuplicateReview
from mace.people.tests.factories import ChildFactory

from .test_import_tracker import (
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    child_row,
    episode_row,
    import_tracker,
    write_csv,
)
from .test_import_tracker import providers as providers  # a fixture

pytestmark = pytest.mark.django_db

BORN = "2011-03-09"


@pytest.fixture
def held():
    """A child MACE holds (entered on a page: no tracker reference), with another name."""
    child = ChildFactory(
        first_name="Ottilie", last_name="Wainwright", date_of_birth=datetime.date(2011, 3, 9)
    )
    child.aliases.create(name="Tilly Okafor")
    return child


def files(tmp_path, children, episodes=()):
    return (
        write_csv(tmp_path / "children.csv", CHILD_COLUMNS, list(children)),
        write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, list(episodes)),
    )


def imported(ref):
    return ChildIdentifier.objects.get(kind=ChildIdentifier.Kind.TRACKER, value=ref).child


def test_a_new_child_with_a_misspelt_name_is_created_and_put_on_the_review_list(
    tmp_path, providers, held
):
    children, episodes = files(
        tmp_path,
        [child_row("T-9", first_name="Ottilie", last_name="Wainright", date_of_birth=BORN)],
        [episode_row("POL-9", "T-9")],
    )
    output = import_tracker(children, episodes)

    new = imported("T-9")
    assert new != held
    assert Episode.objects.get(police_reference="POL-9").child == new  # the episode landed
    review = DuplicateReview.objects.get()
    assert (review.new_child, review.matched_child) == (new, held)
    assert review.source == DuplicateReview.Source.TRACKER_IMPORT
    assert review.status == DuplicateReview.Status.OPEN
    assert review.found_at == "children.csv line 2"
    assert review.same_date_of_birth
    assert "Children: 1 created, 0 updated, 0 unchanged, 0 rejected" in output
    assert "Possible duplicates for review: 1" in output
    assert "/children/duplicates/" in output


def test_a_new_child_named_as_a_held_childs_other_name_goes_on_the_review_list(
    tmp_path, providers, held
):
    children, _ = files(
        tmp_path, [child_row("T-5", first_name="Tilly", last_name="Okafor", date_of_birth=BORN)]
    )
    output = import_tracker(children)
    assert DuplicateReview.objects.get().matched_child == held
    assert "Possible duplicates for review: 1" in output


def test_two_new_children_alike_in_one_import_are_one_pair_to_review(tmp_path, providers):
    children, _ = files(
        tmp_path,
        [
            child_row("T-1", first_name="Marigold", last_name="Featherstone", date_of_birth=BORN),
            child_row("T-7", first_name="Jonah", last_name="Abernethy", date_of_birth=BORN),
            child_row("T-2", first_name="Marigold", last_name="Fetherstone", date_of_birth=BORN),
        ],
    )
    output = import_tracker(children, None, "--chunk-rows", "2")  # across two chunks
    review = DuplicateReview.objects.get()
    assert (review.new_child, review.matched_child) == (imported("T-2"), imported("T-1"))
    assert "Possible duplicates for review: 1" in output


def test_an_unlike_child_and_an_exact_reimport_put_nothing_on_the_review_list(
    tmp_path, providers, held
):
    children, episodes = files(
        tmp_path,
        [
            child_row("T-9", first_name="Ottilie", last_name="Wainright", date_of_birth=BORN),
            child_row(
                "T-3", first_name="Ottilie", last_name="Wainwright", date_of_birth="2013-07-20"
            ),
            child_row("T-4", first_name="Bartholomew", last_name="Quince", date_of_birth=BORN),
        ],
        [episode_row("POL-9", "T-9")],
    )
    import_tracker(children, episodes)
    assert DuplicateReview.objects.count() == 1

    again = import_tracker(children, episodes)
    assert "Children: 0 created, 0 updated, 3 unchanged, 0 rejected" in again
    assert "Possible duplicates for review: 0" in again
    assert DuplicateReview.objects.count() == 1


def test_a_dry_run_counts_the_possible_duplicates_and_writes_none(tmp_path, providers, held):
    children, _ = files(
        tmp_path,
        [child_row("T-9", first_name="Otilie", last_name="Wainwright", date_of_birth=BORN)],
    )
    output = import_tracker(children, None, "--dry-run")
    assert "Possible duplicates for review: 1" in output
    assert not DuplicateReview.objects.exists()
    assert Child.objects.count() == 1


def test_a_child_rolled_back_with_its_row_is_not_matched_afterwards(held):
    """A row rolled back (its savepoint, or its chunk) takes its child with it: a later
    row alike is matched against what is held, never against the child that is gone."""
    check = DuplicateCheck(TRACKER)
    check.candidates.load([held.date_of_birth])
    try:
        with transaction.atomic():
            gone = ChildFactory(
                first_name="Sorrel", last_name="Ingleby", date_of_birth=held.date_of_birth
            )
            assert check.reviews_for(gone, "line 2") == []
            raise RuntimeError("the row fails")
    except RuntimeError:
        pass
    again = ChildFactory(
        first_name="Sorrel", last_name="Inglebey", date_of_birth=held.date_of_birth
    )
    assert check.reviews_for(again, "line 3") == []
    third = ChildFactory(first_name="Sorrel", last_name="Ingleby", date_of_birth=held.date_of_birth)
    assert [r.matched_child for r in check.reviews_for(third, "line 4")] == [again]


def test_a_new_child_goes_on_the_review_list_beside_at_most_five_children(tmp_path, providers):
    """A file of many alike rows (one date of birth, near names) does not fill the list with
    every pair: each new child is put beside the five most alike."""
    children, _ = files(
        tmp_path,
        [
            child_row(
                f"T-{n}", first_name="Marigold", last_name=f"Featherstone{n}", date_of_birth=BORN
            )
            for n in range(8)
        ],
    )
    import_tracker(children)
    per_child = [
        DuplicateReview.objects.filter(new_child=imported(f"T-{n}")).count() for n in range(8)
    ]
    assert per_child == [0, 1, 2, 3, 4, 5, 5, 5]
