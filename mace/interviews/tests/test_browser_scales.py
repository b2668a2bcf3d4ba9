"""The child's six scales over time in a real browser (issue 19 point 3): the social worker
opens the child's page at 1280 px and 390 px and sees the chart and the table of the same
figures, scrolled within their boxes rather than the page; axe finds nothing."""

import pytest
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.episodes.tests.test_t12_health_assessment import returned as returned  # a fixture
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.interviews.tests.test_interview_scales_and_record import SCALES, hold

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_scales_chart_and_table_on_the_child_page(browser, live_server, users, returned, width):
    hold(users, returned, **SCALES)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, users[Role.SOCIAL_WORKER])
        page.goto(f"{live_server.url}/children/{returned.child.public_id}/")
        chart = page.get_by_test_id("scales-chart")
        expect(chart.get_by_role("img")).to_have_count(1)
        label = chart.get_by_role("img").get_attribute("aria-label") or ""
        assert label.startswith("How safe and how happy")
        table = page.get_by_test_id("scales-table")
        expect(table).to_contain_text("How safe they felt")
        expect(table.get_by_role("cell", name="9", exact=True)).to_be_visible()
        assert_accessible(page)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"The page scrolls sideways at {width} px"
    finally:
        context.close()
