"""Fixtures for tests that go through pages: a Django test client signed in with two factors."""

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mace.accounts.models import User


@pytest.fixture(autouse=True)
def _settings_read_afresh():
    """The partnership's settings are kept in the process between requests
    (mace.configuration.store); a test's rolled-back rows must not reach the next test."""
    from mace.configuration import store

    store.forget()
    yield
    store.forget()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Photographs a test keeps go to a directory of its own, never the project's."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private-media")


def sign_in(client: Client, user: User) -> Client:
    """Sign the client in as the user, past two-factor, as the sign-in pages would."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test device", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """`client_for(user)`: a fresh client signed in as that user."""

    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole run (browser tests only)."""
    from mace.frontend.tests.browser import launch

    yield from launch()


@pytest.fixture
def page(browser):
    """A fresh browser context, so each test signs in from nothing."""
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []  # the Content-Security-Policy must not block any of our own code
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.csp_refusals = refused
    yield page
    context.close()
    assert refused == []


@pytest.fixture
def default_instrument(db):
    """The shipped risk assessment instrument, loaded again if a transactional test's
    flush removed what the data migration put there."""
    import importlib

    from django.apps import apps

    from mace.exploitation.instruments import active_instrument

    migration = importlib.import_module("mace.exploitation.migrations.0002_load_default_instrument")
    migration.load(apps, None)
    return active_instrument()


@pytest.fixture
def a3_library(db):
    """The shipped A3 library of disruption strategies, loaded again if a transactional
    test's flush removed what the data migration put there."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("mace.disruption.migrations.0002_load_the_a3_library")
    migration.load(apps, None)


@pytest.fixture
def interview_themes(db):
    """The default return-interview themes, loaded again if a transactional test's flush
    removed what the data migration put there."""
    import importlib

    from django.apps import apps

    from mace.interviews.models import InterviewTheme

    migration = importlib.import_module("mace.interviews.migrations.0005_load_default_themes")
    migration.load(apps, None)
    return list(InterviewTheme.objects.all())
