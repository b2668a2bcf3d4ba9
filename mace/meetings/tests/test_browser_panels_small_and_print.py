"""Issue 19 points 8 and 9 in a real browser: a meeting's agenda with its time plan at 390 px
scrolls within its tables, not the page; and printed, a meeting page and a child's record
show their content without the service's navigation, buttons or the addresses of links."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.meetings import panels
from mace.meetings.tests.helpers import next_day, weekly_series
from mace.people.tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def page_is_wider_than_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def hidden_in_print(page, selector):
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s)].every("
        "e => getComputedStyle(e).display === 'none')",
        selector,
    )


def printed_link_addresses(page):
    """The text printed after links (GOV.UK Frontend adds " (/address)" in print)."""
    return page.evaluate(
        "[...document.querySelectorAll('main a[href]')]"
        ".map(a => getComputedStyle(a, '::after').content)"
        ".filter(c => c && c !== 'none' && c !== 'normal')"
    )


@pytest.fixture
def agenda(users, team):
    coordinator = users[Role.MISSING_COORDINATOR]
    series = weekly_series()
    meeting = panels.panel_meeting_open(actor=coordinator, series=series, day=next_day(series))
    child = ChildFactory(
        first_name="Ottilie",
        last_name="Fairweather",
        allocated_worker=users[Role.SOCIAL_WORKER],
        team=team,
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 14),
    )
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=timezone.now() - datetime.timedelta(hours=6),
    )
    panels.agenda_build(actor=coordinator, meeting=meeting)
    return meeting, child


def test_the_agenda_and_its_time_plan_at_390_px(browser, live_server, users, agenda):
    meeting, _child = agenda
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server.url, users[Role.MISSING_COORDINATOR])

    page.goto(f"{live_server.url}/meetings/{meeting.public_id}/")

    expect(page.get_by_test_id("time-plan")).to_contain_text("minutes of business")
    row = page.get_by_test_id("agenda-missing").get_by_role("row").filter(has_text="Fairweather")
    expect(row).to_contain_text("Discuss first")
    assert not page_is_wider_than_the_screen(page)
    assert_accessible(page)
    page.context.close()


def test_a_meeting_page_and_a_child_record_print_without_the_service_around_them(
    browser, live_server, users, agenda
):
    meeting, child = agenda
    page = browser.new_context().new_page()
    sign_in(page, live_server.url, users[Role.MISSING_COORDINATOR])

    for path in (f"/meetings/{meeting.public_id}/", f"/children/{child.public_id}/"):
        page.goto(f"{live_server.url}{path}")
        page.emulate_media(media="print")
        assert hidden_in_print(page, ".govuk-template__header"), path
        assert hidden_in_print(page, ".govuk-template__footer"), path
        assert hidden_in_print(page, "main .govuk-button"), path
        assert printed_link_addresses(page) == [], path
        expect(page.locator("h1")).to_be_visible()
        page.emulate_media(media="screen")
        expect(page.locator(".govuk-template__header")).to_be_visible()
    page.context.close()
