"""A disruption plan in a real browser, every page checked with axe.

A social worker adds an action from the A3 library for the police to carry out; the
officer finds it on their worklist, records its outcome, and records a child abduction
warning notice against the person of concern, which the worker then sees only as a
restriction; the outcomes page counts it for the officer.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.intelligence.models import Link
from mace.intelligence.selectors import RESTRICTED_MARKER
from mace.intelligence.tests.factories import LinkFactory, PersonOfConcernFactory
from mace.people.tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_disruption_action_from_plan_to_outcome(browser, live_server, users, team, a3_library):
    base = live_server.url
    worker = users[Role.SOCIAL_WORKER]
    officer = users[Role.POLICE_OFFICER]
    child = ChildFactory(
        first_name="Marguerite",
        last_name="Oakhanger",
        allocated_worker=worker,
        team=team,
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 15),
    )
    person = PersonOfConcernFactory(first_name="Cornelius", last_name="Blackwater")
    LinkFactory(child=child, person=person, kind=Link.Kind.EXPLOITER)
    due = timezone.localdate() + datetime.timedelta(days=10)

    social = browser.new_context().new_page()
    sign_in(social, base, worker)
    social.goto(f"{base}/children/{child.public_id}/")
    social.get_by_role("link", name="Disruption plan").click()
    expect(social.get_by_role("heading", name="Disruption plan")).to_be_visible()
    assert_accessible(social)
    social.get_by_role("link", name="Add an action").click()
    assert_accessible(social)
    social.get_by_label("Disrupt").check()
    social.get_by_label("Intervention option from the library (optional)").select_option(
        label="Implement the abduction warnings and orders strategy."
    )
    social.get_by_label("What will be done").fill("Serve a warning notice on the adult")
    social.get_by_label("Owner", exact=True).select_option(label=str(officer))
    social.get_by_label("Agency").select_option(index=1)
    social.get_by_label("Day").fill(str(due.day))
    social.get_by_label("Month").fill(str(due.month))
    social.get_by_label("Year").fill(str(due.year))
    social.get_by_role("button", name="Save").click()
    expect(social.get_by_text("Action added to the disruption plan")).to_be_visible()
    expect(social.get_by_test_id("plan-disrupt")).to_contain_text("Serve a warning notice")
    assert_accessible(social)

    police = browser.new_context().new_page()
    sign_in(police, base, officer)
    police.goto(f"{base}/worklist/")
    row = police.get_by_test_id("worklist").get_by_role("row").filter(has_text="Oakhanger")
    expect(row.filter(has_text="A3")).to_have_count(1)
    row.get_by_role("link", name="Marguerite Oakhanger").click()
    police.get_by_role("link", name="Record the outcome").click()
    assert_accessible(police)
    police.get_by_label("What came of the action").fill("Notice served at his flat")
    police.get_by_role("button", name="Save").click()
    expect(police.get_by_text("Outcome recorded")).to_be_visible()
    expect(police.get_by_test_id("plan-disrupt")).to_contain_text("Done")

    police.goto(f"{base}/intelligence/persons/{person.public_id}/")
    police.get_by_role("link", name="Record a disruption outcome").click()
    assert_accessible(police)
    police.get_by_label("Child abduction warning notice").check()
    police.get_by_label("Day").fill(str(timezone.localdate().day))
    police.get_by_label("Month").fill(str(timezone.localdate().month))
    police.get_by_label("Year").fill(str(timezone.localdate().year))
    police.get_by_label("Agency").select_option(index=1)
    police.get_by_label("The child it protects (optional)").select_option(
        label=f"Marguerite Oakhanger ({child.reference})"
    )
    police.get_by_role("button", name="Save").click()
    expect(police.get_by_text("Disruption outcome recorded")).to_be_visible()
    police.goto(f"{base}/disruption/outcomes/")
    counts = police.get_by_test_id("outcome-counts")
    expect(
        counts.get_by_role("row").filter(has_text="Child abduction warning notice")
    ).to_contain_text("1")
    assert_accessible(police)
    police.goto(f"{base}/disruption/library/")
    assert_accessible(police)

    social.goto(f"{base}/worklist/")
    expect(
        social.get_by_test_id("worklist").get_by_role("row").filter(has_text="A3")
    ).to_have_count(0)

    social.goto(f"{base}/disruption/children/{child.public_id}/")
    expect(social.get_by_test_id("outcomes-restricted")).to_contain_text(RESTRICTED_MARKER)
    expect(social.get_by_text("Blackwater")).to_have_count(0)
    assert_accessible(social)
