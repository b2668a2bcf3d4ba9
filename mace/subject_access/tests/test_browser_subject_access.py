"""The subject access export in a real browser, each page checked with axe: a manager finds
it from the child's page, reads what it holds and downloads the zip."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.people.models import RelatedPerson
from mace.people.tests.factories import ChildFactory
from mace.subject_access import render

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_downloads_the_subject_access_export(page, live_server, users):
    base = live_server.url
    manager = users[Role.MANAGER]
    child = ChildFactory(first_name="Robin", last_name="Testexport")
    RelatedPerson.objects.create(child=child, name="Morgan Testcarer", relationship="mother")
    sign_in(page, base, manager)

    page.goto(f"{base}/children/{child.public_id}/")
    page.get_by_role("link", name="Subject access export").click()
    expect(page.get_by_role("heading", name="Subject access export", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_text("The kinds of record it looks for").click()
    expect(page.get_by_text("Intelligence notes", exact=True)).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download the subject access export (zip)").click()
    download = info.value
    assert download.suggested_filename == f"{child.reference}-subject-access.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    data = json.loads(archive.read(render.JSON_NAME))
    assert data["subject"]["reference"] == child.reference
    assert {
        "section": "Parents, carers and other people in the child's life",
        "field": "",
        "reason": "Information about another person (a parent, carer or other)",
    }.items() <= data["for_redaction_review"][0].items()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, child_id=child.public_id, actor=manager
    ).exists()
    # The page is still there, and still clean, after the download.
    expect(page.get_by_role("heading", name="Subject access export", level=1)).to_be_visible()
    assert_accessible(page)


def test_a_social_worker_is_not_offered_it(page, live_server, users):
    base = live_server.url
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker)
    sign_in(page, base, worker)
    page.goto(f"{base}/children/{child.public_id}/")
    expect(
        page.get_by_role("link", name="Missing person profile for the police (PDF)")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Subject access export")).to_have_count(0)
    response = page.goto(f"{base}/subject-access/{child.public_id}/")
    assert response is not None
    assert response.status == 403
    assert_accessible(page)
