"""API tokens: made after both factors, shown once, kept only as a hash, expiring, revocable."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from mace.accounts.models import Role
from mace.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _make_token(web: Client) -> str:
    response = web.post("/api-tokens/new/", follow=True)
    assert response.status_code == 200
    return response.context["new_token"]


def _api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize("role_user", [r.value for r in Role], indirect=True)
def test_every_role_may_make_a_token_that_acts_only_as_them(role_user, client_for):
    web = client_for(role_user)
    token = _make_token(web)
    stored = AuthToken.objects.get(user=role_user)
    assert token not in {stored.digest, stored.token_key}  # only a fingerprint is kept
    assert token.startswith(stored.token_key)
    assert AuditEvent.objects.filter(actor=role_user, summary="Made an API token").exists()
    # Shown once: the next visit does not show it again.
    assert web.get("/api-tokens/").context["new_token"] is None
    # The token carries the role's own access: records only for roles that see them.
    status = _api(token).get("/api/v1/children/").status_code
    assert status == (403 if role_user.role in {"analyst", "auditor", "administrator"} else 200)


def test_a_revoked_token_no_longer_works(users, client_for):
    web = client_for(users["manager"])
    token = _make_token(web)
    key = AuthToken.objects.get(user=users["manager"]).token_key
    web.post(f"/api-tokens/{key}/revoke/")
    assert _api(token).get("/api/v1/children/").status_code == 401


def test_one_cannot_revoke_someone_elses_token(users, client_for):
    token = _make_token(client_for(users["manager"]))
    key = AuthToken.objects.get(user=users["manager"]).token_key
    client_for(users["social_worker"]).post(f"/api-tokens/{key}/revoke/")
    assert _api(token).get("/api/v1/children/").status_code == 200


def test_an_expired_token_is_refused(users, client_for):
    token = _make_token(client_for(users["manager"]))
    AuthToken.objects.filter(user=users["manager"]).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert _api(token).get("/api/v1/children/").status_code == 401


def test_a_deactivated_account_loses_its_tokens(users, client_for):
    token = _make_token(client_for(users["manager"]))
    users["manager"].is_active = False
    users["manager"].save()
    assert _api(token).get("/api/v1/children/").status_code == 401


def test_the_token_page_needs_both_factors(users):
    web = Client()
    web.force_login(users["manager"])  # a password only: no second factor yet
    response = web.post("/api-tokens/new/")
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=users["manager"]).exists()


def test_tokens_are_limited_in_number(users, client_for):
    web = client_for(users["manager"])
    for _ in range(5):
        _make_token(web)
    response = web.post("/api-tokens/new/", follow=True)
    assert response.context["new_token"] is None
    assert "already have 5 tokens" in response.content.decode()
    assert AuthToken.objects.filter(user=users["manager"]).count() == 5
