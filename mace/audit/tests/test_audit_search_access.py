"""The audit search shows what happened to whom, not the records themselves (C11, issue 16).

Auditors search by a child's reference or public id and by user, and see the record types,
field names, who and when; the values (and the reasons given) only a manager who may open the
child now sees. Only managers search by a child's name, and only over children they may open.
"""

import datetime

import pytest

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.people import services
from mace.people.models import Gender
from mace.people.services import restricted_access_grant
from mace.people.tests.factories import ChildFactory

MAY_READ_AUDIT = {Role.MANAGER, Role.AUDITOR}
MASKED = "•••"


@pytest.fixture
def kai(users):
    """A child who is not restricted, with a creation and a change in the audit trail."""
    manager = users[Role.MANAGER]
    child = services.child_create(
        actor=manager,
        first_name="Kai",
        last_name="Rowe",
        date_of_birth=datetime.date(2011, 4, 12),
        gender=Gender.MALE,
    )
    return services.child_update(
        actor=manager, child=child, expected_version=child.version, school="Hillside Academy"
    )


@pytest.fixture
def quilla(users):
    """A restricted child the manager's team does not hold: the manager must give a reason."""
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(
        first_name="Quilla", last_name="Vantongeren", is_restricted=True, allocated_worker=worker
    )
    return services.child_update(
        actor=worker, child=child, expected_version=child.version, school="Ridgeway School"
    )


def _search(client, **data):
    return client.post("/audit/", data)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_audit_values_are_shown_only_to_managers_who_may_open_the_child(
    role, users, kai, client_for
):
    response = _search(client_for(users[role]), child=kai.reference)
    if role not in MAY_READ_AUDIT:
        assert response.status_code == 403
        return
    page = response.content.decode()
    # Everyone who reads the trail sees what was done, to which fields, by whom and when.
    assert "Created child record" in page
    assert "Changed details" in page
    assert "school" in page
    assert "date_of_birth" in page
    assert kai.reference in page
    shown = ["Hillside Academy", "2011-04-12", "Rowe"]
    if role == Role.MANAGER:
        assert all(value in page for value in shown)
        assert MASKED not in page
    else:
        assert not [value for value in shown if value in page]
        assert MASKED in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_a_restricted_child_is_not_found_by_name_unless_the_manager_may_open_it(
    role, users, quilla, client_for
):
    client = client_for(users[role])
    response = _search(client, child="Quilla Vantongeren")
    if role not in MAY_READ_AUDIT:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert quilla.reference not in page
    assert "Ridgeway School" not in page
    if role == Role.MANAGER:
        restricted_access_grant(
            actor=users[role], child=quilla, reason="Reviewing the team's restricted records"
        )
        page = _search(client, child="Quilla Vantongeren").content.decode()
        assert quilla.reference in page
        assert "Ridgeway School" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_managers_search_the_audit_trail_by_a_childs_name(role, users, kai, client_for):
    response = _search(client_for(users[role]), child="Kai Rowe")
    if role not in MAY_READ_AUDIT:
        assert response.status_code == 403
        return
    page = response.content.decode()
    if role == Role.MANAGER:
        assert "Hillside Academy" in page
        assert kai.reference in page
    else:
        assert "Changed details" not in page
        assert kai.reference not in page
        assert "Enter the child&#x27;s MACE reference or public id" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(MAY_READ_AUDIT))
def test_audit_search_finds_a_child_by_reference_or_public_id(role, users, kai, client_for):
    client = client_for(users[role])
    for term in (kai.reference, kai.reference.lower(), str(kai.public_id)):
        page = _search(client, child=term).content.decode()
        assert "Changed details" in page, term


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_a_restricted_childs_audit_values_are_masked_until_the_manager_may_open_it(
    role, users, quilla, client_for
):
    client = client_for(users[role])
    response = _search(client, child=quilla.reference)
    if role not in MAY_READ_AUDIT:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert "Changed details" in page
    assert "school" in page
    assert "Ridgeway School" not in page
    assert "Vantongeren" not in page
    if role == Role.MANAGER:
        restricted_access_grant(
            actor=users[role], child=quilla, reason="Quilla's strategy meeting is tomorrow"
        )
        page = _search(client, child=quilla.reference).content.decode()
        assert "Ridgeway School" in page
        assert "Quilla&#x27;s strategy meeting is tomorrow" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_the_reason_for_opening_a_restricted_record_is_masked_like_the_values(
    role, users, quilla, client_for
):
    officer = users[Role.POLICE_OFFICER]
    restricted_access_grant(
        actor=officer, child=quilla, reason="Quilla Vantongeren seen at the bus station"
    )
    response = _search(client_for(users[role]), username=officer.username)
    if role not in MAY_READ_AUDIT:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert AuditEvent.Action.RESTRICTED_OPEN.label in page
    assert "Vantongeren" not in page
    assert "bus station" not in page
    assert "Reason given" in page
