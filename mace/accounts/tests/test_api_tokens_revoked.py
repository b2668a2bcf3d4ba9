"""Issue 16 point 5: an API token is a credential, so it goes when the others change.

Resetting a user's password and two-factor, changing one's own password, deactivating an
account and reactivating it each revoke every API token of that user, for good and audited.
"""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from mace.accounts.models import Role, User
from mace.accounts.tests.factories import TEST_PASSWORD, UserFactory
from mace.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-for-tests"


def _token_for(user: User) -> str:
    _, token = AuthToken.objects.create(user=user)
    return token


def _api_status(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/children/").status_code


def _revocations() -> int:
    return AuditEvent.objects.filter(
        object_type="knox.authtoken", summary__startswith="Revoked an API token"
    ).count()


@pytest.fixture
def other_administrator(users) -> User:
    """A second administrator, so the administrator of `users` can be a target too."""
    return UserFactory.create(role=Role.ADMINISTRATOR, agency=users[Role.ADMINISTRATOR].agency)


@pytest.mark.parametrize("role_user", [r.value for r in Role], indirect=True)
def test_resetting_password_and_two_factor_revokes_every_api_token(
    role_user, other_administrator, client_for
):
    tokens = [_token_for(role_user), _token_for(role_user)]
    assert all(_api_status(token) != 401 for token in tokens)
    admin = client_for(other_administrator)
    response = admin.post(f"/account/users/{role_user.public_id}/reset/")
    assert response.status_code == 200
    assert [_api_status(token) for token in tokens] == [401, 401]
    assert not AuthToken.objects.filter(user=role_user).exists()
    assert _revocations() == 2


@pytest.mark.parametrize("role_user", [r.value for r in Role], indirect=True)
def test_changing_ones_own_password_revokes_every_api_token(role_user, client_for):
    token = _token_for(role_user)
    assert _api_status(token) != 401
    web = client_for(role_user)
    response = web.post(
        "/account/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    role_user.refresh_from_db()
    assert role_user.check_password(NEW_PASSWORD)
    assert _api_status(token) == 401
    assert _revocations() == 1
    # The session that changed the password stays signed in.
    assert web.get("/").status_code == 200


def test_a_refused_password_change_keeps_the_api_tokens(users, client_for):
    worker = users[Role.SOCIAL_WORKER]
    token = _token_for(worker)
    response = client_for(worker).post(
        "/account/password/",
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": "x"},
    )
    assert response.status_code == 200
    assert _api_status(token) == 200
    assert _revocations() == 0


@pytest.mark.parametrize("role_user", [r.value for r in Role], indirect=True)
def test_deactivating_an_account_revokes_every_api_token_and_reactivating_does_not_bring_them_back(
    role_user, other_administrator, client_for
):
    token = _token_for(role_user)
    assert _api_status(token) != 401
    admin = client_for(other_administrator)
    admin.post(f"/account/users/{role_user.public_id}/deactivate/")
    role_user.refresh_from_db()
    assert not role_user.is_active
    assert _api_status(token) == 401
    admin.post(f"/account/users/{role_user.public_id}/activate/")
    role_user.refresh_from_db()
    assert role_user.is_active
    assert _api_status(token) == 401
    assert not AuthToken.objects.filter(user=role_user).exists()
    assert _revocations() == 1


def test_reactivating_an_account_revokes_tokens_left_from_before_it_was_deactivated(
    users, client_for
):
    """An account deactivated before tokens were revoked on deactivation may still hold
    some: only a person signed in can make a token, so any found at reactivation are old."""
    worker = users[Role.SOCIAL_WORKER]
    token = _token_for(worker)
    User.objects.filter(pk=worker.pk).update(is_active=False)
    client_for(users[Role.ADMINISTRATOR]).post(f"/account/users/{worker.public_id}/activate/")
    worker.refresh_from_db()
    assert worker.is_active
    assert _api_status(token) == 401


def test_unlocking_an_account_keeps_its_api_tokens(users, client_for):
    """Unlocking after failed sign-ins changes no credential, so tokens stay."""
    worker = users[Role.SOCIAL_WORKER]
    token = _token_for(worker)
    client_for(users[Role.ADMINISTRATOR]).post(f"/account/users/{worker.public_id}/unlock/")
    assert _api_status(token) == 200
