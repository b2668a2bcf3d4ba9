"""Who may search the audit trail by name, and who sees an audit event's values (C11, issue 16)."""

import datetime

import pytest
from django.utils import timezone

from mace.access import policy
from mace.access.models import RestrictedAccessGrant
from mace.accounts.models import Role
from mace.audit.services import audit_record
from mace.people.tests.factories import ChildFactory


def event(child):
    """A change to the child's record, in the audit trail."""
    return audit_record(
        actor=None, action="change", obj=child, child_id=child.public_id, after={"school": "X"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_managers_may_search_the_audit_trail_by_a_childs_name(role, users):
    assert policy.can_search_audit_by_child_name(users[role]) == (role == Role.MANAGER)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_a_restricted_child_is_name_searchable_in_the_audit_only_once_openable(role, users):
    user = users[role]
    plain = ChildFactory()
    restricted = ChildFactory(is_restricted=True)
    searchable = set(policy.audit_name_searchable_children(user))
    assert searchable == ({plain} if role == Role.MANAGER else set())
    RestrictedAccessGrant.objects.create(
        user=user,
        child=restricted,
        reason="Reviewing the record",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    searchable = set(policy.audit_name_searchable_children(user))
    assert searchable == ({plain, restricted} if role == Role.MANAGER else set())


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_a_manager_who_may_open_the_child_sees_an_audit_events_values(role, users, team):
    user = users[role]
    plain = ChildFactory()
    held_by_team = ChildFactory(is_restricted=True, team=team)
    restricted = ChildFactory(is_restricted=True)

    is_manager = role == Role.MANAGER
    assert policy.can_see_audit_values(user, event(plain), plain) == is_manager
    assert policy.can_see_audit_values(user, event(held_by_team), held_by_team) == is_manager
    assert policy.can_see_audit_values(user, event(restricted), restricted) is False
    # An event about a child no longer held shows no values to anyone.
    assert policy.can_see_audit_values(user, event(plain), None) is False
    # An event about no child (an account, a setting): managers.
    account = audit_record(actor=None, action="change", object_type="accounts.user")
    assert policy.can_see_audit_values(user, account, None) == is_manager


@pytest.mark.django_db
def test_a_merged_away_record_is_name_searchable_when_the_record_it_joined_is(users):
    manager = users[Role.MANAGER]
    keep = ChildFactory()
    duplicate = ChildFactory(merged_into=keep, is_restricted=True)
    assert duplicate in set(policy.audit_name_searchable_children(manager))
    assert policy.can_see_audit_values(manager, event(duplicate), duplicate)
