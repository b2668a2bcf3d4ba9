"""The annual report in a real browser, checked with axe: the form, the charts beside their
tables, and a download link."""

import pytest
from playwright.sync_api import expect

from mace.frontend.tests.browser import assert_accessible, sign_in

from .test_annual import known  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_run_the_annual_report_from_the_web(page, live_server, users, known):  # noqa: F811
    sign_in(page, live_server.url, users["analyst"])
    page.get_by_role("link", name="Reports").first.click()
    assert_accessible(page)
    start = page.get_by_role("group", name="From (the first day counted)")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2025")
    end = page.get_by_role("group", name="To (the last day counted)")
    end.get_by_label("Day").fill("31")
    end.get_by_label("Month").fill("3")
    end.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("heading", name="Missing children: annual report")).to_be_visible()
    expect(page.get_by_test_id("summary")).to_contain_text("Episodes")
    expect(page.get_by_role("img", name="Episodes by legal status at the time")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "mace-annual-2025-04-01-2026-03-31.csv"


def test_the_dataset_page(page, live_server, users):
    sign_in(page, live_server.url, users["manager"])
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="The dataset for the last quarter").click()
    expect(page.get_by_test_id("dataset")).to_contain_text("Number of known people of concern")
    assert_accessible(page)
    page.get_by_label("For publication: suppress numbers under 5").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("dataset")).to_contain_text("Persistent absence")
    assert_accessible(page)


ANNUAL = "/reports/annual/?start_0=1&start_1=4&start_2=2025&end_0=31&end_1=3&end_2=2026"


def _intersect(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_no_chart_overlaps_its_table(page, live_server, users, known, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, users["manager"])
    page.goto(f"{live_server.url}{ANNUAL}")
    rows = page.locator(".govuk-grid-row:has(svg.mace-chart)")
    assert rows.count() == 6  # legal status, months, hours, gender, types, sources
    for n in range(rows.count()):
        row = rows.nth(n)
        chart = row.locator("svg.mace-chart").bounding_box()
        table = row.locator("table").bounding_box()
        assert chart is not None
        assert table is not None
        assert chart["width"] > 100  # drawn, not shrunk away
        assert not _intersect(chart, table), (width, n, chart, table)
        assert chart["x"] + chart["width"] <= width  # within the page, not off its side
    expect(page.get_by_text("Not open to children's services").first).to_be_visible()
    assert_accessible(page)


def test_a_manager_downloads_a_return_from_the_reports_page(page, live_server, users, known):  # noqa: F811
    sign_in(page, live_server.url, users["manager"])
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Download the SSDA903, Annex A and SSD returns").click()
    expect(page.get_by_role("heading", name="Statutory returns")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the SSD missing episodes").click()
    assert download.value.suggested_filename.startswith("ssd-missing-")
