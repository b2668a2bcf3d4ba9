"""The reports pages, role by role, both ways; bad input; downloads audited (issue 7)."""

import re

import pytest
from django.utils.html import escape

from mace.accounts.models import Role
from mace.audit.models import AuditEvent

from .test_annual import known  # noqa: F401  (the known dataset fixture)

pytestmark = pytest.mark.django_db

MAY = ["analyst", "manager", "missing_coordinator"]
MAY_NOT = [r.value for r in Role if r.value not in MAY]
QUERY = {
    "start_0": "1",
    "start_1": "4",
    "start_2": "2025",
    "end_0": "31",
    "end_1": "3",
    "end_2": "2026",
}


@pytest.mark.parametrize("role_user", MAY, indirect=True)
def test_analysts_managers_and_the_coordinator_run_reports(role_user, client_for, known):  # noqa: F811
    client = client_for(role_user)
    assert client.get("/reports/").status_code == 200
    page = client.get("/reports/annual/", QUERY)
    assert page.status_code == 200
    content = page.content.decode()
    assert content.count("<svg") == 6  # six charts, each beside its table
    assert 'data-testid="monthly"' in content
    for child in known.values():
        # Figures only, no names. The whole name, as a page would print it: a surname alone
        # can be a word the report uses ("March", "May").
        assert escape(child.full_name) not in content
        assert child.reference not in content


@pytest.mark.parametrize("role_user", MAY_NOT, indirect=True)
def test_other_roles_may_not(role_user, client_for, known):  # noqa: F811
    client = client_for(role_user)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/annual/", QUERY).status_code == 403
    assert client.get("/reports/annual/", {**QUERY, "format": "csv"}).status_code == 403


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("csv", b"\xef\xbb\xbfFigure"), ("xlsx", b"PK"), ("pdf", b"%PDF"), ("json", b"{")],
)
def test_downloads_are_the_report_and_are_audited(users, client_for, known, fmt, magic):  # noqa: F811
    analyst = users["analyst"]
    response = client_for(analyst).get("/reports/annual/", {**QUERY, "format": fmt})
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        actor=analyst, action=AuditEvent.Action.EXPORT, object_type="report.annual"
    ).exists()


def test_a_published_report_shows_small_numbers_as_under_five(users, client_for, known):  # noqa: F811
    page = client_for(users["analyst"]).get("/reports/annual/", {**QUERY, "publish": "on"})
    assert "&lt;5" in page.content.decode()
    body = client_for(users["analyst"]).get(
        "/reports/annual/", {**QUERY, "publish": "on", "format": "json"}
    )
    assert body.json()["episodes"] is None


def test_a_period_that_ends_before_it_starts_is_shown_back_with_the_error(users, client_for):
    response = client_for(users["analyst"]).get("/reports/annual/", {**QUERY, "end_2": "2024"})
    assert response.status_code == 400
    assert "The last day must be on or after the first day" in response.content.decode()


@pytest.mark.parametrize("role_user", MAY, indirect=True)
def test_the_dataset_page_counts_restricted_items_only_for_cleared_roles(role_user, client_for):
    from mace.intelligence.tests.factories import PersonOfConcernFactory

    PersonOfConcernFactory.create(last_name="Vexley-Harrow")
    page = client_for(role_user).get("/reports/dataset/", {"quarter": "2026Q1"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Number of known people of concern" in content
    assert "Vexley-Harrow" not in content
    restricted = "are restricted intelligence and are not counted for your role" in content
    assert restricted == (role_user.role == "analyst")  # analysts are not cleared


@pytest.mark.parametrize("role_user", MAY_NOT, indirect=True)
def test_other_roles_may_not_see_the_dataset(role_user, client_for):
    assert client_for(role_user).get("/reports/dataset/").status_code == 403


def test_a_bad_quarter_says_what_to_write(users, client_for):
    response = client_for(users["manager"]).get("/reports/dataset/", {"quarter": "Q1 2026"})
    assert response.status_code == 400
    assert "2026Q3" in response.content.decode()


def test_the_dataset_downloads(users, client_for):
    response = client_for(users["manager"]).get(
        "/reports/dataset/", {"quarter": "2026Q1", "format": "xlsx"}
    )
    assert response.content.startswith(b"PK")
    assert AuditEvent.objects.filter(object_type="report.dataset", object_id="2026Q1").exists()


def test_a_report_shows_that_it_is_being_prepared_then_opens(users, client_for):
    """The progress indication on the web: a page that asks at once for the report."""
    client = client_for(users["analyst"])
    page = client.get("/reports/prepare/annual/", QUERY)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Preparing your report" in content
    assert "Counting 1 April 2025 to 31 March 2026" in content
    target = re.search(r'http-equiv="refresh" content="0;url=([^"]+)"', content).group(1)
    assert target.startswith("/reports/annual/?")
    assert client.get(target.replace("&amp;", "&")).status_code == 200
    dataset_page = client.get("/reports/prepare/dataset/", {"quarter": "2026Q1"})
    assert "/reports/dataset/?quarter=2026Q1" in dataset_page.content.decode()
    assert client.get("/reports/prepare/elsewhere/").status_code == 404
    bad = client.get("/reports/prepare/annual/", {**QUERY, "end_2": "2024"})
    assert bad.status_code == 400


@pytest.mark.parametrize("role_user", MAY_NOT, indirect=True)
def test_only_those_who_run_reports_may_prepare_one(role_user, client_for):
    assert client_for(role_user).get("/reports/prepare/annual/", QUERY).status_code == 403
