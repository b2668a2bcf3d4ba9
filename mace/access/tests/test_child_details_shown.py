"""Whose details a list, a page or a form may show now (issue 16, SPEC C11), every role both
ways: `may_see_child_details` for one child and `children_shown_in_full` for a list agree.

- restricted: restricted, allocated to the social worker, in the manager's team, referred to
  the RHI worker's agency and worked with by the inclusion officer
- plain: the same relationships, not restricted
"""

import datetime

import pytest
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import Role
from mace.people.models import Involvement
from mace.people.services import restricted_access_grant
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

SHOWN_NOW = {
    Role.SOCIAL_WORKER: {"restricted", "plain"},  # allocated worker: exempt
    Role.MANAGER: {"restricted", "plain"},  # the child's team's manager: exempt
    Role.POLICE_OFFICER: {"plain"},
    Role.MISSING_COORDINATOR: {"plain"},
    Role.RHI_WORKER: {"plain"},
    Role.INCLUSION_OFFICER: {"plain"},
    Role.PANEL_MEMBER: set(),  # not on an agenda they sit on
    Role.ANALYST: set(),
    Role.AUDITOR: set(),
    Role.ADMINISTRATOR: set(),
}
MAY_GIVE_A_REASON = [Role.POLICE_OFFICER, Role.MISSING_COORDINATOR, Role.RHI_WORKER]


@pytest.fixture
def children(users, team):
    made = {}
    for name, restricted in (("restricted", True), ("plain", False)):
        child = ChildFactory(
            is_restricted=restricted, allocated_worker=users[Role.SOCIAL_WORKER], team=team
        )
        Involvement.objects.create(
            child=child,
            kind=Involvement.Kind.RHI_PROVIDER,
            agency=users[Role.RHI_WORKER].agency,
            start_date=datetime.date(2026, 1, 5),
        )
        Involvement.objects.create(
            child=child,
            kind=Involvement.Kind.INCLUSION,
            user=users[Role.INCLUSION_OFFICER],
            start_date=datetime.date(2026, 1, 5),
        )
        made[name] = child
    return made


@pytest.mark.parametrize("role", list(Role))
def test_child_details_are_shown_only_to_those_who_may_open_the_record_now(role, users, children):
    user = users[role]
    expected = SHOWN_NOW[role]
    for name, child in children.items():
        assert policy.may_see_child_details(user, child) is (name in expected), name
    shown = policy.children_shown_in_full(user, children.values())
    assert shown == {children[name].pk for name in expected}


@pytest.mark.parametrize("role", MAY_GIVE_A_REASON)
def test_a_reason_in_force_shows_a_restricted_childs_details(role, users, children):
    user = users[role]
    child = children["restricted"]
    grant = restricted_access_grant(actor=user, child=child, reason="Missing tonight: enquiries")
    assert policy.may_see_child_details(user, child)
    assert child.pk in policy.children_shown_in_full(user, [child])
    grant.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    grant.save()
    assert not policy.may_see_child_details(user, child)
    assert policy.children_shown_in_full(user, [child]) == set()


MAY_CHANGE_EDUCATION = {
    Role.MANAGER: {"restricted", "plain"},
    Role.MISSING_COORDINATOR: {"plain"},
    Role.INCLUSION_OFFICER: {"plain"},
}


@pytest.mark.parametrize("role", list(Role))
def test_education_entries_change_only_for_those_who_may_see_the_childs_details_now(
    role, users, children
):
    user = users[role]
    expected = MAY_CHANGE_EDUCATION.get(role, set())
    for name, child in children.items():
        assert policy.can_change_education(user, child) is (name in expected), name
