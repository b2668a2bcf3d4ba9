"""The child's voice over time in a real browser (issue 20 point 4): the administrator keeps
the list of themes, the social worker codes an interview with themes, and the manager reads
the quarters side by side; axe finds nothing on any page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.episodes.tests.test_t12_health_assessment import returned as returned  # a fixture
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.interviews.models import InterviewTheme
from mace.lib.quarters import Quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_settings_page_adds_renames_and_retires_a_theme(
    page, live_server, users, interview_themes
):
    sign_in(page, live_server.url, users[Role.ADMINISTRATOR])
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Return interview themes").click()
    expect(page.get_by_role("heading", name="Return interview themes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add the theme").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the theme")
    assert_accessible(page)
    page.get_by_label("Theme").fill("Felt judged by police")
    page.get_by_role("button", name="Add the theme").click()
    expect(page.get_by_test_id("themes-in-use")).to_contain_text("Felt judged by police")
    page.get_by_role("link", name="Change Felt judged by police").click()
    assert_accessible(page)
    page.get_by_label("Theme").fill("Felt judged by the police")
    page.get_by_role("button", name="Save the name").click()
    page.get_by_role("link", name="Change Felt judged by the police").click()
    page.get_by_role("button", name="Retire the theme").click()
    expect(page.get_by_test_id("themes-retired")).to_contain_text("Felt judged by the police")
    assert_accessible(page)
    assert InterviewTheme.objects.get(name="Felt judged by the police").is_retired


def test_the_worker_codes_the_interview_and_the_manager_reads_the_quarters(
    browser, live_server, users, returned, interview_themes
):
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server.url, users[Role.SOCIAL_WORKER])
        page.goto(f"{live_server.url}/episodes/{returned.public_id}/interview/")
        held = timezone.localtime(returned.returned_at + timezone.timedelta(hours=1))
        page.get_by_label("Interview held").fill(held.strftime("%d/%m/%Y %H:%M"))
        page.get_by_label("The child's account").fill("Met someone from a game chat")
        page.get_by_label("Contact with someone they met online").check()
        page.get_by_label("Had no trusted adult to talk to").check()
        assert_accessible(page)
        page.get_by_role("button").last.click()
        themes = page.get_by_test_id("interview-themes")
        expect(themes).to_contain_text("Contact with someone they met online")
        expect(themes).to_contain_text("Had no trusted adult to talk to")
        assert_accessible(page)
    finally:
        context.close()

    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server.url, users[Role.MANAGER])
        quarter = Quarter.containing(timezone.localdate(held))
        page.goto(f"{live_server.url}/reports/voice/?quarter={quarter}")
        expect(page.get_by_role("heading", name="The child's voice over time")).to_be_visible()
        table = page.get_by_test_id("voice-table-2")
        row = table.get_by_role("row", name="Contact with someone they met online")
        expect(row.get_by_role("cell").last).to_have_text("1")
        expect(page.get_by_role("img")).to_have_count(3)
        assert_accessible(page)
    finally:
        context.close()
