"""A photograph uploaded in a real browser (issue 20 point 3): a social worker uploads one made
with Pillow in the test, sees it on the child header, records the description, and opens the
police missing-person profile, which holds the image; then removes it, giving the reason.
Every page checked with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.tests import photos
from mace.people.tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_upload_a_photograph_and_see_it_on_the_header_and_the_profile(
    browser, live_server, users, team, width
):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(
        first_name="Ottilie",
        last_name="Testbridge",
        allocated_worker=worker,
        team=team,
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 14),
    )
    taken = timezone.localdate() - datetime.timedelta(days=10)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, worker)
        page.goto(f"{live_server.url}/children/{child.public_id}/")
        expect(page.get_by_test_id("child-description")).to_contain_text("No photograph held")
        page.get_by_role("link", name="Add or view photographs").click()
        expect(page.get_by_role("heading", name="Photographs", exact=True)).to_be_visible()
        assert_accessible(page)

        # A text file named like a photograph first: refused, what was typed kept.
        page.get_by_label("Photograph", exact=True).set_input_files(
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"not a photograph"}
        )
        dates = page.get_by_role("group", name="Date the photograph was taken")
        dates.get_by_label("Day").fill(str(taken.day))
        dates.get_by_label("Month").fill(str(taken.month))
        dates.get_by_label("Year").fill(str(taken.year))
        page.get_by_label("Who took the photograph").fill("Foster carer Sam Test")
        page.get_by_role("button", name="Upload the photograph").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("The photograph must be a JPG, PNG or WebP image")
        expect(page.get_by_label("Who took the photograph")).to_have_value("Foster carer Sam Test")
        assert_accessible(page)

        page.get_by_label("Photograph", exact=True).set_input_files(
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photos.jpeg(1600, 2000)}
        )
        page.get_by_role("button", name="Upload the photograph").click()
        header = page.get_by_test_id("child-header")
        expect(header).to_be_visible()
        photo = header.get_by_test_id("child-header-photo")
        expect(photo).to_be_visible()
        expect(photo).to_have_attribute(
            "alt", f"Photograph of the child, taken on {taken.day} {taken:%B %Y}"
        )
        # Loaded through the access check: a refused or broken image has no natural width.
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=photo.element_handle()
        )
        assert photo.evaluate("image => image.naturalWidth") == 960
        assert_accessible(page)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"The page scrolls sideways at {width} px"

        page.get_by_role("link", name="Change the description").click()
        page.get_by_label("Height").fill("1.58 m")
        page.get_by_label("Hair").fill("Long, dark, tied back")
        page.get_by_label("Clothing when last seen").fill("Black puffer jacket, white trainers")
        seen = page.get_by_role("group", name="Date last seen in these clothes")
        today = timezone.localdate()
        seen.get_by_label("Day").fill(str(today.day))
        seen.get_by_label("Month").fill(str(today.month))
        seen.get_by_label("Year").fill(str(today.year))
        assert_accessible(page)
        page.get_by_role("button", name="Save the description").click()
        expect(page.get_by_test_id("child-description")).to_contain_text("Black puffer jacket")
        assert_accessible(page)

        link = page.get_by_role("link", name="Missing person profile for the police (PDF)")
        with page.expect_download() as download:
            link.click()
        path = download.value.path()
        content = open(path, "rb").read()  # noqa: SIM115
        assert content.startswith(b"%PDF")
        assert b"/Subtype /Image" in content

        # It was the wrong child's photograph: removed, with the reason, after a check.
        page.goto(f"{live_server.url}/children/{child.public_id}/photographs/")
        page.get_by_role(
            "link", name=f"Remove the photograph taken on {taken.day} {taken:%B %Y}"
        ).click()
        expect(page.get_by_role("heading", name="Remove this photograph")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Remove the photograph").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter why the photograph is being removed"
        )
        assert_accessible(page)
        page.get_by_label("Why is the photograph being removed?").fill("Of another child")
        page.get_by_role("button", name="Remove the photograph").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Photograph removed")
        expect(page.get_by_text("No photograph held.")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
