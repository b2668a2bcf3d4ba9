"""Who sees the review list of possible duplicates and who decides it (issue 18), every role
both ways. The expected sets are written here, not taken from the policy."""

import pytest

from mace.access import policy
from mace.accounts.models import Role
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

SEE = {Role.MISSING_COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR}
DECIDE = {Role.MISSING_COORDINATOR, Role.MANAGER}


@pytest.mark.parametrize("role", list(Role))
def test_coordinators_managers_and_administrators_see_the_review_list(role, users):
    assert policy.can_see_duplicate_reviews(users[role]) is (role in SEE)


@pytest.mark.parametrize("role", list(Role))
def test_an_inactive_account_sees_no_review_list(role, users):
    user = users[role]
    user.is_active = False
    assert policy.can_see_duplicate_reviews(user) is False


@pytest.mark.parametrize("role", list(Role))
def test_coordinators_and_managers_decide_a_pair_administrators_do_not(role, users):
    new, held = ChildFactory(), ChildFactory()
    assert policy.can_decide_duplicate_review(users[role], new, held) is (role in DECIDE)
    expected = {(new.pk, held.pk)} if role in DECIDE else set()
    assert policy.duplicate_pairs_decidable(users[role], [(new, held)]) == expected


@pytest.mark.parametrize("role", sorted(DECIDE))
def test_a_pair_with_a_restricted_child_is_decided_only_after_a_reason(role, users):
    from mace.people.services import restricted_access_grant

    new, held = ChildFactory(), ChildFactory(is_restricted=True)
    user = users[role]
    assert policy.can_decide_duplicate_review(user, new, held) is False
    assert policy.duplicate_pairs_decidable(user, [(new, held)]) == set()
    restricted_access_grant(actor=user, child=held, reason="Checking a possible duplicate")
    assert policy.can_decide_duplicate_review(user, new, held) is True
    assert policy.duplicate_pairs_decidable(user, [(new, held)]) == {(new.pk, held.pk)}
