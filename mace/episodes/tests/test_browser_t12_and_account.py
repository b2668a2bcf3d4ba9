"""Issue 18 in a real browser, each page checked with axe: recording the T12 offer of a
health assessment on the episode ("No" needs a reason and keeps it open), and choosing the
daily digest on one's own account page."""

import pytest
from playwright.sync_api import expect

from mace.accounts.models import NotificationEmails, Role
from mace.episodes.tests.test_t12_health_assessment import returned  # noqa: F401 - a fixture
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.worklist.models import DueItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_t12_recorded_no_with_a_reason_then_yes_and_the_digest_chosen(
    browser,
    live_server,
    users,
    returned,  # noqa: F811 - the fixture imported above
):
    base = live_server.url
    coordinator = users[Role.MISSING_COORDINATOR]
    page = browser.new_context().new_page()
    sign_in(page, base, coordinator)
    episode_url = f"{base}/episodes/{returned.public_id}/"

    page.goto(episode_url)
    page.get_by_role("link", name="Record the offer of a health assessment").click()
    assert_accessible(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("If not, why not").fill("Child asleep on return; to offer tomorrow")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Health assessment recorded")).to_be_visible()
    expect(
        page.get_by_text("Not offered: Child asleep on return; to offer tomorrow")
    ).to_be_visible()
    assert_accessible(page)
    assert DueItem.objects.get(rule="T12").status == "open"

    page.get_by_role("link", name="Record the offer of a health assessment").click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Health assessment recorded")).to_be_visible()
    assert DueItem.objects.get(rule="T12").status == "done"

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("One email a day, a digest of the day's notifications").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your email preference has been saved")).to_be_visible()
    assert_accessible(page)
    coordinator.refresh_from_db()
    assert coordinator.notification_emails == NotificationEmails.DAILY_DIGEST
