"""Issue 19 point 5 in a real browser: the GOV.UK character count starts on a textarea
whose field has a limit (the minutes), counts as the user types and over the limit, with
no script error, and the page passes axe."""

import pytest
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.meetings import panels
from mace.meetings.tests.helpers import next_day, weekly_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_minutes_count_their_characters_as_they_are_typed(browser, live_server, users):
    coordinator = users[Role.MISSING_COORDINATOR]
    series = weekly_series()
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server.url, coordinator)

    page.goto(f"{live_server.url}/meetings/{meeting.public_id}/minutes/")
    minutes = page.get_by_label("Minutes", exact=True)
    minutes.fill("One child discussed.")

    expect(page.get_by_text("You have 99,980 characters remaining")).to_be_visible()
    assert minutes.get_attribute("maxlength") is None
    assert_accessible(page)
    assert errors == []
