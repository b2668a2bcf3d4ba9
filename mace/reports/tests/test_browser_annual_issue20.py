"""The annual report's new figures (issue 20 point 6) in a real browser: the sections and
tables where the seeds put them, the new charts beside their tables, axe clean at 1280 and
390 px, and no sideways scroll of the page on a phone."""

import pytest
from playwright.sync_api import expect

from mace.frontend.tests.browser import assert_accessible, sign_in

from .test_annual_issue20 import assessed, missing  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANNUAL = "/reports/annual/?start_0=1&start_1=4&start_2=2025&end_0=31&end_1=3&end_2=2026"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_new_sections_of_the_annual_report(
    page,
    live_server,
    users,
    missing,  # noqa: F811
    assessed,  # noqa: F811
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, users["manager"])
    page.goto(f"{live_server.url}{ANNUAL}")
    expect(
        page.get_by_role("heading", name="Placements and going missing together")
    ).to_be_visible()
    expect(page.get_by_test_id("placements-together")).to_contain_text(
        "Children placed here by other authorities"
    )
    expect(page.get_by_test_id("gender")).to_contain_text("Female")
    expect(page.get_by_test_id("repeat-by-status")).to_contain_text("Looked after")
    expect(page.get_by_test_id("sources")).to_contain_text("School or education setting")
    expect(page.get_by_test_id("suspects")).to_contain_text("Met the child online")
    expect(page.get_by_test_id("every-type")).to_contain_text("Sexual (CSE)")
    for name in (
        "Episodes and children by gender",
        "Children by every type of exploitation assessed",
        "Children assessed by where the concern came from",
    ):
        chart = page.get_by_role("img", name=name)
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 100
        assert box["x"] + box["width"] <= width
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert_accessible(page)
