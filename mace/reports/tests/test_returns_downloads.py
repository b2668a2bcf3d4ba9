"""The SSDA903, Annex A and SSD returns downloaded from the reports pages (issue 19 point 7):
by managers and the missing coordinator only (they name children), each download audited,
role by role both ways; bad input said back."""

import datetime
import io
import zipfile

import pytest

from mace.access import policy
from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.people.models import LegalStatus
from mace.people.tests.factories import ChildFactory

from .test_annual import at, episode

pytestmark = pytest.mark.django_db

MAY = ["manager", "missing_coordinator"]
MAY_NOT = [r.value for r in Role if r.value not in MAY]
DOWNLOADS = {
    "/reports/returns/ssda903/": {"ssda903-year": "2026"},
    "/reports/returns/annex-a/": {"annex-on_0": "31", "annex-on_1": "3", "annex-on_2": "2026"},
    "/reports/returns/ssd/": {
        "ssd-start_0": "1",
        "ssd-start_1": "4",
        "ssd-start_2": "2025",
        "ssd-end_0": "31",
        "ssd-end_1": "3",
        "ssd-end_2": "2026",
    },
}


@pytest.fixture
def looked_after():
    child = ChildFactory.create(gender="female", date_of_birth=datetime.date(2010, 6, 1))
    LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
    episode(child, at(2025, 9, 3, 20), "CLA", at(2025, 9, 4, 9), missing_from="care")
    return child


@pytest.mark.parametrize("role_user", MAY, indirect=True)
def test_managers_and_the_coordinator_download_each_return_audited(
    role_user, client_for, looked_after
):
    assert policy.can_download_statutory_returns(role_user)
    client = client_for(role_user)
    index = client.get("/reports/").content.decode()
    assert "/reports/returns/" in index
    assert client.get("/reports/returns/").status_code == 200
    for url, query in DOWNLOADS.items():
        response = client.get(url, query)
        assert response.status_code == 200, url
        assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(client.get(*ssda903_download()).content)) as archive:
        assert set(archive.namelist()) == {"header.csv", "episodes.csv", "missing.csv", "notes.txt"}
        missing = archive.read("missing.csv").decode()
    assert "03/09/2025" in missing  # MIS_START, DD/MM/YYYY
    annex = client.get("/reports/returns/annex-a/", DOWNLOADS["/reports/returns/annex-a/"])
    assert looked_after.reference in annex.content.decode()
    kinds = set(
        AuditEvent.objects.filter(
            actor=role_user, action=AuditEvent.Action.EXPORT, object_type__startswith="return."
        ).values_list("object_type", flat=True)
    )
    assert kinds == {"return.ssda903", "return.annex_a", "return.ssd"}


def ssda903_download():
    return "/reports/returns/ssda903/", DOWNLOADS["/reports/returns/ssda903/"]


@pytest.mark.parametrize("role_user", MAY_NOT, indirect=True)
def test_no_other_role_may_download_a_return(role_user, client_for, looked_after):
    assert not policy.can_download_statutory_returns(role_user)
    client = client_for(role_user)
    assert client.get("/reports/returns/").status_code == 403
    for url, query in DOWNLOADS.items():
        assert client.get(url, query).status_code == 403, url
    if role_user.role == Role.ANALYST:  # runs reports, anonymised: told who downloads them
        index = client.get("/reports/").content.decode()
        assert "/reports/returns/" not in index
    assert not AuditEvent.objects.filter(object_type__startswith="return.").exists()


def test_bad_input_is_said_back_on_the_returns_page(users, client_for):
    client = client_for(users["manager"])
    response = client.get(
        "/reports/returns/ssd/", {**DOWNLOADS["/reports/returns/ssd/"], "ssd-end_2": "2024"}
    )
    assert response.status_code == 400
    assert "The last day must be on or after the first day" in response.content.decode()
    response = client.get("/reports/returns/ssda903/", {"ssda903-year": "1990"})
    assert response.status_code == 400
    assert "Choose a collection year" in response.content.decode()
    response = client.get(
        "/reports/returns/annex-a/", {"annex-on_0": "31", "annex-on_1": "2", "annex-on_2": "2026"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
