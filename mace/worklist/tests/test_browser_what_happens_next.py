"""What happens next, in a real browser at 1280 and 390 px, each page checked with axe (issue 19
point 6): a social worker's significant-harm result (T13) and a police officer's record that a
high-risk child is found (T4) each bring one notification banner headed by the deadline."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem
from mace.worklist.next_steps import deadline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set MACE_SCREENSHOTS to a folder to keep a picture of each banner, to check by eye.
SHOTS = os.environ.get("MACE_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_significant_harm_result_and_a_high_risk_return_say_what_happens_next(
    browser, live_server, users, team, default_instrument, width
):
    base = live_server.url
    worker, officer = users[Role.SOCIAL_WORKER], users[Role.POLICE_OFFICER]
    child = ChildFactory(
        first_name="Roxanne",
        last_name="Tallis",
        allocated_worker=worker,
        team=team,
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 15),
    )
    viewport = {"width": width, "height": 900}

    social_context = browser.new_context(viewport=viewport)
    try:
        social = social_context.new_page()
        sign_in(social, base, worker)
        social.goto(f"{base}/exploitation/{child.public_id}/assessments/new/")
        social.get_by_label("Criminal (CCE, county lines, gangs)").check()
        social.get_by_label("Yes").first.check()
        social.get_by_label("Police", exact=True).check()
        for code, evidence in [
            ("SH3", "Found carrying drugs in a car with older men"),
            ("SH19", "Taken to a flat in another town twice this month"),
        ]:
            social.locator(f"input[name='yes_{code}']").check()
            social.locator(f"textarea[name='evidence_{code}']").fill(evidence)
        social.get_by_role("button", name="Save the assessment").click()
        due = DueItem.objects.get(rule="T13").due_at
        banner = social.get_by_role("alert")
        expect(banner).to_have_count(1)
        expect(banner.get_by_role("heading", name="Important")).to_be_visible()
        expect(banner.get_by_text(f"Strategy meeting due by {deadline(due)}")).to_be_visible()
        expect(banner.get_by_text("refer the child to the police now")).to_be_visible()
        expect(banner.get_by_text("Risk assessment recorded")).to_be_visible()
        assert_accessible(social)
        shot(social, f"t13-{width}")
        social.reload()
        expect(social.get_by_role("alert")).to_have_count(0)
    finally:
        social_context.close()

    episode = episodes.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=timezone.now() - datetime.timedelta(hours=6),
        reported_at=timezone.now() - datetime.timedelta(hours=5),
        risk_grade="high",
    )
    police_context = browser.new_context(viewport=viewport)
    try:
        police = police_context.new_page()
        sign_in(police, base, officer)
        police.goto(f"{base}/episodes/{episode.public_id}/")
        police.get_by_role("link", name="Record found or returned").click()
        found_at = timezone.localtime() - datetime.timedelta(minutes=20)
        police.get_by_label("Found or returned").fill(found_at.strftime("%d/%m/%Y %H:%M"))
        police.get_by_label("Found by police").check()
        police.get_by_role("button", name="Save").click()
        due = found_at.replace(second=0, microsecond=0) + datetime.timedelta(hours=1)
        banner = police.get_by_role("alert")
        expect(banner).to_have_count(1)
        expect(
            banner.get_by_text(f"Safe-and-well interview due by {deadline(due)}")
        ).to_be_visible()
        expect(banner.get_by_text("Return recorded")).to_be_visible()
        assert_accessible(police)
        shot(police, f"t4-{width}")
    finally:
        police_context.close()
