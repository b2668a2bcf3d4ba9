"""A manager's decisions on the review list: keep with a reason, review later, delete."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.intelligence.models import IntelligenceNote
from mace.intelligence.tests.factories import PersonOfConcernFactory
from mace.people.models import Child
from mace.retention import services
from mace.retention.models import RetentionReview
from mace.retention.tests.helpers import child_over_25, note_recorded

pytestmark = pytest.mark.django_db


def _date_fields(day: datetime.date) -> dict[str, str]:
    return {
        "next_review_on_0": str(day.day),
        "next_review_on_1": str(day.month),
        "next_review_on_2": str(day.year),
    }


@pytest.fixture
def review():
    child = child_over_25(first_name="Tamsin", last_name="Okafor")
    services.retention_reviews_list()
    return RetentionReview.objects.get(child=child)


def test_keep_with_a_reason_and_a_next_review_is_recorded_and_audited(users, client_for, review):
    manager = users[Role.MANAGER]
    next_review = timezone.localdate() + datetime.timedelta(days=365)
    response = client_for(manager).post(
        f"/retention/{review.public_id}/",
        {"decision": "keep", "reason": "Civil claim in progress", **_date_fields(next_review)},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.reason, review.next_review_on, review.decided_by) == (
        RetentionReview.Status.KEPT,
        "Civil claim in progress",
        next_review,
        manager,
    )
    event = AuditEvent.objects.get(object_id=str(review.public_id))
    assert event.child_id == review.child.public_id
    assert event.before == {"status": "open"}
    assert event.after["status"] == "kept"
    assert event.after["reason"] == "Civil claim in progress"


def test_review_later_is_recorded(users, client_for, review):
    day = timezone.localdate() + datetime.timedelta(days=60)
    client_for(users[Role.MANAGER]).post(
        f"/retention/{review.public_id}/", {"decision": "later", **_date_fields(day)}
    )
    review.refresh_from_db()
    assert (review.status, review.next_review_on) == (RetentionReview.Status.LATER, day)


def test_keeping_without_a_reason_or_date_says_what_to_enter_and_keeps_what_was_typed(
    users, client_for, review
):
    response = client_for(users[Role.MANAGER]).post(
        f"/retention/{review.public_id}/",
        {"decision": "keep", "reason": "", "next_review_on_0": "3"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the reason for keeping the record" in page
    assert "Date of the next review must include a month and year" in page
    assert 'value="3"' in page
    review.refresh_from_db()
    assert review.status == RetentionReview.Status.OPEN


def test_a_next_review_in_the_past_is_refused(users, client_for, review):
    response = client_for(users[Role.MANAGER]).post(
        f"/retention/{review.public_id}/",
        {
            "decision": "later",
            **_date_fields(timezone.localdate() - datetime.timedelta(days=1)),
        },
    )
    assert "The date of the next review must be after today" in response.content.decode()


def test_no_decision_chosen_says_so(users, client_for, review):
    response = client_for(users[Role.MANAGER]).post(f"/retention/{review.public_id}/", {})
    assert "Select decision" in response.content.decode()


def test_delete_goes_to_a_confirmation_that_counts_what_will_go(users, client_for, review):
    client = client_for(users[Role.MANAGER])
    response = client.post(f"/retention/{review.public_id}/", {"decision": "delete"})
    assert response.url == f"/retention/{review.public_id}/delete/"
    page = client.get(response.url).content.decode()
    assert "What will be deleted" in page
    assert "Child&#x27;s record" in page
    assert "Retention review" in page
    assert Child.objects.filter(pk=review.child_id).exists()


def test_the_purge_needs_a_reason_and_a_confirmation(users, client_for, review):
    client = client_for(users[Role.MANAGER])
    response = client.post(f"/retention/{review.public_id}/delete/", {"reason": "End of period"})
    assert "Confirm that you understand the record cannot be restored" in response.content.decode()
    response = client.post(f"/retention/{review.public_id}/delete/", {"confirm": "on"})
    assert "Enter reason for deleting it" in response.content.decode()
    assert Child.objects.filter(pk=review.child_id).exists()


@pytest.mark.parametrize("mention", ["Tamsin", "okafor", "reference"])
def test_a_reason_that_names_the_child_is_refused(users, client_for, review, mention):
    child = review.child
    words = {"reference": child.reference, "Tamsin": "Tamsin", "okafor": "okafor"}
    response = client_for(users[Role.MANAGER]).post(
        f"/retention/{review.public_id}/delete/",
        {"reason": f"{words[mention]} has reached 25", "confirm": "on"},
    )
    page = response.content.decode()
    assert "leave out the child&#x27;s name, date of birth and reference" in page
    assert f"{words[mention]} has reached 25" in page  # what was typed is kept
    assert Child.objects.filter(pk=child.pk).exists()


def test_purging_from_the_page(users, client_for, review):
    child = review.child
    response = client_for(users[Role.MANAGER]).post(
        f"/retention/{review.public_id}/delete/",
        {"reason": "Reached the end of the retention period", "confirm": "on"},
    )
    assert response.status_code == 302
    assert not Child.objects.filter(pk=child.pk).exists()
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert tombstone.object_id == str(child.public_id)
    assert "Tamsin" not in str(tombstone.after) + tombstone.summary + tombstone.reason


def test_a_review_is_decided_once(users, review):
    manager = users[Role.MANAGER]
    services.retention_review_later(
        actor=manager,
        review=review,
        next_review_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError, match="already been decided"):
        services.retention_purge(actor=manager, review=review, reason="End of period")
    assert Child.objects.filter(pk=review.child_id).exists()


def test_deleting_an_intelligence_note_removes_it_and_redacts_its_values(users):
    officer, manager = users[Role.POLICE_OFFICER], users[Role.MANAGER]
    note = note_recorded(13, person=PersonOfConcernFactory(), by=officer)
    from mace.audit.services import audit_record, snapshot

    audit_record(actor=officer, action=AuditEvent.Action.CREATE, obj=note, after=snapshot(note))
    services.retention_reviews_list()
    review = RetentionReview.objects.get(note=note)
    services.retention_purge(actor=manager, review=review, reason="Not corroborated in a year")
    assert not IntelligenceNote.objects.filter(pk=note.pk).exists()
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(note.public_id))
    assert created.after is None
    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert tombstone.object_type == "intelligence.intelligencenote"
    assert "older male" not in str(tombstone.after)


def test_the_list_names_no_child(users, client_for, review):
    page = client_for(users[Role.MANAGER]).get("/retention/").content.decode()
    assert review.child.reference in page
    assert "Tamsin" not in page
    assert "Okafor" not in page
    assert "Children&#x27;s records" in page
