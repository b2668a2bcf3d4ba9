"""A restricted child on the register and the tracker (issue 16, SPEC C11), every role both ways.

The lists show a restricted child as its reference and "Restricted" only (linking to the
record, which asks for a reason) until the user may open the record now: exempt (the
allocated worker, the child's team's manager) or with a reason in force. The case pages,
the resolve page and every change to the child's education entries send the user to give
the reason first, as the child's own record does.
"""

import datetime
import decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import escape

from mace.accounts.models import Role
from mace.education import services
from mace.education.models import CMECase, CMECheck, MissingOutEntry
from mace.people.services import restricted_access_grant

from .helpers import notify, school_child

pytestmark = pytest.mark.django_db

FULL = "shown in full"
REFERENCE_ONLY = "reference and Restricted only"
REFUSED = "refused"

EDUCATION = {
    Role.MANAGER: FULL,  # the child's team's manager: exempt from giving a reason
    Role.MISSING_COORDINATOR: REFERENCE_ONLY,
    Role.INCLUSION_OFFICER: REFERENCE_ONLY,
    Role.SOCIAL_WORKER: REFUSED,  # the allocated worker, but the register is not theirs
    Role.POLICE_OFFICER: REFUSED,
    Role.RHI_WORKER: REFUSED,
    Role.PANEL_MEMBER: REFUSED,
    Role.ANALYST: REFUSED,
    Role.AUDITOR: REFUSED,
    Role.ADMINISTRATOR: REFUSED,
}
ASKED_FOR_A_REASON = [role for role, seen in EDUCATION.items() if seen == REFERENCE_ONLY]

# What the lists must not show of a restricted child the user has not opened.
DETAILS = [
    "Quilla",
    "Vantongeren",
    "Gorsebrook Primary School",
    "Larchmere High School",
    "Attends less than 10 hours a week",
    "Has a statement or an EHC plan",
]


@pytest.fixture
def restricted(users, team):
    child = school_child(
        first_name="Quilla",
        last_name="Vantongeren",
        is_restricted=True,
        allocated_worker=users[Role.SOCIAL_WORKER],
        team=team,
    )
    case = notify(users[Role.MISSING_COORDINATOR], child=child)
    entry = services.missing_out_entry_add(
        actor=users[Role.INCLUSION_OFFICER],
        school="Larchmere High School",
        term="2025-26 autumn",
        received_on=datetime.date(2025, 11, 20),
        child=child,
        reason="medical",
        hours_per_week=decimal.Decimal(6),
        has_ehcp=True,
    )
    return {"child": child, "case": case, "entry": entry}


def _table(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</table>", start)]


def _lists(client):
    register = client.get("/education/?closed=1")
    returns = client.get("/education/returns/")
    return register, returns


def _assert_reference_only(html: str, child) -> None:
    assert child.reference in html
    assert "Restricted" in html
    assert f'href="/children/{child.public_id}/"' in html
    for detail in DETAILS:
        assert escape(detail) not in html, detail


@pytest.mark.parametrize("role", list(Role))
def test_education_lists_show_a_restricted_child_as_reference_only_until_a_reason_is_given(
    role, users, restricted, client_for
):
    child = restricted["child"]
    register, returns = _lists(client_for(users[role]))
    if EDUCATION[role] == REFUSED:
        assert register.status_code == returns.status_code == 403
        assert "Vantongeren" not in register.content.decode() + returns.content.decode()
        return
    page, other = register.content.decode(), returns.content.decode()
    tables = [_table(page, "register"), _table(page, "tracker"), _table(other, "resolved")]
    for html in tables:
        if EDUCATION[role] == FULL:
            assert escape("Vantongeren") in html
            assert child.reference in html
        else:
            _assert_reference_only(html, child)
    if EDUCATION[role] == FULL:
        assert "Gorsebrook Primary School" in tables[0]
        assert "Attends less than 10 hours a week" in tables[1]
        assert "Larchmere High School" in tables[2]


def _pages(restricted) -> list[str]:
    case, entry = restricted["case"].public_id, restricted["entry"].public_id
    return [
        f"/education/cases/{case}/",
        f"/education/cases/{case}/update/",
        f"/education/cases/{case}/close/",
        f"/education/cases/{case}/checks/new/",
        f"/education/tracker/{entry}/resolve/",
    ]


@pytest.mark.parametrize("role", list(Role))
def test_a_restricted_childs_education_pages_ask_for_a_reason_before_they_open(
    role, users, restricted, client_for
):
    client = client_for(users[role])
    child = restricted["child"]
    for path in _pages(restricted):
        response = client.get(path)
        body = response.content.decode()
        if EDUCATION[role] == FULL:
            assert response.status_code == 200, path
        elif EDUCATION[role] == REFUSED:
            assert response.status_code == 403, path
            assert "Vantongeren" not in body
        else:
            assert response.status_code == 302, path
            assert response["Location"] == f"/children/{child.public_id}/reason/"


def _resolve_form() -> dict[str, str]:
    today = timezone.localdate()
    return {
        "resolution": "Back in school full time",
        "resolved_on_0": str(today.day),
        "resolved_on_1": str(today.month),
        "resolved_on_2": str(today.year),
    }


@pytest.mark.parametrize("role", list(Role))
def test_resolving_a_restricted_child_on_the_tracker_is_refused_until_a_reason_is_given(
    role, users, restricted, client_for
):
    client = client_for(users[role])
    child, entry = restricted["child"], restricted["entry"]
    response = client.post(f"/education/tracker/{entry.public_id}/resolve/", _resolve_form())
    entry.refresh_from_db()
    if EDUCATION[role] == FULL:
        assert response.status_code == 302
        assert response["Location"] == "/education/"
        assert entry.resolved_on == timezone.localdate()
        return
    assert entry.resolved_on is None
    if EDUCATION[role] == REFUSED:
        assert response.status_code == 403
        return
    assert response["Location"] == f"/children/{child.public_id}/reason/"
    restricted_access_grant(actor=users[role], child=child, reason="Termly return follow-up")
    response = client.post(f"/education/tracker/{entry.public_id}/resolve/", _resolve_form())
    assert response.status_code == 302
    assert response["Location"] == "/education/"
    entry.refresh_from_db()
    assert entry.resolution == "Back in school full time"


@pytest.mark.parametrize("role", ASKED_FOR_A_REASON)
def test_education_lists_show_a_restricted_child_in_full_once_a_reason_is_given(
    role, users, restricted, client_for
):
    client = client_for(users[role])
    restricted_access_grant(
        actor=users[role], child=restricted["child"], reason="Checking the school's return"
    )
    register, returns = _lists(client)
    assert "Gorsebrook Primary School" in _table(register.content.decode(), "register")
    assert "Attends less than 10 hours a week" in _table(register.content.decode(), "tracker")
    assert escape("Vantongeren") in _table(returns.content.decode(), "resolved")
    case = restricted["case"]
    assert client.get(f"/education/cases/{case.public_id}/").status_code == 200


@pytest.mark.parametrize("role", ASKED_FOR_A_REASON)
def test_education_services_refuse_to_change_a_restricted_child_without_a_reason(
    role, users, restricted
):
    actor, case, entry = users[role], restricted["case"], restricted["entry"]
    today = timezone.localdate()
    changes = [
        lambda: services.cme_update(
            actor=actor, case=case, expected_version=case.version, school="Elsewhere"
        ),
        lambda: services.cme_check_add(
            actor=actor,
            case=case,
            kind=CMECheck.Kind.HEALTH,
            checked_on=today,
            result=CMECheck.Result.NOT_FOUND,
            note="",
        ),
        lambda: services.cme_close(
            actor=actor, case=case, expected_version=case.version, outcome="on_roll"
        ),
        lambda: services.missing_out_resolve(
            actor=actor, entry=entry, resolution="Back in school", resolved_on=today
        ),
    ]
    for change in changes:
        with pytest.raises(PermissionDenied):
            change()
    case.refresh_from_db()
    assert case.school == "Gorsebrook Primary School"
    assert case.status == CMECase.Status.OPEN
    assert not CMECheck.objects.exists()
    assert MissingOutEntry.objects.get(pk=entry.pk).resolved_on is None
