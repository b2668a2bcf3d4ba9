"""The settings that were environment-only until now, changed in MACE (issue 18 point 5): the
escalation fallback, the weekly meeting's day and time, and the shortest analyst's report;
each page for administrators only, every change audited with before and after, and the
environment still the default."""

import datetime

import pytest
from django.utils.html import escape

from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory
from mace.audit.models import AuditEvent
from mace.configuration import store
from mace.configuration.models import PartnershipSetting
from mace.configuration.models import SettingKey as K
from mace.reports.annual import Period
from mace.reports.suppression import period_problem
from mace.worklist.scheduled import escalation_fallback
from mace.worklist.thresholds import thresholds

pytestmark = pytest.mark.django_db

PAGES = ["/settings/escalation/", "/settings/weekly-meeting/", "/settings/analysts/"]


@pytest.fixture
def admin_client(users, client_for):
    return client_for(users[Role.ADMINISTRATOR])


def _posts(users):
    return {
        "/settings/escalation/": {"escalation_fallback_username": users[Role.MANAGER].username},
        "/settings/weekly-meeting/": {
            "weekly_meeting_weekday": "3",
            "weekly_meeting_time": "9:30",
        },
        "/settings/analysts/": {"analyst_minimum_report_days": "180"},
    }


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_open_and_change_the_new_settings_pages(role, url, users, client_for):
    client = client_for(users[role])
    allowed = role == Role.ADMINISTRATOR
    assert client.get(url).status_code == (200 if allowed else 403)
    assert client.post(url, _posts(users)[url]).status_code == (302 if allowed else 403)
    store.forget()
    assert PartnershipSetting.objects.exists() is allowed
    assert (
        AuditEvent.objects.filter(object_type="configuration.partnershipsetting").exists()
        is allowed
    )


def test_each_change_is_audited_with_before_and_after_and_read_by_its_readers(
    admin_client, users, settings
):
    settings.ESCALATION_FALLBACK_USERNAME = ""
    settings.WEEKLY_MEETING_WEEKDAY = 1
    settings.WEEKLY_MEETING_TIME = "14:00"
    settings.ANALYST_MINIMUM_REPORT_DAYS = 90
    manager = users[Role.MANAGER]
    for url, form in _posts(users).items():
        assert admin_client.post(url, form).status_code == 302

    events = {
        e.object_id: e
        for e in AuditEvent.objects.filter(object_type="configuration.partnershipsetting")
    }
    assert events["escalation"].before == {"escalation_fallback_username": ""}
    assert events["escalation"].after == {"escalation_fallback_username": manager.username}
    assert events["weekly-meeting"].before == {
        "weekly_meeting_weekday": 1,
        "weekly_meeting_time": "14:00",
    }
    assert events["weekly-meeting"].after == {
        "weekly_meeting_weekday": 3,
        "weekly_meeting_time": "09:30",
    }
    assert events["analysts"].before == {"analyst_minimum_report_days": 90}
    assert events["analysts"].after == {"analyst_minimum_report_days": 180}
    assert all(e.actor == users[Role.ADMINISTRATOR] for e in events.values())

    assert escalation_fallback() == manager
    assert thresholds().weekly_meeting_weekday == 3
    assert thresholds().weekly_meeting_time == datetime.time(9, 30)
    two_quarters = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    one_quarter = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert period_problem(two_quarters) is None
    assert "at least 180 days" in (period_problem(one_quarter) or "")

    overview = admin_client.get("/settings/").content.decode()
    row = overview.split('data-testid="setting-weekly_meeting_weekday"')[1].split("</div>")[0]
    assert "Thursday" in row
    assert "Set here" in row


def test_the_environment_remains_the_default(admin_client, users, settings):
    settings.ESCALATION_FALLBACK_USERNAME = users[Role.ADMINISTRATOR].username
    settings.WEEKLY_MEETING_WEEKDAY = 4
    settings.WEEKLY_MEETING_TIME = "10:15"
    settings.ANALYST_MINIMUM_REPORT_DAYS = 365
    assert escalation_fallback() == users[Role.ADMINISTRATOR]
    assert thresholds().weekly_meeting_weekday == 4
    assert thresholds().weekly_meeting_time == datetime.time(10, 15)
    assert store.value(K.ANALYST_MINIMUM_REPORT_DAYS) == 365
    overview = admin_client.get("/settings/").content.decode()
    row = overview.split('data-testid="setting-weekly_meeting_time"')[1].split("</div>")[0]
    assert "10:15" in row
    assert "Default" in row
    # Changed, then reset: back to the environment's value.
    admin_client.post("/settings/analysts/", {"analyst_minimum_report_days": "120"})
    assert store.value(K.ANALYST_MINIMUM_REPORT_DAYS) == 120
    assert admin_client.post("/settings/reset/analyst_minimum_report_days/").status_code == 302
    assert store.value(K.ANALYST_MINIMUM_REPORT_DAYS) == 365


@pytest.mark.parametrize(
    ("url", "form", "field", "message"),
    [
        (
            "/settings/escalation/",
            {"escalation_fallback_username": "nobody-of-that-name"},
            "escalation_fallback_username",
            '"nobody-of-that-name" is not the username of an active user in MACE',
        ),
        (
            "/settings/escalation/",
            {"escalation_fallback_username": ""},
            "escalation_fallback_username",
            "Enter the escalation fallback's username",
        ),
        (
            "/settings/weekly-meeting/",
            {"weekly_meeting_weekday": "1", "weekly_meeting_time": "25:00"},
            "weekly_meeting_time",
            "Time of the weekly meeting must be a real time, from 00:00 to 23:59",
        ),
        (
            "/settings/weekly-meeting/",
            {"weekly_meeting_weekday": "1", "weekly_meeting_time": "2pm"},
            "weekly_meeting_time",
            "Time of the weekly meeting must be a time like 14:00",
        ),
        (
            "/settings/weekly-meeting/",
            {"weekly_meeting_weekday": "", "weekly_meeting_time": "14:00"},
            "weekly_meeting_weekday",
            "Select the day of the weekly meeting",
        ),
        (
            "/settings/analysts/",
            {"analyst_minimum_report_days": "0"},
            "analyst_minimum_report_days",
            "Shortest period of an analyst's report must be 1 or more",
        ),
    ],
)
def test_a_bad_value_is_refused_on_its_field_and_nothing_changes(
    admin_client, url, form, field, message
):
    response = admin_client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    assert escape(message) in page
    assert not PartnershipSetting.objects.exists()
    assert not AuditEvent.objects.filter(object_type="configuration.partnershipsetting").exists()


def test_a_deactivated_fallback_is_refused_and_flagged_on_the_overview(admin_client, settings):
    gone = UserFactory(role=Role.MANAGER, is_active=False)
    response = admin_client.post(
        "/settings/escalation/", {"escalation_fallback_username": gone.username}
    )
    assert response.status_code == 200
    assert not PartnershipSetting.objects.exists()
    settings.ESCALATION_FALLBACK_USERNAME = gone.username
    overview = admin_client.get("/settings/").content.decode()
    row = overview.split('data-testid="setting-escalation_fallback_username"')[1].split("</div>")[0]
    assert "Not an active user" in row
