"""Allocation and restriction change only through their own services, for those who may
(issue 16): a child's team and allocated worker, and whether the record is restricted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mace.access import policy
from mace.accounts.models import Role
from mace.accounts.tests.factories import TeamFactory, UserFactory
from mace.audit.models import AuditEvent
from mace.people import services
from mace.people.models import Child
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

MAY_ALLOCATE = {Role.MANAGER}
MAY_RESTRICT = {Role.MANAGER}


@pytest.fixture
def child(users, team):
    return ChildFactory.create(
        first_name="Ottilie", last_name="Brackenridge", allocated_worker=None, team=team
    )


@pytest.fixture
def colleague(users, team):
    """A second social worker in the team, to allocate to."""
    return UserFactory.create(
        username="colleague", role=Role.SOCIAL_WORKER, agency=team.agency, team=team
    )


def _state(child: Child) -> tuple[int | None, int | None, bool, int]:
    child.refresh_from_db()
    return child.allocated_worker_id, child.team_id, child.is_restricted, child.version


# The services


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_may_allocate_a_child(role, users, team, child, colleague):
    actor = users[role]
    assert policy.can_allocate_child(actor, child) is (role in MAY_ALLOCATE)
    if role in MAY_ALLOCATE:
        services.child_allocate(actor=actor, child=child, team=team, worker=colleague)
        assert _state(child)[:2] == (colleague.pk, team.pk)
    else:
        before = _state(child)
        with pytest.raises(PermissionDenied):
            services.child_allocate(actor=actor, child=child, team=team, worker=colleague)
        assert _state(child) == before


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_may_restrict_a_child(role, users, child):
    actor = users[role]
    assert policy.can_restrict_child(actor, child) is (role in MAY_RESTRICT)
    if role in MAY_RESTRICT:
        services.child_set_restriction(
            actor=actor, child=child, restricted=True, reason="Family member works in MASH"
        )
        assert _state(child)[2] is True
    else:
        before = _state(child)
        with pytest.raises(PermissionDenied):
            services.child_set_restriction(
                actor=actor, child=child, restricted=True, reason="Family member works in MASH"
            )
        assert _state(child) == before


def test_a_manager_who_must_give_a_reason_first_may_not_allocate_or_restrict(users, child):
    other_team = TeamFactory.create(agency=child.team.agency, name="Leaving Care Team")
    child.team = other_team
    child.is_restricted = True
    child.save()
    manager = users[Role.MANAGER]  # a manager of another team: asked for a reason first
    assert not policy.can_allocate_child(manager, child)
    assert not policy.can_restrict_child(manager, child)


def test_allocation_is_audited_with_before_and_after(users, team, child, colleague):
    services.child_allocate(actor=users[Role.MANAGER], child=child, team=team, worker=colleague)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, child_id=child.public_id)
    assert event.actor == users[Role.MANAGER]
    assert event.before == {"allocated_worker_id": None}
    assert event.after == {"allocated_worker_id": colleague.pk}


def test_restriction_is_audited_with_its_reason(users, child):
    reason = "Parent works in the council's children's services"
    services.child_set_restriction(
        actor=users[Role.MANAGER], child=child, restricted=True, reason=reason
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, child_id=child.public_id)
    assert (event.before, event.after, event.reason) == (
        {"is_restricted": False},
        {"is_restricted": True},
        reason,
    )


def test_restriction_without_a_reason_is_refused_and_nothing_changes(users, child):
    before = _state(child)
    with pytest.raises(ValidationError) as raised:
        services.child_set_restriction(
            actor=users[Role.MANAGER], child=child, restricted=True, reason="  "
        )
    assert "Enter why" in str(raised.value)
    assert _state(child) == before


@pytest.mark.parametrize(
    "who", ["analyst", "police_officer", "manager_of_the_team", "inactive", "other_team"]
)
def test_allocating_to_anyone_but_an_active_social_worker_of_the_team_is_refused(
    who, users, team, child
):
    other_team = TeamFactory.create(agency=team.agency, name="Looked After Team")
    worker = {
        "analyst": users[Role.ANALYST],
        "police_officer": users[Role.POLICE_OFFICER],
        "manager_of_the_team": users[Role.MANAGER],
        "inactive": UserFactory.create(
            role=Role.SOCIAL_WORKER, agency=team.agency, team=team, is_active=False
        ),
        "other_team": UserFactory.create(
            role=Role.SOCIAL_WORKER, agency=team.agency, team=other_team
        ),
    }[who]
    before = _state(child)
    with pytest.raises(ValidationError) as raised:
        services.child_allocate(actor=users[Role.MANAGER], child=child, team=team, worker=worker)
    assert "Choose an active social worker in the Children in Need Team" in str(raised.value)
    assert _state(child) == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).exists()


def test_a_worker_needs_a_team(users, child, colleague):
    with pytest.raises(ValidationError) as raised:
        services.child_allocate(actor=users[Role.MANAGER], child=child, team=None, worker=colleague)
    assert "Choose the team" in str(raised.value)


def test_the_general_update_no_longer_changes_allocation_or_restriction(users, child):
    worker = users[Role.SOCIAL_WORKER]
    child.allocated_worker = worker
    child.save()
    for field, value in (
        ("allocated_worker", users[Role.POLICE_OFFICER]),
        ("team", None),
        ("is_restricted", True),
    ):
        before = _state(child)
        with pytest.raises(ValueError, match="Unknown child details"):
            services.child_update(
                actor=users[Role.MANAGER], child=child, expected_version=before[3], **{field: value}
            )
        assert _state(child) == before


def test_a_social_workers_new_child_is_in_their_team(users, team):
    import datetime

    child = services.child_create(
        actor=users[Role.SOCIAL_WORKER],
        first_name="Ffion",
        last_name="Wetherall",
        date_of_birth=datetime.date(2012, 5, 1),
        gender="female",
    )
    assert (child.team_id, child.allocated_worker_id, child.is_restricted) == (team.pk, None, False)
    assert policy.can_view_child(users[Role.SOCIAL_WORKER], child)


# The pages


@pytest.mark.parametrize("role", list(Role))
def test_the_allocation_page_is_for_managers_only(role, users, team, child, colleague, client_for):
    client = client_for(users[role])
    url = f"/children/{child.public_id}/allocation/"
    before = _state(child)
    response = client.post(url, {"team": team.pk, "allocated_worker": colleague.pk})
    if role in MAY_ALLOCATE:
        assert client.get(url).status_code == 200
        assert response.status_code == 302
        assert _state(child)[:2] == (colleague.pk, team.pk)
    else:
        assert client.get(url).status_code in (403, 404)
        assert response.status_code in (403, 404)
        assert _state(child) == before


@pytest.mark.parametrize("role", list(Role))
def test_the_restriction_page_is_for_managers_only(role, users, child, client_for):
    client = client_for(users[role])
    url = f"/children/{child.public_id}/restriction/"
    before = _state(child)
    response = client.post(url, {"restricted": "yes", "reason": "Sibling is a council employee"})
    if role in MAY_RESTRICT:
        assert client.get(url).status_code == 200
        assert response.status_code == 302
        assert _state(child)[2] is True
    else:
        assert client.get(url).status_code in (403, 404)
        assert response.status_code in (403, 404)
        assert _state(child) == before


def test_the_allocation_page_explains_a_worker_outside_the_team_and_saves_nothing(
    users, team, child, client_for
):
    other_team = TeamFactory.create(agency=team.agency, name="Looked After Team")
    outsider = UserFactory.create(role=Role.SOCIAL_WORKER, agency=team.agency, team=other_team)
    before = _state(child)
    response = client_for(users[Role.MANAGER]).post(
        f"/children/{child.public_id}/allocation/",
        {"team": team.pk, "allocated_worker": outsider.pk},
    )
    assert response.status_code == 200
    assert (
        "Choose an active social worker in the Children in Need Team" in response.content.decode()
    )
    assert _state(child) == before


@pytest.mark.parametrize("role", list(Role))
def test_the_edit_page_offers_no_allocation_or_restriction(role, users, child, client_for):
    response = client_for(users[role]).get(f"/children/{child.public_id}/edit/")
    if response.status_code != 200:
        assert not policy.can_edit_child(users[role], child)
        return
    page = response.content.decode()
    for name in ("allocated_worker", "is_restricted", 'name="team"'):
        assert name not in page


def test_the_record_links_to_allocation_and_restriction_only_for_managers(users, child, client_for):
    manager_page = client_for(users[Role.MANAGER]).get(f"/children/{child.public_id}/")
    worker_page = client_for(users[Role.SOCIAL_WORKER]).get(f"/children/{child.public_id}/")
    for link in ("/allocation/", "/restriction/"):
        assert link in manager_page.content.decode()
        assert link not in worker_page.content.decode()
