"""The worklist's filters, sorting and reassigning in a real browser, checked with axe, at
1280 px and 390 px (issue 19). At 390 px the filter sits behind "Show filter" and the table
scrolls within itself, not the page."""

import datetime
import itertools
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


@pytest.fixture
def queue(users, team):
    """The coordinator's queue: a child with three late interviews (one per past episode), a
    child with a letter due, and a team item the coordinator may give to a colleague."""
    keys = itertools.count()
    now = timezone.now()
    ada = ChildFactory(first_name="Ada", last_name="Quennell", team=team)
    bo = ChildFactory(first_name="Bo", last_name="Ashdown", team=team)
    for days in (3, 6, 9):
        DueItem.objects.create(
            key=f"b:{next(keys)}",
            rule="T7",
            title="Offer the return home interview",
            child=ada,
            role=Role.MISSING_COORDINATOR,
            due_at=now - days * DAY,
        )
    DueItem.objects.create(
        key=f"b:{next(keys)}",
        rule="T11",
        title="Write to the placing authority's director",
        child=bo,
        role=Role.MISSING_COORDINATOR,
        due_at=now + 2 * DAY,
    )
    colleague = UserFactory(role=Role.MISSING_COORDINATOR, first_name="Odile", last_name="Brannock")
    return {"ada": ada, "bo": bo, "colleague": colleague}


def _no_page_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways: {width}px"


@pytest.mark.parametrize("width", [1280, 390])
def test_filter_sort_and_reassign_from_the_worklist(page, live_server, users, queue, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, users[Role.MISSING_COORDINATOR])
    page.goto(f"{live_server.url}/worklist/")
    expect(page.get_by_test_id("worklist-counts")).to_contain_text("4 items, 3 overdue")
    narrow = width < 700
    if narrow:
        expect(page.get_by_role("button", name="Show filter")).to_be_visible()
        expect(page.get_by_label("Rule")).to_be_hidden()
        _no_page_scroll(page)
        assert_accessible(page)
        page.get_by_role("button", name="Show filter").click()
    assert_accessible(page)
    page.get_by_label("Rule").select_option("T7")
    page.get_by_label("Group by child").check()
    page.get_by_role("button", name="Apply filters").click()
    counts = page.get_by_test_id("worklist-counts")
    expect(counts).to_contain_text("3 items, 3 overdue")
    expect(counts).to_contain_text("Rule: Return home interview")
    expect(counts).to_contain_text("grouped by child")
    expect(page.get_by_test_id("group-row")).to_have_count(1)
    if narrow:
        # The filter opens over the list here; its own Close button puts it away (the
        # "Hide filter" button is under the overlay).
        if page.locator(".moj-filter__close").is_visible():
            page.locator(".moj-filter__close").click()
        _no_page_scroll(page)
    assert_accessible(page)

    page.goto(f"{live_server.url}/worklist/?sort=child")
    header = page.get_by_role("columnheader", name="Child")
    expect(header).to_have_attribute("aria-sort", "ascending")
    rows = page.get_by_test_id("worklist").locator("tbody tr")
    expect(rows.first).to_contain_text("Ashdown")
    header.get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Child")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(rows.first).to_contain_text("Quennell")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Reassign\W+Write to the placing")).click()
    expect(page.get_by_role("heading", name="Reassign")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_role("link", name="Select who should do this")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Odile Brannock").check()
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_text("Given to Odile Brannock")).to_be_visible()
    assert "sort=-child" in page.url  # back to the list as it was
    expect(page.get_by_test_id("worklist-counts")).to_contain_text("3 items")
    assert_accessible(page)


def test_the_coordinators_list_names_each_child_once(page, live_server, users, queue):
    sign_in(page, live_server.url, users[Role.MISSING_COORDINATOR])
    page.goto(f"{live_server.url}/worklist/missing/")
    overdue = page.get_by_test_id("interviews-overdue")
    expect(overdue.get_by_text("Quennell")).to_have_count(1)
    expect(overdue.get_by_test_id("more-for-child")).to_have_text("2 more for this child")
    assert_accessible(page)
