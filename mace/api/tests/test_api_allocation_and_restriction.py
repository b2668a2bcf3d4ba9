"""No mass assignment through the API (issue 16): a child's team, allocated worker and
restriction are read-only on the record, refused by name if sent, and changed only through
their own endpoints, which call the same services (and the same policy) as the pages."""

import datetime

import pytest
from django.utils import timezone

from mace.access import policy
from mace.access.models import RestrictedAccessGrant
from mace.accounts.models import Role
from mace.accounts.tests.factories import TeamFactory, UserFactory
from mace.audit.models import AuditEvent
from mace.people.tests.factories import ChildFactory

from .helpers import api_client

pytestmark = pytest.mark.django_db

MAY_ALLOCATE = {Role.MANAGER}
MAY_RESTRICT = {Role.MANAGER}


@pytest.fixture
def child(users, team):
    return ChildFactory.create(
        first_name="Perpetua",
        last_name="Hollingsworth",
        date_of_birth=datetime.date(2011, 8, 14),
        allocated_worker=users[Role.SOCIAL_WORKER],
        team=team,
    )


@pytest.fixture
def colleague(team):
    return UserFactory.create(
        username="colleague", role=Role.SOCIAL_WORKER, agency=team.agency, team=team
    )


def _state(child):
    child.refresh_from_db()
    return child.allocated_worker_id, child.team_id, child.is_restricted, child.version


def test_a_social_worker_cannot_allocate_a_child_to_the_analyst_through_patch(users, child):
    """The first attack: PATCH with a raw user key moved the child to the analyst."""
    before = _state(child)
    response = api_client(users[Role.SOCIAL_WORKER]).patch(
        f"/api/v1/children/{child.public_id}/",
        {"allocated_worker": users[Role.ANALYST].pk, "version": child.version},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "allocated_worker" in fields
    assert f"/api/v1/children/{child.public_id}/allocation/" in " ".join(fields["allocated_worker"])
    assert _state(child) == before


def test_a_police_officer_cannot_make_themselves_allocated_worker_of_a_restricted_child(
    users, child
):
    """The second attack: an officer who gave a reason once allocated the record to
    themselves, and never needed a reason again."""
    officer = users[Role.POLICE_OFFICER]
    child.is_restricted = True
    child.save()
    RestrictedAccessGrant.objects.create(
        user=officer,
        child=child,
        reason="Reported missing tonight",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    before = _state(child)
    response = api_client(officer).patch(
        f"/api/v1/children/{child.public_id}/",
        {"allocated_worker": officer.pk, "team": None, "version": child.version},
        format="json",
    )
    assert response.status_code == 400
    assert {"allocated_worker", "team"} <= set(response.json()["error"]["fields"])
    allocation = api_client(officer).post(
        f"/api/v1/children/{child.public_id}/allocation/",
        {"allocated_worker": str(officer.public_id)},
        format="json",
    )
    assert allocation.status_code == 403
    assert _state(child) == before
    RestrictedAccessGrant.objects.all().delete()
    assert policy.can_view_child(officer, child).needs_reason


@pytest.mark.parametrize("field", ["allocated_worker", "team", "is_restricted"])
def test_a_patch_naming_allocation_or_restriction_is_refused_by_name(field, users, child):
    before = _state(child)
    response = api_client(users[Role.MANAGER]).patch(
        f"/api/v1/children/{child.public_id}/",
        {field: None if field != "is_restricted" else True, "school": "Elmhurst", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    message = " ".join(response.json()["error"]["fields"][field])
    assert "cannot be changed here" in message
    assert _state(child) == before
    child.refresh_from_db()
    assert child.school == ""


@pytest.mark.parametrize("field", ["allocated_worker", "team", "is_restricted"])
def test_creating_a_child_with_allocation_or_restriction_is_refused_by_name(field, users, team):
    from mace.people.models import Child

    before = Child.objects.count()
    value = {"allocated_worker": users[Role.MISSING_COORDINATOR].pk, "team": team.pk}
    response = api_client(users[Role.MISSING_COORDINATOR]).post(
        "/api/v1/children/",
        {
            "first_name": "Isolde",
            "last_name": "Penhaligon",
            "date_of_birth": "2012-03-04",
            "gender": "female",
            field: value.get(field, True),
        },
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert Child.objects.count() == before


def test_the_record_shows_team_and_worker_by_their_ids(users, team, child):
    body = api_client(users[Role.MANAGER]).get(f"/api/v1/children/{child.public_id}/").json()
    assert body["allocated_worker"] == str(users[Role.SOCIAL_WORKER].public_id)
    assert body["team"] == str(team.public_id)
    assert body["is_restricted"] is False


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_may_allocate_through_the_api(role, users, team, child, colleague):
    before = _state(child)
    response = api_client(users[role]).post(
        f"/api/v1/children/{child.public_id}/allocation/",
        {"team": str(team.public_id), "allocated_worker": str(colleague.public_id)},
        format="json",
    )
    if role in MAY_ALLOCATE:
        assert response.status_code == 200, response.json()
        assert response.json()["allocated_worker"] == str(colleague.public_id)
        assert _state(child)[:2] == (colleague.pk, team.pk)
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.CHANGE, child_id=child.public_id, actor=users[role]
        ).exists()
    else:
        assert response.status_code == 403
        assert _state(child) == before


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_may_restrict_through_the_api(role, users, child):
    before = _state(child)
    response = api_client(users[role]).post(
        f"/api/v1/children/{child.public_id}/restriction/",
        {"restricted": True, "reason": "Mother works in the MASH"},
        format="json",
    )
    if role in MAY_RESTRICT:
        assert response.status_code == 200, response.json()
        assert response.json()["is_restricted"] is True
        assert _state(child)[2] is True
    else:
        assert response.status_code == 403
        assert _state(child) == before


@pytest.mark.parametrize("who", ["analyst", "inactive", "other_team"])
def test_allocating_through_the_api_to_someone_who_may_not_hold_the_case_is_a_400(
    who, users, team, child
):
    other_team = TeamFactory.create(agency=team.agency, name="Looked After Team")
    worker = {
        "analyst": users[Role.ANALYST],
        "inactive": UserFactory.create(
            role=Role.SOCIAL_WORKER, agency=team.agency, team=team, is_active=False
        ),
        "other_team": UserFactory.create(
            role=Role.SOCIAL_WORKER, agency=team.agency, team=other_team
        ),
    }[who]
    before = _state(child)
    response = api_client(users[Role.MANAGER]).post(
        f"/api/v1/children/{child.public_id}/allocation/",
        {"team": str(team.public_id), "allocated_worker": str(worker.public_id)},
        format="json",
    )
    assert response.status_code == 400
    message = " ".join(response.json()["error"]["fields"]["allocated_worker"])
    assert "Choose an active social worker in the Children in Need Team" in message
    assert _state(child) == before


def test_an_unknown_worker_or_team_is_a_400_that_names_it(users, child):
    response = api_client(users[Role.MANAGER]).post(
        f"/api/v1/children/{child.public_id}/allocation/",
        {"team": "9b1f4c1e-0000-4000-8000-000000000000", "allocated_worker": "nobody"},
        format="json",
    )
    assert response.status_code == 400
    assert {"team", "allocated_worker"} <= set(response.json()["error"]["fields"])


def test_restricting_through_the_api_without_a_reason_is_a_400(users, child):
    before = _state(child)
    response = api_client(users[Role.MANAGER]).post(
        f"/api/v1/children/{child.public_id}/restriction/", {"restricted": True}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    assert _state(child) == before
