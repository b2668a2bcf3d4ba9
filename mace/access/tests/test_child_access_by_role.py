"""Every role of SPEC section 1, both ways: who may open a child's record and who may not (C11).

Four children, each with a different relationship to the people signed in:
- allocated: allocated to the social worker, in their team
- unrelated: in another team, no one here works with them
- referred: referred to the return interview provider (the RHI worker's agency)
- inclusion: the inclusion officer is recorded as working with them
"""

import datetime

import pytest

from mace.access import policy
from mace.accounts.models import Role
from mace.accounts.tests.factories import TeamFactory
from mace.people.models import Involvement
from mace.people.tests.factories import ChildFactory

EVERYONE = ["allocated", "unrelated", "referred", "inclusion"]
EXPECTED_VISIBLE = {
    Role.POLICE_OFFICER: EVERYONE,
    Role.MISSING_COORDINATOR: EVERYONE,
    Role.MANAGER: EVERYONE,
    Role.SOCIAL_WORKER: ["allocated"],
    Role.RHI_WORKER: ["referred"],
    Role.INCLUSION_OFFICER: ["inclusion"],
    Role.PANEL_MEMBER: [],
    Role.ANALYST: [],
    Role.AUDITOR: [],
    Role.ADMINISTRATOR: [],
}


@pytest.fixture
def children(users, team):
    today = datetime.date(2026, 1, 5)
    allocated = ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)
    unrelated = ChildFactory(team=TeamFactory(agency=team.agency))
    referred = ChildFactory()
    Involvement.objects.create(
        child=referred,
        kind=Involvement.Kind.RHI_PROVIDER,
        agency=users[Role.RHI_WORKER].agency,
        start_date=today,
    )
    inclusion = ChildFactory()
    Involvement.objects.create(
        child=inclusion,
        kind=Involvement.Kind.INCLUSION,
        user=users[Role.INCLUSION_OFFICER],
        start_date=today,
    )
    return {
        "allocated": allocated,
        "unrelated": unrelated,
        "referred": referred,
        "inclusion": inclusion,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_policy_lets_each_role_open_only_the_children_it_works_with(role, users, children):
    user = users[role]
    expected = set(EXPECTED_VISIBLE[role])
    for name, child in children.items():
        decision = policy.can_view_child(user, child)
        assert decision.allowed is (name in expected), f"{role} opening {name}"
    visible = set(policy.visible_children(user).values_list("pk", flat=True))
    assert visible == {children[name].pk for name in expected}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_child_page_is_shown_or_refused_by_role(role, users, children, client_for):
    client = client_for(users[role])
    expected = set(EXPECTED_VISIBLE[role])
    for name, child in children.items():
        response = client.get(f"/children/{child.public_id}/")
        assert response.status_code == (200 if name in expected else 403), f"{role} {name}"
        if name not in expected:
            assert child.reference not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may_search"),
    [(role, role not in {Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR}) for role in Role],
)
def test_search_page_by_role(role, may_search, users, children, client_for):
    client = client_for(users[role])
    response = client.post("/children/", {"query": children["allocated"].last_name})
    assert response.status_code == (200 if may_search else 403)


SEARCHING_ROLES = [r for r in Role if r not in {Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR}]


@pytest.mark.django_db
@pytest.mark.parametrize("role", SEARCHING_ROLES)
def test_search_finds_only_children_the_role_may_open(role, users, children, client_for):
    client = client_for(users[role])
    expected = set(EXPECTED_VISIBLE[role])
    for name, child in children.items():
        response = client.post("/children/", {"query": child.reference})
        found = str(child.public_id) in response.content.decode()
        assert found is (name in expected), f"{role} searching for {name}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may_create"),
    [
        (
            role,
            role
            in {
                Role.POLICE_OFFICER,
                Role.SOCIAL_WORKER,
                Role.MISSING_COORDINATOR,
                Role.INCLUSION_OFFICER,
                Role.MANAGER,
            },
        )
        for role in Role
    ],
)
def test_create_child_page_by_role(role, may_create, users, client_for):
    response = client_for(users[role]).get("/children/new/")
    assert response.status_code == (200 if may_create else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may_read"), [(role, role in {Role.MANAGER, Role.AUDITOR}) for role in Role]
)
def test_audit_page_by_role(role, may_read, users, client_for):
    response = client_for(users[role]).get("/audit/")
    assert response.status_code == (200 if may_read else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may_manage"), [(role, role == Role.ADMINISTRATOR) for role in Role]
)
def test_user_management_by_role(role, may_manage, users, client_for):
    client = client_for(users[role])
    assert client.get("/account/users/").status_code == (200 if may_manage else 403)
    assert client.get("/account/users/new/").status_code == (200 if may_manage else 403)
    assert client.get("/account/agencies/").status_code == (200 if may_manage else 403)
    assert client.get("/account/agencies/new/").status_code == (200 if may_manage else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may_merge"),
    [(role, role in {Role.MANAGER, Role.MISSING_COORDINATOR}) for role in Role],
)
def test_merge_page_by_role(role, may_merge, users, children, client_for):
    child = children["allocated"]
    response = client_for(users[role]).get(f"/children/{child.public_id}/merge/")
    if may_merge:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.django_db
def test_intelligence_is_for_cleared_people_in_cleared_roles(users):
    cleared = {role for role in Role if policy.can_see_intelligence(users[role])}
    assert cleared == {Role.POLICE_OFFICER, Role.MISSING_COORDINATOR, Role.MANAGER}
    users[Role.POLICE_OFFICER].intelligence_cleared = False
    assert not policy.can_see_intelligence(users[Role.POLICE_OFFICER])
    users[Role.ANALYST].intelligence_cleared = True
    assert not policy.can_see_intelligence(users[Role.ANALYST])


@pytest.mark.django_db
def test_analyst_sees_no_identifiable_data(users, children):
    analyst = users[Role.ANALYST]
    assert not policy.sees_identifiable_data(analyst)
    assert policy.visible_children(analyst).count() == 0


@pytest.mark.django_db
def test_deactivated_account_sees_nothing(users, children):
    officer = users[Role.POLICE_OFFICER]
    officer.is_active = False
    assert not policy.can_view_child(officer, children["allocated"]).allowed
    assert policy.visible_children(officer).count() == 0


@pytest.mark.django_db
def test_social_worker_sees_their_teams_children_not_only_their_own(users, team):
    colleague_child = ChildFactory(team=team)
    assert policy.can_view_child(users[Role.SOCIAL_WORKER], colleague_child).allowed


@pytest.mark.django_db
def test_ended_involvement_no_longer_gives_access(users):
    child = ChildFactory()
    Involvement.objects.create(
        child=child,
        kind=Involvement.Kind.INCLUSION,
        user=users[Role.INCLUSION_OFFICER],
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 6, 30),
    )
    assert not policy.can_view_child(users[Role.INCLUSION_OFFICER], child).allowed
