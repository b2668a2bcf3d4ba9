"""A panel in a real browser, every page checked with axe (issue 5): build this week's
agenda, record a child's discussion with two agencies' views of the risk and an action,
agree the minutes, and see the action on its owner's worklist."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import AgencyFactory
from mace.episodes import services as episodes
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.meetings.tests.helpers import next_day, weekly_series
from mace.people.tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agenda_discussion_minutes_and_the_action_on_the_worklist(
    browser, live_server, users, team
):
    base = live_server.url
    worker = users[Role.SOCIAL_WORKER]
    coordinator = users[Role.MISSING_COORDINATOR]
    chair = users[Role.PANEL_MEMBER]
    health = AgencyFactory(name="Northbridge Health Trust", kind=Agency.Kind.HEALTH)
    police = users[Role.POLICE_OFFICER].agency
    series = weekly_series(chair=chair)
    day = next_day(series)
    child = ChildFactory(
        first_name="Ottilie",
        last_name="Fairweather",
        allocated_worker=worker,
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

    page = browser.new_context().new_page()
    sign_in(page, base, coordinator)
    page.goto(f"{base}/meetings/")
    assert_accessible(page)
    schedule = page.get_by_test_id(f"schedule-{series.public_id}")
    schedule.get_by_role("button", name=f"Build the agenda for {day:%-d %B %Y}").click()
    expect(page.get_by_text("Agenda built: 1 item")).to_be_visible()
    missing = page.get_by_test_id("agenda-missing")
    expect(missing.get_by_role("row").filter(has_text="Ottilie Fairweather")).to_contain_text(
        "Missing now"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Record the discussion of Ottilie Fairweather").first.click()
    assert_accessible(page)
    page.get_by_label("What was discussed").fill("Seen with older males at the station")
    page.get_by_label("Agency 1: which agency (optional)").select_option(label=police.name)
    page.get_by_role("group", name="Agency 1: its view of the risk").get_by_label("High").check()
    page.get_by_label("Agency 2: which agency (optional)").select_option(label=health.name)
    page.get_by_role("group", name="Agency 2: its view of the risk").get_by_label("Medium").check()
    page.get_by_label("Action 1 (optional)").fill("Update the safety plan with the carers")
    page.get_by_label("Action 1: owner").select_option(label=str(worker))
    due = day + datetime.timedelta(days=7)
    dates = page.get_by_role("group", name="Action 1: due date")
    dates.get_by_label("Day").fill(str(due.day))
    dates.get_by_label("Month").fill(str(due.month))
    dates.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Save the discussion").click()
    row = page.get_by_test_id("agenda-missing").get_by_role("row").filter(has_text="Fairweather")
    expect(row).to_contain_text("Discussed")
    expect(row).to_contain_text("High")
    expect(row).to_contain_text("Medium")
    assert_accessible(page)

    page.get_by_role("link", name="Write or agree the minutes").click()
    page.get_by_label("Minutes").fill("One child discussed; risk high; safety plan to update.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Minutes saved")).to_be_visible()
    assert_accessible(page)

    chairing = browser.new_context().new_page()
    sign_in(chairing, base, chair)
    chairing.goto(f"{base}/meetings/")
    chairing.get_by_test_id(f"schedule-{series.public_id}").get_by_role(
        "link", name=f"Open the meeting of {day:%-d %B %Y}"
    ).click()
    chairing.get_by_role("link", name="Write or agree the minutes").click()
    assert_accessible(chairing)
    chairing.get_by_role("button", name="Agree the minutes").click()
    expect(chairing.get_by_text("Minutes agreed")).to_be_visible()
    assert_accessible(chairing)

    owner = browser.new_context().new_page()
    sign_in(owner, base, worker)
    owner.goto(f"{base}/worklist/")
    action = owner.get_by_test_id("worklist").get_by_role("row").filter(has_text="ACT")
    expect(action).to_contain_text("Panel action: Update the safety plan with the carers")
    expect(action).to_contain_text("Ottilie Fairweather")
    assert_accessible(owner)
    action.get_by_role("link", name="Ottilie Fairweather").click()
    expect(owner.get_by_test_id("panel-actions")).to_contain_text("Update the safety plan")
    assert_accessible(owner)
