"""The child at a glance in a real browser (issue 19 point 2): a child missing now, opened by
their social worker at 1280 px and 390 px, shows the header with "Missing now", the time
gone and the police risk, and the overdue list; every page checked with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_child_missing_now_shows_the_header(browser, live_server, users, team, width):
    worker = users[Role.SOCIAL_WORKER]
    officer = users[Role.POLICE_OFFICER]
    child = ChildFactory(
        first_name="Marnie",
        last_name="Cresswell",
        allocated_worker=worker,
        team=team,
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 13 + 40),
    )
    now = timezone.now()
    episode = episodes.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=now - datetime.timedelta(hours=6),
        reported_at=now - datetime.timedelta(hours=5),
    )
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="high")
    DueItem.objects.create(
        key=f"TEST:{child.pk}",
        rule="T7",
        title="Chase the strategy discussion",
        child=child,
        role=Role.SOCIAL_WORKER,
        due_at=now - datetime.timedelta(hours=1),
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, worker)
        page.goto(f"{live_server.url}/children/{child.public_id}/")
        header = page.get_by_test_id("child-header")
        expect(header).to_be_visible()
        expect(header.get_by_text("Missing now")).to_be_visible()
        expect(header.get_by_test_id("child-header-missing-for")).to_contain_text("6\xa0hours")
        expect(header.get_by_test_id("child-header-police-risk")).to_have_text("High")
        expect(header.get_by_text("13", exact=True)).to_be_visible()
        expect(header.get_by_test_id("child-header-overdue")).to_contain_text(
            "Chase the strategy discussion"
        )
        assert_accessible(page)
        # The same header on the episode, which says the time gone once only.
        header.get_by_role("link", name="6\xa0hours").click()
        expect(page.get_by_test_id("child-header")).to_be_visible()
        expect(page.get_by_test_id("episode-duration")).to_be_visible()
        assert_accessible(page)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"The page scrolls sideways at {width} px"
    finally:
        context.close()
