"""Who gets which figures on the reports pages (issue 16 point 7, SPEC C11: analysts see
anonymised aggregates only): analysts always get the suppressed figures, and only for whole
quarters; managers and the missing coordinator, who may open the records behind the figures
anyway, get them as counted unless they mark the report for publication; others get none."""

import datetime

import pytest

from mace.accounts.models import Role
from mace.lib.quarters import Quarter
from mace.reports import annual, suppression

from .test_annual import known  # noqa: F401  (the known dataset fixture: 4 episodes)
from .test_pages import QUERY

pytestmark = pytest.mark.django_db

RAW = {Role.MANAGER, Role.MISSING_COORDINATOR}
SUPPRESSED = {Role.ANALYST}
ONE_DAY = {**QUERY, "start_0": "31", "start_1": "3", "start_2": "2026"}
FORMATS = ["csv", "xlsx", "pdf", "json"]
SPEC_KEYS = {
    "episodes",
    "children",
    "episodes_by_legal_status",
    "children_by_legal_status",
    "pct_episodes_by_legal_status",
    "children_with_more_than_one_episode",
    "pct_children_with_more_than_one_episode",
    "episodes_18h_or_less",
    "pct_episodes_18h_or_less",
    "still_missing",
    "episodes_by_hour_started",
    "by_gender",
    "monthly",
    "rhi",
}


def _outcome(role):
    return "raw" if role in RAW else "suppressed" if role in SUPPRESSED else "refused"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_analysts_get_suppressed_figures_managers_and_the_coordinator_get_them_as_counted(
    role,
    users,
    client_for,
    known,  # noqa: F811
):
    client = client_for(users[role.value])
    page = client.get("/reports/annual/", QUERY)
    download = client.get("/reports/annual/", {**QUERY, "format": "json"})
    csv = client.get("/reports/annual/", {**QUERY, "format": "csv"})
    dataset = client.get("/reports/dataset/", {"quarter": "2025Q4", "format": "csv"})
    expected = _outcome(role)
    if expected == "refused":
        assert {page.status_code, download.status_code, csv.status_code} == {403}
        assert dataset.status_code == 403
        return
    assert page.status_code == download.status_code == csv.status_code == 200
    report = download.json()
    assert set(report) >= SPEC_KEYS  # the keys stay, whoever asks
    content = page.content.decode()
    text = csv.content.decode("utf-8-sig")
    if expected == "raw":
        assert report["episodes"] == 4
        assert report["by_gender"]["male"] == 1
        assert "suppressed" not in report
        assert "\nEpisodes,4" in text
        assert "numbers from 1 to 4 are shown as &lt;5" not in content
    else:
        assert report["episodes"] is None
        assert report["by_gender"]["male"] is None
        assert report["suppressed"]["episodes"] == "<5"
        assert report["suppressed_below"] == 5
        assert "\nEpisodes,<5" in text
        assert "\nEpisodes,4" not in text
        assert "numbers from 1 to 4 are shown as &lt;5" in content
    # The quarterly dataset likewise: one episode missing from home in 2025Q4.
    rows = dataset.content.decode("utf-8-sig")
    assert f"Number of missing episodes from home,CSC,,{'1' if expected == 'raw' else '<5'}" in rows


@pytest.mark.parametrize("role", sorted(RAW), ids=lambda role: role.value)
def test_a_report_marked_for_publication_is_suppressed_for_managers_and_the_coordinator(
    role,
    users,
    client_for,
    known,  # noqa: F811
):
    report = (
        client_for(users[role.value])
        .get("/reports/annual/", {**QUERY, "publish": "on", "format": "json"})
        .json()
    )
    assert report["episodes"] is None
    assert report["suppressed"]["episodes"] == "<5"


MINIMUM = "at least 90 days (a quarter)"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_an_analyst_asking_for_one_day_is_refused_with_the_minimum_period(role, users, client_for):
    client = client_for(users[role.value])
    responses = [client.get("/reports/annual/", ONE_DAY)]
    responses += [client.get("/reports/annual/", {**ONE_DAY, "format": f}) for f in FORMATS]
    responses.append(client.get("/reports/prepare/annual/", ONE_DAY))
    expected = _outcome(role)
    if expected == "refused":
        assert {r.status_code for r in responses} == {403}
    elif expected == "raw":
        assert {r.status_code for r in responses} == {200}
    else:
        for response in responses:
            assert response.status_code == 400
            assert response["Content-Type"].startswith("text/html")  # the form, not a file
            content = response.content.decode()
            assert MINIMUM in content
            assert "govuk-error-summary" in content


def test_an_analyst_is_refused_a_long_period_that_is_not_whole_quarters(users, client_for):
    """Periods sliding by a day would give each day's figures by subtraction."""
    client = client_for(users["analyst"])
    response = client.get("/reports/annual/", {**QUERY, "start_0": "2"})
    assert response.status_code == 400
    assert "start on 1 January, 1 April, 1 July or 1 October" in response.content.decode()
    whole = client.get("/reports/annual/", {**QUERY, "start_1": "1", "end_1": "3"})
    assert whole.status_code == 200  # January 2025 to March 2026: five quarters


def test_the_minimum_period_is_a_setting(users, client_for, settings):
    settings.ANALYST_MINIMUM_REPORT_DAYS = 365
    client = client_for(users["analyst"])
    quarter = client.get("/reports/annual/", {**QUERY, "start_1": "1", "start_2": "2026"})
    assert quarter.status_code == 400
    assert "at least 365 days" in quarter.content.decode()
    assert client.get("/reports/annual/", QUERY).status_code == 200


@pytest.mark.parametrize("quarter", ["2025Q1", "2024Q1", "2025Q2", "2025Q4"])
def test_every_whole_quarter_is_long_enough_for_an_analyst(quarter):
    """The shortest quarter, January to March of a year not a leap year, is 90 days counting
    both the first and the last."""
    whole = Quarter.parse(quarter)
    assert suppression.period_problem(annual.Period(whole.start, whole.end)) is None
    shorter = annual.Period(whole.start, whole.end - datetime.timedelta(days=1))
    assert suppression.period_problem(shorter) is not None
