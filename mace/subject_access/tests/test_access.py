"""Who may make a child's subject access export (SPEC C11, issue 20 point 2): managers who may
open the record now, and no one else, on every surface: the policy, the page, the download,
the link on the child's page and the command. Everyone else may open the child here, so each
refusal is the export's own rule, not a missing relationship."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from mace.access import policy
from mace.accounts.models import Role
from mace.accounts.tests.factories import TeamFactory
from mace.audit.models import AuditEvent
from mace.people.models import Involvement
from mace.people.services import restricted_access_grant
from mace.people.tests.factories import ChildFactory, InvolvementFactory
from mace.subject_access import render

OTHERS = [role for role in Role if role != Role.MANAGER]


@pytest.fixture
def child(users, team):
    """A child every role with child records can open: allocated to the social worker's
    team, and worked with by the return interview worker, inclusion officer and panel member."""
    child = ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)
    for role in (Role.RHI_WORKER, Role.INCLUSION_OFFICER, Role.PANEL_MEMBER):
        InvolvementFactory(child=child, user=users[role], kind=Involvement.Kind.OTHER)
    return child


def exports():
    return AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()


def test_a_manager_may_export(users, child):
    assert policy.can_export_subject_access(users[Role.MANAGER], child)


@pytest.mark.parametrize("role", OTHERS)
def test_no_other_role_may_export(users, child, role):
    assert not policy.can_export_subject_access(users[role], child)


def test_an_inactive_manager_may_not(users, child):
    manager = users[Role.MANAGER]
    manager.is_active = False
    manager.save()
    assert not policy.can_export_subject_access(manager, child)


def test_the_manager_sees_the_page_and_downloads_the_zip(users, child, client_for):
    client = client_for(users[Role.MANAGER])
    detail = client.get(reverse("people:detail", args=[child.public_id]))
    page_url = reverse("subject_access:page", args=[child.public_id])
    assert page_url in detail.content.decode()
    page = client.get(page_url)
    assert page.status_code == 200
    assert "Download the subject access export (zip)" in page.content.decode()
    before = exports()
    response = client.post(reverse("subject_access:download", args=[child.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{child.reference}-subject-access.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert render.JSON_NAME in archive.namelist()
    assert exports() == before + 1


def test_the_download_is_a_post(users, child, client_for):
    client = client_for(users[Role.MANAGER])
    before = exports()
    response = client.get(reverse("subject_access:download", args=[child.public_id]))
    assert response.status_code == 405
    assert exports() == before


@pytest.mark.parametrize("role", OTHERS)
def test_every_other_role_is_refused_the_page_the_download_and_the_link(
    users, child, client_for, role
):
    client = client_for(users[role])
    page_url = reverse("subject_access:page", args=[child.public_id])
    before = exports()
    assert client.get(page_url).status_code == 403
    assert (
        client.post(reverse("subject_access:download", args=[child.public_id])).status_code == 403
    )
    assert exports() == before
    detail = client.get(reverse("people:detail", args=[child.public_id]))
    assert page_url not in detail.content.decode()


def test_a_restricted_record_asks_a_manager_of_another_team_for_a_reason_first(
    users, child, client_for, agency
):
    child.is_restricted = True
    child.save()
    manager = users[Role.MANAGER]
    manager.team = TeamFactory(agency=agency, name="Another team")
    manager.save()
    assert not policy.can_export_subject_access(manager, child)
    client = client_for(manager)
    download = client.post(reverse("subject_access:download", args=[child.public_id]))
    assert download.status_code == 302
    assert download["Location"] == reverse("people:reason", args=[child.public_id])
    restricted_access_grant(actor=manager, child=child, reason="Subject access request received")
    assert policy.can_export_subject_access(manager, child)
    assert (
        client.post(reverse("subject_access:download", args=[child.public_id])).status_code == 200
    )


def test_the_command_writes_the_zip_as_a_manager(users, child, tmp_path):
    out = tmp_path / "export.zip"
    before = exports()
    call_command("subject_access_export", child.reference, "--as", "manager", "--out", str(out))
    assert render.PDF_NAME in zipfile.ZipFile(out).namelist()
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("at")
    assert exports() == before + 1
    assert event.actor == users[Role.MANAGER]


@pytest.mark.parametrize("role", OTHERS)
def test_the_command_refuses_every_other_role(users, child, tmp_path, role):
    out = tmp_path / "export.zip"
    with pytest.raises(CommandError, match="may not make this export"):
        call_command(
            "subject_access_export", child.reference, "--as", role.value, "--out", str(out)
        )
    assert not out.exists()


def test_the_command_says_what_is_wrong(users, child, tmp_path):
    with pytest.raises(CommandError, match="no child with the MACE reference MC-999999"):
        call_command("subject_access_export", "MC-999999", "--as", "manager")
    with pytest.raises(CommandError, match="There is no user nobody"):
        call_command("subject_access_export", child.reference, "--as", "nobody")
