"""The partnership's settings in a real browser, every page checked with axe (issue 18):
the administrator's first-run checklist, the settings overview, a change refused and put
right, and a reset to default."""

import pytest
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.configuration.models import PartnershipSetting
from mace.frontend.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_changes_a_timescale_and_resets_it(browser, live_server, users, settings):
    settings.SAFE_AND_WELL_HOURS = 3
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, users[Role.ADMINISTRATOR])

    checklist = page.get_by_test_id("first-run-checklist")
    expect(checklist.get_by_role("heading", name="Setting up MACE")).to_be_visible()
    expect(checklist).to_contain_text("Go-live date")
    expect(checklist).to_contain_text("Still missing")
    assert_accessible(page)

    page.get_by_role("link", name="Settings").first.click()
    expect(page.get_by_role("heading", name="The partnership's settings")).to_be_visible()
    row = page.get_by_test_id("setting-safe_and_well_hours")
    expect(row).to_contain_text("3 hours")
    expect(row).to_contain_text("Default")
    assert_accessible(page)

    page.get_by_role("link", name="Change timescales").click()
    expect(page.get_by_role("heading", name="Timescales")).to_be_visible()
    assert_accessible(page)
    field = page.get_by_label("Safe-and-well check (T5) (hours)")
    field.fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Safe-and-well check (T5) must be 1 or more")
    expect(page.get_by_label("Safe-and-well check (T5) (hours)")).to_have_value("0")
    assert_accessible(page)
    page.get_by_label("Safe-and-well check (T5) (hours)").fill("5")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Timescales: changes saved")).to_be_visible()
    row = page.get_by_test_id("setting-safe_and_well_hours")
    expect(row).to_contain_text("5 hours")
    expect(row).to_contain_text("Set here")
    assert_accessible(page)
    assert PartnershipSetting.objects.get(key="safe_and_well_hours").value == 5

    row.get_by_role("button", name="Reset to default").click()
    row = page.get_by_test_id("setting-safe_and_well_hours")
    expect(row).to_contain_text("3 hours")
    expect(row).to_contain_text("Default")
    assert not PartnershipSetting.objects.exists()
    context.close()
