"""Issue 16 point 11: sign-in failures are throttled per address as well as per account.

One wrong password for each of many usernames never locks any account (five a username),
so failures from one address are counted too, up to LOGIN_FAILURE_LIMIT_PER_ADDRESS within
LOGIN_LOCKOUT_MINUTES: higher than an account's limit, since a council's staff share an
outgoing address. The refusal says nothing about whether an account exists.
"""

import re

import pytest
from django.test import Client

from mace.accounts.models import Role
from mace.accounts.tests.factories import TEST_PASSWORD, UserFactory, add_totp_device

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.7"
ELSEWHERE = "198.51.100.4"
PROXY = "10.0.0.2"
LIMIT = 6


@pytest.fixture
def person(agency):
    user = UserFactory(username="robin.hale", role=Role.SOCIAL_WORKER, agency=agency)
    add_totp_device(user)
    return user


@pytest.fixture
def limit(settings):
    """A small limit keeps the tests quick: each failure runs the slow password hasher."""
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = LIMIT
    return LIMIT


def _sign_in(client: Client, username: str, password: str, forwarded: str = ""):
    headers = {"X-Forwarded-For": forwarded} if forwarded else None
    data = {"username": username, "password": password}
    return client.post("/account/sign-in/", data, headers=headers)


def _main(response) -> str:
    """The page's own words: without the per-response nonce and CSRF token."""
    html = response.content.decode()
    main = re.search(r"<main.*?</main>", html, re.S)
    assert main
    return main.group(0)


def test_password_spraying_from_one_address_is_throttled_at_the_address_limit(person, limit):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    statuses = [_sign_in(sprayer, f"guess.{n}", "Winter2025!").status_code for n in range(limit)]
    # Each username fails once, far below an account's limit; the address reaches its own.
    assert statuses == [200] * (limit - 1) + [429]
    # The address is refused whoever signs in, even with the right password...
    refused = _sign_in(sprayer, person.username, TEST_PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in sprayer.session
    text = _main(refused)
    assert "too many failed attempts to sign in from your network" in text
    # ...and in words that do not say whether the account exists.
    unknown = _sign_in(sprayer, "no.such.person", "Winter2025!")
    assert unknown.status_code == 429
    assert _main(unknown) == text
    assert person.username not in text
    assert "no.such.person" not in _main(unknown)


def test_password_spraying_throttle_leaves_other_addresses_alone(person, limit):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    for n in range(limit):
        _sign_in(sprayer, f"guess.{n}", "Winter2025!")
    assert _sign_in(sprayer, "guess.0", "Winter2025!").status_code == 429
    colleague = Client(REMOTE_ADDR=ELSEWHERE)
    response = _sign_in(colleague, person.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/"


def test_password_spraying_throttle_does_not_count_successful_sign_ins(person, agency, limit):
    office = [
        UserFactory(role=Role.SOCIAL_WORKER, agency=agency, username=f"worker.{n}")
        for n in range(limit)
    ]
    shared = Client(REMOTE_ADDR=SPRAYER)
    for colleague in office:
        assert _sign_in(shared, colleague.username, TEST_PASSWORD).status_code == 302
    # A mistake later put right by a successful sign-in is not held against the address.
    for colleague in office[:3]:
        assert _sign_in(shared, colleague.username, "mistyped").status_code == 200
        assert _sign_in(shared, colleague.username, TEST_PASSWORD).status_code == 302
    for n in range(limit - 1):
        assert _sign_in(shared, f"guess.{n}", "Winter2025!").status_code == 200
    assert _sign_in(shared, person.username, TEST_PASSWORD).status_code == 302


def test_password_spraying_a_forged_forwarded_address_does_not_escape_the_throttle(
    person, limit, settings
):
    settings.BEHIND_TLS_PROXY = False
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    statuses = [
        _sign_in(sprayer, f"guess.{n}", "Winter2025!", forwarded=f"192.0.2.{n}").status_code
        for n in range(limit)
    ]
    assert statuses[-1] == 429


def test_password_spraying_behind_the_proxy_counts_the_address_the_proxy_saw(
    person, limit, settings
):
    """Behind the TLS proxy every request comes from the proxy: the client is the address
    the proxy appended last to X-Forwarded-For (earlier entries are the client's own say)."""
    settings.BEHIND_TLS_PROXY = True
    via_proxy = Client(REMOTE_ADDR=PROXY)
    statuses = [
        _sign_in(
            via_proxy,
            f"guess.{n}",
            "Winter2025!",
            forwarded=f"192.0.2.{n}, {SPRAYER}",
        ).status_code
        for n in range(limit)
    ]
    assert statuses[-1] == 429
    colleague = _sign_in(via_proxy, person.username, TEST_PASSWORD, forwarded=ELSEWHERE)
    assert colleague.status_code == 302


def test_password_spraying_limit_per_address_is_well_above_an_accounts(settings):
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS == 50
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS > 5 * settings.AXES_FAILURE_LIMIT
