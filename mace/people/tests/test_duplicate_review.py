"""The review list of possible duplicates (issue 18 point 4): one matching rule for a batch,
the page, merging a pair or confirming they are different, and restricted children shown by
reference only."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.people.duplicates import Candidates, find_possible_duplicates
from mace.people.models import Child, DuplicateReview
from mace.people.services import (
    child_merge,
    duplicate_reviews_open,
    restricted_access_grant,
)
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

BORN = datetime.date(2012, 8, 4)
PAGE = "/children/duplicates/"
SEE = {Role.MISSING_COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR}
DECIDE = {Role.MISSING_COORDINATOR, Role.MANAGER}


def pair(held=None, **new):
    """A child held and a new one like it, on the review list as an import would put them."""
    held = held or ChildFactory(first_name="Peregrine", last_name="Ashdown", date_of_birth=BORN)
    new_child = ChildFactory(
        **{"first_name": "Peregrin", "last_name": "Ashdown", "date_of_birth": BORN, **new}
    )
    matches = find_possible_duplicates(
        first_name=new_child.first_name,
        last_name=new_child.last_name,
        date_of_birth=BORN,
        exclude_pk=new_child.pk,
    )
    [review] = duplicate_reviews_open(
        actor=None,
        new_child=new_child,
        matches=matches,
        source=DuplicateReview.Source.TRACKER_IMPORT,
        found_at="children.csv line 2",
    )
    return review


def test_one_load_for_a_batch_of_dates_then_matching_asks_no_query():
    dates = [BORN + datetime.timedelta(days=30 * n) for n in range(40)]
    for day in dates:
        ChildFactory(
            first_name="Rosalind", last_name="Kettering", date_of_birth=day
        ).aliases.create(name="Roz K")
    with CaptureQueriesContext(connection) as loading:
        candidates = Candidates.for_dates(dates)
    assert len(loading) == 2  # the children, then their other names
    with CaptureQueriesContext(connection) as matching:
        found = [
            candidates.match(first_name="Rosalind", last_name="Ketering", date_of_birth=day)
            for day in dates
        ]
        by_alias = candidates.match(first_name="Roz", last_name="K", date_of_birth=dates[3])
    assert len(matching) == 0
    assert all(len(matches) == 1 for matches in found)
    assert [m.child.date_of_birth for m in by_alias] == [dates[3]]
    # The create page's warning is the same rule.
    assert [m.child for m in found[5]] == [
        m.child
        for m in find_possible_duplicates(
            first_name="Rosalind", last_name="Ketering", date_of_birth=dates[5]
        )
    ]


@pytest.mark.parametrize("role", list(Role))
def test_the_review_list_page_is_for_coordinators_managers_and_administrators(
    role, users, client_for
):
    review = pair()
    response = client_for(users[role]).get(PAGE)
    assert response.status_code == (200 if role in SEE else 403)
    if role in SEE:
        page = response.content.decode()
        assert review.new_child.reference in page
        assert ("Peregrin Ashdown" in page) is (role in DECIDE)  # administrators: references
        assert ("They are different children" in page) is (role in DECIDE)


@pytest.mark.parametrize("role", list(Role))
def test_only_coordinators_and_managers_may_decide_a_pair(role, users, client_for):
    review = pair()
    response = client_for(users[role]).post(f"{PAGE}{review.public_id}/", {"decision": "different"})
    assert response.status_code == (302 if role in DECIDE else 403)
    review.refresh_from_db()
    expected = (
        DuplicateReview.Status.CONFIRMED_NEW if role in DECIDE else DuplicateReview.Status.OPEN
    )
    assert review.status == expected


def test_merging_a_pair_merges_the_new_record_into_the_one_held(users, client_for):
    coordinator = users[Role.MISSING_COORDINATOR]
    review = pair()
    response = client_for(coordinator).post(f"{PAGE}{review.public_id}/", {"decision": "merge"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == DuplicateReview.Status.MERGED
    assert review.decided_by == coordinator
    assert review.decided_at is not None
    new = Child.objects.get(pk=review.new_child_id)
    assert new.merged_into_id == review.matched_child_id
    assert (
        AuditEvent.objects.filter(
            object_type="people.duplicatereview", action="change", actor=coordinator
        ).count()
        == 2
    )  # on each child's trail
    assert (
        "There are no possible duplicates to review"
        in client_for(coordinator).get(PAGE).content.decode()
    )


def test_confirming_different_children_is_recorded_audited_and_never_asked_again(users, client_for):
    manager = users[Role.MANAGER]
    review = pair()
    client = client_for(manager)
    client.post(f"{PAGE}{review.public_id}/", {"decision": "different"})
    review.refresh_from_db()
    assert review.status == DuplicateReview.Status.CONFIRMED_NEW
    assert review.decided_by == manager
    assert not Child.objects.filter(merged_into__isnull=False).exists()
    event = AuditEvent.objects.filter(object_type="people.duplicatereview", action="change").first()
    assert event.after["status"] == DuplicateReview.Status.CONFIRMED_NEW
    # Asked again, either way round, the database refuses the pair.
    for new, held in (
        (review.new_child, review.matched_child),
        (review.matched_child, review.new_child),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            DuplicateReview.objects.create(
                new_child=new,
                matched_child=held,
                score=90,
                same_date_of_birth=True,
                source=DuplicateReview.Source.TRACKER_IMPORT,
            )
    # Deciding twice changes nothing and says why.
    again = client.post(f"{PAGE}{review.public_id}/", {"decision": "merge"}, follow=True)
    assert "have already been reviewed" in again.content.decode()
    assert not Child.objects.filter(merged_into__isnull=False).exists()


def test_a_merge_from_the_record_closes_the_pair_and_moves_other_questions_to_the_kept_record(
    users,
):
    coordinator = users[Role.MISSING_COORDINATOR]
    review = pair()
    third = ChildFactory(first_name="Peregrine", last_name="Ashdowne", date_of_birth=BORN)
    other = DuplicateReview.objects.create(
        new_child=third,
        matched_child=review.new_child,
        score=88,
        same_date_of_birth=True,
        source=DuplicateReview.Source.EDUCATION_NOTIFICATION,
    )
    child_merge(actor=coordinator, keep=review.matched_child, duplicate=review.new_child)
    review.refresh_from_db()
    other.refresh_from_db()
    assert review.status == DuplicateReview.Status.MERGED
    assert other.status == DuplicateReview.Status.OPEN
    assert (other.new_child, other.matched_child) == (third, review.matched_child)


def test_a_restricted_child_is_shown_by_reference_until_a_reason_is_given(users, client_for):
    coordinator = users[Role.MISSING_COORDINATOR]
    held = ChildFactory(
        first_name="Quillon", last_name="Vantreight", date_of_birth=BORN, is_restricted=True
    )
    review = pair(held=held, first_name="Quillan", last_name="Vantreight")
    client = client_for(coordinator)
    page = client.get(PAGE).content.decode()
    assert held.reference in page
    assert "Restricted" in page
    assert "Quillon" not in page
    assert "Quillan Vantreight" in page  # the new record is not restricted
    assert "They are different children" not in page
    assert "Open it with your reason" in page
    refused = client.post(f"{PAGE}{review.public_id}/", {"decision": "merge"})
    assert refused.status_code == 403

    restricted_access_grant(actor=coordinator, child=held, reason="Checking a duplicate")
    page = client.get(PAGE).content.decode()
    assert "Quillon Vantreight" in page
    assert "They are different children" in page


def test_the_review_list_is_linked_from_home_and_the_coordinators_worklist(users, client_for):
    pair()
    client = client_for(users[Role.MISSING_COORDINATOR])
    assert PAGE in client.get("/").content.decode()
    worklist = client.get(reverse("worklist:coordinator")).content.decode()
    assert "Possible duplicate records to review: 1" in worklist
    police = client_for(users[Role.POLICE_OFFICER])
    assert PAGE not in police.get("/").content.decode()
    assert PAGE not in police.get(reverse("worklist:coordinator")).content.decode()
