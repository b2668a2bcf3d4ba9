"""The annual report's narrative in a real browser, checked with axe at 1280 and 390 px:
the coordinator writes it from the report's page, a section too long is shown back with
its error and nothing lost, the narrative reads under its headings, and the PDF downloads."""

import pytest
from playwright.sync_api import expect

from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.reports import narrative

from .test_annual import known  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNUAL = "/reports/annual/?start_0=1&start_1=4&start_2=2025&end_0=31&end_1=3&end_2=2026"


@pytest.mark.parametrize("width", [1280, 390])
def test_write_the_narrative_and_read_it_in_the_report(page, live_server, users, known, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, users["missing_coordinator"])
    page.goto(live_server.url + ANNUAL)
    expect(page.get_by_test_id("narrative-status")).to_contain_text("No narrative")
    page.get_by_role("link", name="Write the narrative").click()
    expect(page.get_by_role("heading", name="The annual report's narrative")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Introduction").fill("The year in brief.\n\nA second paragraph.")
    page.get_by_label("Month by month").fill("A" * (narrative.MAX_CHARACTERS + 1))
    page.get_by_role("button", name="Save the narrative").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Month by month must be 10,000 characters or fewer")
    expect(page.get_by_label("Introduction")).to_have_value(
        "The year in brief.\n\nA second paragraph."
    )
    assert_accessible(page)

    page.get_by_label("Month by month").fill("Autumn was the busiest time.")
    page.get_by_label("Conclusions and recommendations").fill("Review the interview offer.")
    page.get_by_role("button", name="Save the narrative").click()
    expect(page.get_by_text("The narrative was saved")).to_be_visible()
    expect(page.get_by_test_id("narrative-introduction")).to_contain_text("A second paragraph.")
    expect(page.get_by_test_id("narrative-monthly")).to_contain_text("Autumn was the busiest")
    expect(page.get_by_test_id("narrative-conclusions")).to_contain_text("Review the interview")
    expect(page.get_by_test_id("narrative-status")).to_contain_text("Narrative last changed by")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "mace-annual-2025-04-01-2026-03-31.pdf"
