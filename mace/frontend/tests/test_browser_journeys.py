"""The main journeys of the foundation in a real browser, every page checked with axe.

Sign in with two factors, find a child, create a child and get the duplicate warning, be
refused a restricted record and open it with a reason.
"""

import datetime

import pytest
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.tests.factories import ChildFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_sign_in_with_two_factor_and_find_a_child(page, live_server, users, team):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(
        first_name="Alexis", last_name="Thornbury", allocated_worker=worker, team=team
    )
    sign_in(page, live_server.url, worker)
    page.get_by_role("link", name="Children").first.click()
    expect(page.get_by_role("heading", name="Find a child")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name, date of birth or reference").fill("thornbury")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 child found for")).to_be_visible()
    assert_accessible(page)
    assert "q=thornbury" in page.url  # a GET search (issue 19 point 4): the user's own query
    page.get_by_role("link", name="Alexis Thornbury").click()
    expect(page.get_by_role("heading", name="Alexis")).to_be_visible()
    expect(page.get_by_text(child.reference).first).to_be_visible()
    assert_accessible(page)
    assert AuditEvent.objects.filter(action="view", child_id=child.public_id).exists()


def test_create_a_child_and_get_the_duplicate_warning(page, live_server, users):
    existing = ChildFactory(
        first_name="Morgan", last_name="Fairweather", date_of_birth=datetime.date(2011, 6, 9)
    )
    sign_in(page, live_server.url, users[Role.MISSING_COORDINATOR])
    page.goto(f"{live_server.url}/children/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Save record").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    page.get_by_label("First name").fill("Morgen")
    page.get_by_label("Last name").fill("Fairweather")
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2011")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Save record").click()
    expect(page.get_by_test_id("duplicate-warning")).to_be_visible()
    expect(page.get_by_role("link", name="Morgan Fairweather")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I have checked: none of these is the same child").check()
    page.get_by_role("button", name="Save record").click()
    expect(page.get_by_text("created")).to_be_visible()
    expect(page.get_by_role("heading", name="Morgen Fairweather")).to_be_visible()
    assert_accessible(page)
    assert existing.reference not in page.url


def test_refused_a_restricted_record_then_open_it_with_a_reason(page, live_server, users, team):
    child = ChildFactory(
        first_name="Quinn",
        last_name="Harrowgate",
        is_restricted=True,
        allocated_worker=users[Role.SOCIAL_WORKER],
        team=team,
    )
    sign_in(page, live_server.url, users[Role.POLICE_OFFICER])
    page.goto(f"{live_server.url}/children/{child.public_id}/")
    expect(page.get_by_role("heading", name="This record is restricted")).to_be_visible()
    expect(page.get_by_text("Harrowgate")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Why do you need to open this record?").fill("short")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    reason = "Reported missing at 02:10; checking associates for the search"
    page.get_by_label("Why do you need to open this record?").fill(reason)
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", name="Quinn Harrowgate")).to_be_visible()
    assert_accessible(page)
    assert AuditEvent.objects.get(action="restricted_open").reason == reason


def test_a_record_outside_the_role_is_refused(page, live_server, users):
    child = ChildFactory(first_name="Avery", last_name="Blackwood")
    sign_in(page, live_server.url, users[Role.RHI_WORKER])
    response = page.goto(f"{live_server.url}/children/{child.public_id}/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have permission")).to_be_visible()
    expect(page.get_by_text("Blackwood")).to_have_count(0)
    assert_accessible(page)
