"""The missing journey in a real browser, every page checked with axe (issue: episodes).

Report a child missing, grade the risk, mark them found, record the safe-and-well, refer
and record the return interview, and watch each worklist item appear and clear.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import AgencyFactory
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.models import LegalStatus
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stamp(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def worklist_shows(page: Page, base: str, child_name: str, what: str) -> None:
    page.goto(f"{base}/worklist/")
    table = page.get_by_test_id("worklist")
    expect(
        table.get_by_role("row").filter(has_text=child_name).filter(has_text=what)
    ).to_have_count(1)
    assert_accessible(page)


def worklist_lacks(page: Page, base: str, child_name: str, what: str) -> None:
    page.goto(f"{base}/worklist/")
    table = page.get_by_test_id("worklist")
    expect(
        table.get_by_role("row").filter(has_text=child_name).filter(has_text=what)
    ).to_have_count(0)


def test_report_find_safe_and_well_refer_and_interview(browser, live_server, users, team):
    base = live_server.url
    provider = AgencyFactory(
        name="Northbridge Targeted Youth Service", kind=Agency.Kind.YOUTH_SERVICE
    )
    rhi_worker = users[Role.RHI_WORKER]
    rhi_worker.agency = provider
    rhi_worker.save()
    worker = users[Role.SOCIAL_WORKER]
    born = timezone.localdate() - datetime.timedelta(days=365 * 15)
    child = ChildFactory(
        first_name="Jesse",
        last_name="Marlowe",
        allocated_worker=worker,
        team=team,
        date_of_birth=born,
    )
    LegalStatus.objects.create(child=child, status="CIN", start_date=born)
    name = "Jesse Marlowe"
    now = timezone.now()

    police = browser.new_context().new_page()
    sign_in(police, base, users[Role.POLICE_OFFICER])
    police.goto(f"{base}/children/{child.public_id}/")
    police.get_by_role("link", name="Report missing").click()
    assert_accessible(police)
    police.get_by_label("Missing", exact=True).check()
    police.get_by_label("Home", exact=True).check()
    police.get_by_label("Last seen", exact=True).fill(stamp(now - datetime.timedelta(hours=6)))
    police.get_by_label("Police reference (optional)").fill("JOURNEY-0001")
    police.get_by_role("button", name="Report missing").click()
    expect(police.get_by_role("heading", name="Missing now")).to_be_visible()
    expect(police.get_by_test_id("episode-due-items")).to_contain_text(
        "Record the police risk grade"
    )
    assert_accessible(police)
    episode_url = police.url
    worklist_shows(police, base, name, "Record the police risk grade")

    police.goto(episode_url)
    police.get_by_role("link", name="Record the police risk grade").click()
    police.get_by_label("Low", exact=True).check()
    police.get_by_role("button", name="Save").click()
    expect(police.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(police.get_by_text("must be graded at least Medium").first).to_be_visible()
    assert_accessible(police)
    police.get_by_label("Medium", exact=True).check()
    police.get_by_role("button", name="Save").click()
    expect(police.get_by_text("Risk grade recorded")).to_be_visible()
    worklist_lacks(police, base, name, "Record the police risk grade")

    police.goto(episode_url)
    police.get_by_role("link", name="Record found or returned").click()
    assert_accessible(police)
    police.get_by_label("Found or returned").fill(stamp(now - datetime.timedelta(hours=1)))
    police.get_by_label("Found by police").check()
    police.get_by_label("Where found (optional)").fill("Bus station")
    police.get_by_role("button", name="Save").click()
    expect(police.get_by_text("Return recorded")).to_be_visible()
    assert_accessible(police)
    worklist_shows(police, base, name, "Safe-and-well interview")

    police.goto(episode_url)
    police.get_by_role("link", name="Record the safe-and-well interview").click()
    police.get_by_label("Safe-and-well interview held").fill(
        stamp(now - datetime.timedelta(minutes=20))
    )
    police.get_by_label("Findings to share with children's social care").fill(
        "Stayed with a friend"
    )
    police.get_by_role("button", name="Save").click()
    expect(police.get_by_text("Safe-and-well interview recorded")).to_be_visible()
    worklist_lacks(police, base, name, "Safe-and-well interview")

    social = browser.new_context().new_page()
    sign_in(social, base, worker)
    worklist_shows(social, base, name, "Offer the return home interview")
    social.goto(episode_url)
    social.get_by_role("link", name="Refer for a return interview").click()
    assert_accessible(social)
    social.get_by_label("Interview worker (optional)").select_option(label=str(rhi_worker))
    social.get_by_role("button", name="Save").click()
    expect(social.get_by_text("Referred for a return home interview")).to_be_visible()
    expect(social.get_by_text("Northbridge Targeted Youth Service").first).to_be_visible()
    worklist_lacks(social, base, name, "Offer the return home interview")

    interviewer = browser.new_context().new_page()
    sign_in(interviewer, base, rhi_worker)
    worklist_shows(interviewer, base, name, "Offer the return home interview")
    interviewer.goto(episode_url)
    interviewer.get_by_role("link", name="Record an offer").click()
    interviewer.get_by_label("Offered").fill(stamp(now - datetime.timedelta(minutes=10)))
    interviewer.get_by_label("Accepted").check()
    interviewer.get_by_role("button", name="Save").click()
    expect(interviewer.get_by_text("Offer recorded")).to_be_visible()
    worklist_lacks(interviewer, base, name, "Offer the return home interview")

    interviewer.goto(episode_url)
    interviewer.get_by_role("link", name="Record the return interview").click()
    assert_accessible(interviewer)
    interviewer.get_by_label("Interview held").fill(stamp(now - datetime.timedelta(minutes=5)))
    interviewer.get_by_label("The child's account").fill(
        "I went to my friend's because of arguments at home."
    )
    interviewer.get_by_role("group", name="How safe they felt while missing").get_by_label(
        "3", exact=True
    ).check()
    interviewer.get_by_role("group", name="How safe they feel since returning").get_by_label(
        "7", exact=True
    ).check()
    interviewer.get_by_role("button", name="Save").click()
    expect(interviewer.get_by_text("Return interview recorded")).to_be_visible()
    expect(interviewer.get_by_text("arguments at home")).to_be_visible()
    assert_accessible(interviewer)

    open_items = DueItem.objects.filter(child=child, status="open").exclude(rule="T16")
    assert list(open_items.values_list("rule", flat=True)) == []
    for context_page in (police, social, interviewer):
        context_page.context.close()
