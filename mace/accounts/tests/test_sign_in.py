"""Signing in: password then a TOTP code for every account, lockout, idle timeout (C11)."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import Resolver404, resolve
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory, add_totp_device
from mace.audit.models import AuditEvent

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def person(agency):
    user = UserFactory(role=Role.SOCIAL_WORKER, agency=agency, must_change_password=False)
    user.set_password(PASSWORD)
    user.save()
    return user


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_password_alone_does_not_open_any_page(person):
    add_totp_device(person)
    client = Client()
    response = client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response["Location"] == "/account/two-factor/"
    assert client.get("/children/")["Location"] == "/account/two-factor/"
    assert client.get("/")["Location"] == "/account/two-factor/"


@pytest.mark.django_db
def test_password_and_code_sign_in(person):
    device = add_totp_device(person)
    client = Client()
    client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    response = client.post("/account/two-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=person).exists()


@pytest.mark.django_db
def test_wrong_code_is_refused_with_a_clear_message(person):
    add_totp_device(person)
    client = Client()
    client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    response = client.post("/account/two-factor/", {"code": "000000"})
    assert response.status_code == 200
    assert "The security code is not right" in response.content.decode()
    assert client.get("/")["Location"] == "/account/two-factor/"


@pytest.mark.django_db
def test_first_sign_in_sets_up_an_authenticator(person):
    client = Client()
    response = client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response["Location"] == "/account/two-factor/set-up/"
    page = client.get("/account/two-factor/set-up/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post("/account/two-factor/set-up/", {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_account_locks_after_repeated_failures(person):
    add_totp_device(person)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/sign-in/", {"username": person.username, "password": "wrong"})
    response = client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_one_failure_short_of_the_limit_still_signs_in(person):
    add_totp_device(person)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/account/sign-in/", {"username": person.username, "password": "wrong"})
    response = client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    assert response["Location"] == "/account/two-factor/"


def test_idle_sessions_time_out_after_the_setting():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
def test_idle_session_ends_and_asks_to_sign_in_again(person, client_for, settings):
    client = client_for(person)
    assert client.get("/").status_code == 200
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get("/")["Location"].startswith("/account/sign-in/")


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(person):
    assert identify_hasher(person.password).algorithm == "argon2"


@pytest.mark.parametrize("path", ["/account/sign-up/", "/account/signup/", "/register/"])
def test_there_is_no_self_sign_up(path):
    with pytest.raises(Resolver404):
        resolve(path)


@pytest.mark.django_db
def test_unknown_pages_ask_anonymous_people_to_sign_in_without_revealing_anything():
    response = Client().get("/children/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/children/"


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _client_with_session(key: str) -> Client:
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other


@pytest.mark.django_db
def test_session_key_is_rotated_when_the_second_factor_completes(person):
    """Issue 16 point 10: the key a password alone earned must not become a full session."""
    device = add_totp_device(person)
    client = Client()
    client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    before = _session_key(client)
    response = client.post("/account/two-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    after = _session_key(client)
    assert after != before
    assert client.get("/").status_code == 200
    old = _client_with_session(before).get("/")
    assert old.status_code == 302
    assert old["Location"].startswith("/account/sign-in/")


@pytest.mark.django_db
def test_session_key_is_rotated_when_two_factor_set_up_completes(person):
    client = Client()
    client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    client.get("/account/two-factor/set-up/")
    before = _session_key(client)
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post("/account/two-factor/set-up/", {"code": current_code(device)})
    assert response.status_code == 302
    after = _session_key(client)
    assert after != before
    assert client.get("/").status_code == 200
    old = _client_with_session(before).get("/")
    assert old.status_code == 302
    assert old["Location"].startswith("/account/sign-in/")


@pytest.mark.django_db
def test_a_wrong_code_keeps_the_same_session_key(person):
    add_totp_device(person)
    client = Client()
    client.post("/account/sign-in/", {"username": person.username, "password": PASSWORD})
    before = _session_key(client)
    client.post("/account/two-factor/", {"code": "000000"})
    assert _session_key(client) == before
