"""Find a child in a real browser (issue 19 point 4), at 1280 and 390 px, checked with axe:
search with a typo, open a result, go Back, and the results are still there."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "390px"])
def test_search_open_a_result_and_come_back_to_the_results(
    viewport, browser, live_server, users, team
):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(
        first_name="Zoë",
        last_name="O'Donoghue",
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 14 + 20),
        allocated_worker=worker,
        team=team,
    )
    ChildFactory(first_name="Zoe", last_name="Donovan", allocated_worker=worker, team=team)
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=timezone.now() - datetime.timedelta(hours=5),
    )
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, live_server.url, worker)
    page.goto(f"{live_server.url}/children/")
    expect(page.get_by_role("heading", name="Find a child")).to_be_visible()
    expect(page.get_by_role("heading", name="My children")).to_be_visible()
    search_box = page.get_by_label("Name, date of birth or reference")
    expect(search_box).to_be_focused()  # autofocus on the search page
    assert_accessible(page)

    search_box.fill("zoe odonohue")  # no accent, no apostrophe, a letter missing
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("search-count")).to_have_text(
        "1 child found for \u2018zoe odonohue\u2019"
    )
    results = page.get_by_test_id("search-results")
    row = results.get_by_role("row").filter(has_text="O'Donoghue")
    expect(row).to_contain_text("Missing now")
    expect(row).to_contain_text("14")
    assert_accessible(page)
    if viewport == PHONE:  # the table scrolls within itself, not the page
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    row.get_by_role("link", name="Zoë O'Donoghue").click()
    expect(page.get_by_text(child.reference).first).to_be_visible()
    page.go_back()
    expect(page.get_by_test_id("search-count")).to_have_text(
        "1 child found for \u2018zoe odonohue\u2019"
    )
    expect(page.get_by_label("Name, date of birth or reference")).to_have_value("zoe odonohue")
    expect(page.get_by_test_id("search-results")).to_contain_text("O'Donoghue")
    assert_accessible(page)

    # The record opened is now listed under "Recently viewed".
    page.goto(f"{live_server.url}/children/")
    expect(page.get_by_test_id("recently-viewed")).to_contain_text("O'Donoghue")
    assert_accessible(page)
    page.context.close()
