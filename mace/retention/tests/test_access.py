"""Who may see the retention review list, decide and purge: managers, and for intelligence
notes managers cleared for intelligence (policy.can_review_retention, can_decide_retention).
Every role, both ways, on the policy, the pages and the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import Role
from mace.intelligence.tests.factories import PersonOfConcernFactory
from mace.people.models import Child
from mace.retention import services
from mace.retention.models import RetentionReview
from mace.retention.tests.helpers import child_over_25, note_recorded

pytestmark = pytest.mark.django_db

MAY_REVIEW = {Role.MANAGER}


@pytest.fixture
def child_review():
    child = child_over_25()
    services.retention_reviews_list()
    return RetentionReview.objects.get(child=child)


@pytest.fixture
def note_review(users):
    note = note_recorded(13, person=PersonOfConcernFactory(), by=users[Role.POLICE_OFFICER])
    services.retention_reviews_list()
    return RetentionReview.objects.get(note=note)


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_see_the_list_and_decide_on_a_child(role, users, child_review):
    user = users[role]
    assert policy.can_review_retention(user) is (role in MAY_REVIEW)
    assert policy.can_decide_retention(user, child_review) is (role in MAY_REVIEW)


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_cleared_for_intelligence_decide_on_intelligence(role, users, note_review):
    user = users[role]
    assert policy.can_decide_retention(user, note_review) is (role in MAY_REVIEW)
    user.intelligence_cleared = False
    assert not policy.can_decide_retention(user, note_review)


def test_an_inactive_manager_may_not(users, child_review):
    manager = users[Role.MANAGER]
    manager.is_active = False
    assert not policy.can_review_retention(manager)
    assert not policy.can_decide_retention(manager, child_review)


@pytest.mark.parametrize("role", list(Role))
def test_the_pages_open_for_managers_only(role, users, client_for, child_review):
    client = client_for(users[role])
    allowed = role in MAY_REVIEW
    for url in (
        "/retention/",
        f"/retention/{child_review.public_id}/",
        f"/retention/{child_review.public_id}/delete/",
    ):
        assert client.get(url).status_code == (200 if allowed else 403), url


@pytest.mark.parametrize("role", [r for r in Role if r not in MAY_REVIEW])
def test_no_one_else_can_decide_or_purge_by_posting(role, users, client_for, child_review):
    client = client_for(users[role])
    later = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d %m %Y").split()
    response = client.post(
        f"/retention/{child_review.public_id}/",
        {
            "decision": "later",
            "next_review_on_0": later[0],
            "next_review_on_1": later[1],
            "next_review_on_2": later[2],
        },
    )
    assert response.status_code == 403
    response = client.post(
        f"/retention/{child_review.public_id}/delete/",
        {"reason": "End of the period", "confirm": "on"},
    )
    assert response.status_code == 403
    child_review.refresh_from_db()
    assert child_review.status == RetentionReview.Status.OPEN
    assert Child.objects.filter(pk=child_review.child_id).exists()


@pytest.mark.parametrize("role", [r for r in Role if r not in MAY_REVIEW])
def test_the_services_refuse_everyone_else(role, users, child_review):
    user = users[role]
    with pytest.raises(PermissionDenied):
        services.retention_purge(actor=user, review=child_review, reason="End of the period")
    with pytest.raises(PermissionDenied):
        services.retention_review_keep(
            actor=user,
            review=child_review,
            reason="Court case",
            next_review_on=timezone.localdate() + datetime.timedelta(days=30),
        )
    with pytest.raises(PermissionDenied):
        services.retention_review_later(
            actor=user,
            review=child_review,
            next_review_on=timezone.localdate() + datetime.timedelta(days=30),
        )
    assert Child.objects.filter(pk=child_review.child_id).exists()


def test_an_uncleared_manager_sees_the_note_listed_but_cannot_open_or_delete_it(
    users, client_for, note_review
):
    manager = users[Role.MANAGER]
    manager.intelligence_cleared = False
    manager.save()
    client = client_for(manager)
    page = client.get("/retention/").content.decode()
    assert "Intelligence note recorded" in page
    assert "Seen with an older male" not in page
    assert f"/retention/{note_review.public_id}/" not in page
    assert client.get(f"/retention/{note_review.public_id}/").status_code == 403
    assert client.get(f"/retention/{note_review.public_id}/delete/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.retention_purge(actor=manager, review=note_review, reason="Out of date")
