"""Reports through the API (issue 16 point 7): the same figures for each role as the pages give,
from the same suppression (mace.reports.suppression)."""

import pytest

from mace.accounts.models import Role
from mace.reports.tests.test_annual import known  # noqa: F401  (4 episodes in the period)

from .helpers import api_client

pytestmark = pytest.mark.django_db

RAW = {Role.MANAGER, Role.MISSING_COORDINATOR}
SUPPRESSED = {Role.ANALYST}
YEAR = {"start": "2025-04-01", "end": "2026-03-31"}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_api_gives_analysts_suppressed_figures_and_managers_and_the_coordinator_raw(
    role,
    users,
    known,  # noqa: F811
):
    client = api_client(users[role.value])
    annual = client.get("/api/v1/reports/annual/", YEAR)
    dataset = client.get("/api/v1/reports/dataset/", {"quarter": "2025Q4"})
    if role not in RAW | SUPPRESSED:
        assert annual.status_code == dataset.status_code == 403
        return
    assert annual.status_code == dataset.status_code == 200
    report = annual.json()
    home = {item["item"]: item for item in dataset.json()["items"]}[
        "Number of missing episodes from home"
    ]
    if role in RAW:
        assert report["episodes"] == 4
        assert report["episodes_by_legal_status"]["CLA"] == 1
        assert home["value"] == 1
    else:
        assert report["episodes"] is None
        assert report["episodes_by_legal_status"]["CLA"] is None
        assert report["pct_episodes_by_legal_status"]["CLA"] is None
        assert report["suppressed"]["episodes"] == "<5"
        assert home["value"] is None
        assert dataset.json()["suppressed"]["items.3.value"] == "<5"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_api_refuses_an_analyst_one_day_and_says_the_minimum(role, users):
    client = api_client(users[role.value])
    response = client.get("/api/v1/reports/annual/", {"start": "2026-03-31", "end": "2026-03-31"})
    if role in RAW:
        assert response.status_code == 200
    elif role in SUPPRESSED:
        assert response.status_code == 400
        error = response.json()["error"]
        assert "at least 90 days (a quarter)" in " ".join(error["fields"]["start"])
    else:
        assert response.status_code == 403


def test_the_api_publishes_with_the_same_suppression_for_a_manager(users, known):  # noqa: F811
    report = (
        api_client(users["manager"])
        .get("/api/v1/reports/annual/", {**YEAR, "publish": "true"})
        .json()
    )
    assert report["episodes"] is None
    assert report["suppressed"]["episodes"] == "<5"
