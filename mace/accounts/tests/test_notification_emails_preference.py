"""Issue 18: each user chooses, on their own account page, an email for each notification
or one daily digest."""

import re

import pytest

from mace.access import policy
from mace.accounts.models import NotificationEmails, Role
from mace.audit.models import AuditEvent


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_active_user_sets_their_own_notification_emails_and_no_inactive_one(role, users):
    user = users[role]
    assert policy.can_change_own_account_settings(user) is True
    user.is_active = False
    assert policy.can_change_own_account_settings(user) is False


def chosen(html):
    """The value of the radio that is checked."""
    return re.findall(r'<input[^>]*value="(\w+)"[^>]*checked', html) or re.findall(
        r'<input[^>]*checked[^>]*value="(\w+)"', html
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_the_account_page_sets_the_daily_digest_and_back(role, users, client_for):
    user = users[role]
    client = client_for(user)
    page = client.get("/account/you/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="daily_digest"' in html
    assert chosen(html) == ["immediate"]
    saved = client.post("/account/you/", {"notification_emails": "daily_digest"})
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.notification_emails == NotificationEmails.DAILY_DIGEST
    assert chosen(client.get("/account/you/").content.decode()) == ["daily_digest"]
    client.post("/account/you/", {"notification_emails": "immediate"})
    user.refresh_from_db()
    assert user.notification_emails == NotificationEmails.IMMEDIATE
    changes = AuditEvent.objects.filter(
        object_id=str(user.public_id), summary="Changed own notification emails"
    )
    assert changes.count() == 2


@pytest.mark.django_db
def test_a_bad_choice_says_what_to_fix_and_changes_nothing(users, client_for):
    user = users[Role.SOCIAL_WORKER]
    response = client_for(user).post("/account/you/", {"notification_emails": "hourly"})
    assert response.status_code == 200
    assert "the choice sent is not one of those offered" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    response = client_for(user).post("/account/you/", {})
    assert "Select how you want to be emailed" in response.content.decode()
    user.refresh_from_db()
    assert user.notification_emails == NotificationEmails.IMMEDIATE


@pytest.mark.django_db
def test_the_account_page_is_linked_from_every_page(users, client_for):
    html = client_for(users[Role.ANALYST]).get("/").content.decode()
    assert 'href="/account/you/"' in html
