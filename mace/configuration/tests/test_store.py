"""The partnership's settings store (issue 18 point 5): the environment's value until an
administrator changes it, theirs after, the environment's again after a reset; every change
audited with the values before and after; read from the table at most once until a write."""

import datetime
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import AgencyFactory
from mace.audit.models import AuditEvent
from mace.configuration import services, store
from mace.configuration.models import PartnershipSetting
from mace.configuration.models import SettingKey as K
from mace.documents.letterhead import letterhead
from mace.reports.suppression import threshold
from mace.worklist.thresholds import thresholds

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(users):
    return users[Role.ADMINISTRATOR]


def test_a_setting_never_changed_is_the_environments(settings):
    settings.SAFE_AND_WELL_HOURS = 4
    assert store.value(K.SAFE_AND_WELL_HOURS) == 4
    assert store.is_default(K.SAFE_AND_WELL_HOURS)
    assert thresholds().safe_and_well == datetime.timedelta(hours=4)


def test_a_changed_setting_overrides_the_environment_until_reset(admin, settings):
    settings.SAFE_AND_WELL_HOURS = 3
    assert services.settings_change(actor=admin, values={K.SAFE_AND_WELL_HOURS: "5"}) == [
        "safe_and_well_hours"
    ]
    assert store.value(K.SAFE_AND_WELL_HOURS) == 5
    assert not store.is_default(K.SAFE_AND_WELL_HOURS)
    assert thresholds().safe_and_well == datetime.timedelta(hours=5)

    assert services.setting_reset(actor=admin, key=K.SAFE_AND_WELL_HOURS)
    assert store.value(K.SAFE_AND_WELL_HOURS) == 3
    assert store.is_default(K.SAFE_AND_WELL_HOURS)
    assert not PartnershipSetting.objects.exists()
    assert not services.setting_reset(actor=admin, key=K.SAFE_AND_WELL_HOURS)


def test_every_change_and_reset_is_audited_with_before_and_after(admin, settings):
    settings.REPORT_SUPPRESS_BELOW = 5
    settings.MINIMUM_POLICE_RISK_GRADE = "medium"
    services.settings_change(
        actor=admin,
        values={K.REPORT_SUPPRESS_BELOW: "10", K.MINIMUM_POLICE_RISK_GRADE: "medium"},
    )
    change = AuditEvent.objects.get(object_type="configuration.partnershipsetting")
    assert change.object_id == "suppression"
    assert change.actor == admin
    assert change.action == AuditEvent.Action.CHANGE
    # Only what changed: the grade was already medium.
    assert change.before == {"report_suppress_below": 5}
    assert change.after == {"report_suppress_below": 10}
    assert threshold() == 10

    services.setting_reset(actor=admin, key=K.REPORT_SUPPRESS_BELOW)
    reset = AuditEvent.objects.filter(object_type="configuration.partnershipsetting").latest("pk")
    assert (reset.before, reset.after) == (
        {"report_suppress_below": 10},
        {"report_suppress_below": 5},
    )


def test_saving_what_is_already_in_force_changes_and_audits_nothing(admin, settings):
    settings.SAFE_AND_WELL_HOURS = 3
    assert services.settings_change(actor=admin, values={K.SAFE_AND_WELL_HOURS: "3"}) == []
    assert not PartnershipSetting.objects.exists()
    assert not AuditEvent.objects.filter(object_type="configuration.partnershipsetting").exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (K.SAFE_AND_WELL_HOURS, "0", "Safe-and-well check (T5) must be 1 or more"),
        (K.SAFE_AND_WELL_HOURS, "-3", "Safe-and-well check (T5) must be a whole number, like 3"),
        (K.SAFE_AND_WELL_HOURS, "2.5", "Safe-and-well check (T5) must be a whole number, like 3"),
        (K.SAFE_AND_WELL_HOURS, "", "Enter safe-and-well check (T5)"),
        (K.MINIMUM_POLICE_RISK_GRADE, "severe", "Select lowest police risk grade recorded"),
        (K.REPORT_SUPPRESS_BELOW, "1", "Suppress published counts below must be 2 or more"),
        (K.GO_LIVE_DATE, "2027-02-30", "Go-live date must be a real date"),
        (K.HOME_AUTHORITY_ONS_CODE, "X123", "Home authority's ONS code must be E or W and 8"),
        (K.RHI_PROVIDER_LOOKED_AFTER, "Nobody Ltd", '"Nobody Ltd" is not an agency in MACE'),
        (K.LETTERHEAD_SERVICE_NAME, "  ", "Enter service the letter comes from"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting_and_nothing_is_changed(
    admin, key, value, message
):
    with pytest.raises(ValidationError) as refused:
        services.settings_change(actor=admin, values={K.DIRECTOR_LETTER_EPISODES: "4", key: value})
    assert message in " ".join(refused.value.message_dict[key.value])
    assert list(refused.value.message_dict) == [key.value]
    # The good value beside it is not saved either: all or nothing.
    assert not PartnershipSetting.objects.exists()


def test_a_provider_must_be_an_agency_in_mace(admin):
    AgencyFactory(name="Riverside Advocacy", kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER)
    services.settings_change(
        actor=admin, values={K.RHI_PROVIDER_LOOKED_AFTER: "Riverside Advocacy"}
    )
    assert store.value(K.RHI_PROVIDER_LOOKED_AFTER) == "Riverside Advocacy"


def test_the_go_live_date_reaches_thresholds(admin, settings):
    settings.GO_LIVE_DATE = ""
    assert thresholds().go_live is None
    services.settings_change(actor=admin, values={K.GO_LIVE_DATE: "2027-04-01"})
    assert thresholds().go_live == datetime.date(2027, 4, 1)
    services.settings_change(actor=admin, values={K.GO_LIVE_DATE: ""})
    assert thresholds().go_live is None


def test_letterhead_and_protective_marking_read_the_store(admin):
    services.settings_change(
        actor=admin,
        values={
            K.DOCUMENTS_PROTECTIVE_MARKING: "OFFICIAL",
            K.LETTERHEAD_ADDRESS: "Town Hall\n\n1 High Street ",
            K.LETTERHEAD_AUTHORITY_NAME: "Northbridge Borough Council",
        },
    )
    printed = letterhead()
    assert printed.protective_marking == "OFFICIAL"
    assert printed.address_lines == ("Town Hall", "1 High Street")
    assert printed.authority_name == "Northbridge Borough Council"


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ADMINISTRATOR])
def test_only_an_administrator_changes_or_resets_a_setting(users, role):
    with pytest.raises(PermissionDenied):
        services.settings_change(actor=users[role], values={K.SAFE_AND_WELL_HOURS: "5"})
    with pytest.raises(PermissionDenied):
        services.setting_reset(actor=users[role], key=K.SAFE_AND_WELL_HOURS)
    assert not PartnershipSetting.objects.exists()


def test_thresholds_read_the_table_once_until_a_change(admin):
    store.forget()
    with CaptureQueriesContext(connection) as first:
        for _ in range(1000):
            thresholds()
    assert len(first) == 1
    services.settings_change(actor=admin, values={K.SAFE_AND_WELL_HOURS: "6"})
    with CaptureQueriesContext(connection) as after_change:
        assert thresholds().safe_and_well == datetime.timedelta(hours=6)
        thresholds()
    assert len(after_change) == 1


def test_a_change_made_by_another_process_is_read_at_the_next_request(admin, client):
    thresholds()  # kept in this process
    PartnershipSetting.objects.create(key=K.SAFE_AND_WELL_HOURS, value=7)  # as another would
    assert thresholds().safe_and_well == datetime.timedelta(hours=3)
    client.get("/")  # any request starts by forgetting
    assert thresholds().safe_and_well == datetime.timedelta(hours=7)


def test_the_kept_settings_are_read_again_after_max_age(monkeypatch):
    thresholds()
    PartnershipSetting.objects.create(key=K.SAFE_AND_WELL_HOURS, value=8)
    later = time.monotonic() + store.MAX_AGE + 1
    monkeypatch.setattr(store.time, "monotonic", lambda: later)
    assert thresholds().safe_and_well == datetime.timedelta(hours=8)
