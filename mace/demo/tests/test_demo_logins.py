"""`manage.py demo_logins`: how to sign in to a demonstration as each role."""

import base64
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory, add_totp_device

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = [
    "police.officer",
    "social.worker",
    "missing.coordinator",
    "rhi.worker",
    "inclusion.officer",
    "manager",
    "panel.member",
    "analyst",
    "auditor",
    "administrator",
]


def demo_logins() -> str:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    return out.getvalue()


def row_for(output: str, username: str) -> list[str]:
    """The secret and the current code printed on the username's line."""
    line = next(line for line in output.splitlines() if f" {username} " in f" {line} ")
    return re.findall(r"\b[A-Z2-7]{32}\b|\b\d{6}\b", line)


def test_lists_every_role_with_its_secret_and_a_code_that_verifies():
    call_command("seed_demo", "--children", "0", stdout=StringIO())
    output = demo_logins()

    assert "http://127.0.0.1:8000/" in output
    assert "Northbridge-demo-2026" in output
    assert "Add the secret to any authenticator app" in output
    for role in Role:
        assert role.label in output
    for username in DEMO_USERNAMES:
        secret, code = row_for(output, username)
        device = TOTPDevice.objects.get(user__username=username)
        assert base64.b32decode(secret) == bytes.fromhex(device.key)
        assert device.verify_token(code), username


def test_other_authenticators_are_not_listed():
    user = UserFactory.create(username="real.person", role=Role.SOCIAL_WORKER)
    add_totp_device(user)
    output = demo_logins()
    assert "real.person" not in output
    assert "No demonstration accounts" in output
