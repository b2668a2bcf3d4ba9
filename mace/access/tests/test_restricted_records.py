"""Restricted records ask for a reason before they open, and the reason is logged (C11)."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from mace.access.models import RestrictedAccessGrant
from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.people.tests.factories import ChildFactory


@pytest.fixture
def restricted(users, team):
    return ChildFactory(
        first_name="Quilla",
        last_name="Vantongeren",
        is_restricted=True,
        allocated_worker=users[Role.SOCIAL_WORKER],
        team=team,
    )


@pytest.mark.django_db
def test_allocated_worker_opens_restricted_record_without_a_reason(users, restricted, client_for):
    response = client_for(users[Role.SOCIAL_WORKER]).get(f"/children/{restricted.public_id}/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_team_manager_opens_restricted_record_without_a_reason(users, restricted, client_for):
    response = client_for(users[Role.MANAGER]).get(f"/children/{restricted.public_id}/")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.POLICE_OFFICER, Role.MISSING_COORDINATOR])
def test_others_are_asked_for_a_reason_first(role, users, restricted, client_for):
    client = client_for(users[role])
    response = client.get(f"/children/{restricted.public_id}/")
    assert response.status_code == 302
    assert response["Location"] == f"/children/{restricted.public_id}/reason/"
    page = client.get(response["Location"]).content.decode()
    assert "This record is restricted" in page
    assert escape(restricted.last_name) not in page


@pytest.mark.django_db
def test_a_reason_opens_the_record_and_is_logged(users, restricted, client_for):
    officer = users[Role.POLICE_OFFICER]
    client = client_for(officer)
    reason = "Reported missing tonight; checking known associates"
    response = client.post(f"/children/{restricted.public_id}/reason/", {"reason": reason})
    assert response.status_code == 302
    assert client.get(f"/children/{restricted.public_id}/").status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESTRICTED_OPEN)
    assert event.actor == officer
    assert event.reason == reason
    assert event.child_id == restricted.public_id


@pytest.mark.django_db
def test_a_too_short_reason_is_refused_with_a_clear_error(users, restricted, client_for):
    client = client_for(users[Role.POLICE_OFFICER])
    response = client.post(f"/children/{restricted.public_id}/reason/", {"reason": "need"})
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()
    assert not RestrictedAccessGrant.objects.exists()
    assert client.get(f"/children/{restricted.public_id}/").status_code == 302


@pytest.mark.django_db
def test_the_permission_expires(users, restricted, client_for):
    officer = users[Role.POLICE_OFFICER]
    RestrictedAccessGrant.objects.create(
        user=officer,
        child=restricted,
        reason="An earlier shift's enquiry",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = client_for(officer).get(f"/children/{restricted.public_id}/")
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ANALYST, Role.RHI_WORKER, Role.ADMINISTRATOR])
def test_a_reason_cannot_open_a_record_the_role_may_not_see(role, users, restricted, client_for):
    client = client_for(users[role])
    url = f"/children/{restricted.public_id}/reason/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "I would like to look at this please"}).status_code == 403
    assert not RestrictedAccessGrant.objects.exists()
