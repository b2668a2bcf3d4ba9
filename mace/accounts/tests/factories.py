"""Test data for agencies, teams and users."""

from functools import cache
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from mace.accounts.models import Agency, Role, Team, User

TEST_PASSWORD = "correct-horse-battery-staple"


@cache
def _password_hash() -> str:
    """Hashed once per test run: Argon2 is slow by design."""
    return make_password(TEST_PASSWORD)


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    kind = Agency.Kind.CHILDRENS_SOCIAL_CARE


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Test Team {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user who can sign in with TEST_PASSWORD and is not asked to change it."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.LazyFunction(_password_hash)
    role = Role.SOCIAL_WORKER
    agency = factory.SubFactory(AgencyFactory)
    team = None
    must_change_password = False


def add_totp_device(user: User, **fields: Any) -> TOTPDevice:
    """A confirmed authenticator with a random secret, as if the user had set one up."""
    fields.setdefault("name", "Authenticator app")
    return TOTPDevice.objects.create(user=user, confirmed=True, **fields)
