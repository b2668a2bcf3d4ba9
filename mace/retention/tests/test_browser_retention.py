"""The retention review list, a decision and the purge's confirmation in a real browser,
each page checked with axe (WCAG 2.2 AA)."""

import pytest
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.models import Child
from mace.retention import services
from mace.retention.models import RetentionReview
from mace.retention.tests.helpers import child_over_25

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_keeps_one_record_and_deletes_another(browser, live_server, users):
    manager = users[Role.MANAGER]
    kept = child_over_25()
    purged = child_over_25()
    services.retention_reviews_list()
    assert RetentionReview.objects.count() == 2
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server.url, manager)

    page.get_by_role("link", name="Retention").first.click()
    expect(page.get_by_role("heading", name="Retention review")).to_be_visible()
    expect(page.get_by_test_id("retention-count")).to_have_text("To decide: 2.")
    assert_accessible(page)

    page.get_by_role("link", name=f"Decide on {kept.reference}").click()
    expect(page.get_by_role("heading", name="Decide on a record due for deletion")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Keep it, for a reason, until a next review").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for keeping the record"
    )
    assert_accessible(page)
    page.get_by_label("Reason for keeping it").fill("Subject access request in progress")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("retention-count")).to_have_text("To decide: 1.")
    assert_accessible(page)

    page.get_by_role("link", name=f"Decide on {purged.reference}").click()
    page.get_by_label("Delete the record").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Delete this record")).to_be_visible()
    counts = page.get_by_test_id("purge-counts")
    expect(counts.get_by_role("row", name="Child's record 1")).to_be_visible()
    expect(counts.get_by_role("row", name="Retention review 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason for deleting it").fill("The retention period has ended")
    page.get_by_role("button", name="Delete the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that you understand the record cannot be restored"
    )
    expect(page.get_by_label("Reason for deleting it")).to_have_value(
        "The retention period has ended"
    )
    assert_accessible(page)
    page.get_by_label("I understand that this deletes everything").check()
    page.get_by_role("button", name="Delete the record").click()
    expect(page.get_by_test_id("no-retention-reviews")).to_be_visible()
    assert_accessible(page)
    assert not Child.objects.filter(pk=purged.pk).exists()
    assert Child.objects.filter(pk=kept.pk).exists()
