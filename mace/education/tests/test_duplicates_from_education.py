"""Education notifications find their child by the create page's fuzzy rule (issue 18 point
4): the exact name and date of birth is the child held; a near match is a new record put on
the review list beside the child it is like."""

import datetime

import pytest

from mace.education import services
from mace.people.models import Child, DuplicateReview

from .helpers import school_child

pytestmark = pytest.mark.django_db

NOTIFICATIONS = (
    "first_name,last_name,date_of_birth,gender,school,reason,absent_since,destination,"
    "destination_detail\n"
)


@pytest.fixture
def officer(users):
    return users["inclusion_officer"]


def test_a_notification_near_a_held_child_creates_a_record_on_the_review_list(officer):
    held = school_child(first_name="Evangeline", last_name="Marchbanks")
    child = services.child_for_notification(
        actor=officer,
        first_name="Evangaline",
        last_name="Marchbanks",
        date_of_birth=held.date_of_birth,
        gender="female",
    )
    assert child != held
    review = DuplicateReview.objects.get()
    assert (review.new_child, review.matched_child) == (child, held)
    assert review.source == DuplicateReview.Source.EDUCATION_NOTIFICATION
    assert review.status == DuplicateReview.Status.OPEN


def test_the_exact_name_and_date_of_birth_is_the_child_held_with_nothing_to_review(officer):
    held = school_child(first_name="Evangeline", last_name="Marchbanks")
    found = services.child_for_notification(
        actor=officer,
        first_name=" evangeline",
        last_name="MARCHBANKS",
        date_of_birth=held.date_of_birth,
        gender="female",
    )
    assert found == held
    assert not DuplicateReview.objects.exists()


def test_an_upload_puts_its_near_matches_on_the_review_list_with_the_line(officer):
    held = school_child(first_name="Evangeline", last_name="Marchbanks")
    data = (
        NOTIFICATIONS + f"Evangeline,Marchbanks,{held.date_of_birth},female,Fernhill Academy,"
        "absent_10_days,2025-10-20,unknown,\n"
        f"Evangeline,Marchbank,{held.date_of_birth},female,Fernhill Academy,"
        "absent_10_days,2025-10-20,unknown,\n"
        "Casimir,Thornbury,2012-09-30,male,Fernhill Academy,left_suddenly,2025-11-03,known,\n"
    ).encode()
    cases = services.notifications_import(actor=officer, name="notes.csv", data=data)
    assert cases[0].child == held
    review = DuplicateReview.objects.get()
    assert (review.new_child, review.matched_child) == (cases[1].child, held)
    assert review.found_at == "notes.csv line 3"
    assert Child.objects.count() == 3


def test_a_termly_return_pupil_near_a_held_child_goes_on_the_review_list(officer):
    held = school_child(first_name="Evangeline", last_name="Marchbanks")
    data = (
        "first_name,last_name,date_of_birth,gender,reason,hours_per_week,ehcp\n"
        f"Evangeline,Marchbanks-Lee,{held.date_of_birth + datetime.timedelta(days=1)},female,"
        "medical,8,N\n"
    ).encode()
    services.termly_return_import(
        actor=officer,
        school="Larchmere High School",
        term="2025-26 autumn",
        received_on=datetime.date(2025, 11, 20),
        name="return.csv",
        data=data,
    )
    review = DuplicateReview.objects.get()
    assert review.matched_child == held
    assert review.source == DuplicateReview.Source.TERMLY_RETURN
    assert not review.same_date_of_birth
