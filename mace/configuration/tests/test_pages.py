"""The administrators' settings pages, instrument upload and first-run checklist, for every
role both ways (issue 18 point 5)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import AgencyFactory
from mace.audit.models import AuditEvent
from mace.configuration import store
from mace.configuration.models import PartnershipSetting
from mace.configuration.models import SettingKey as K
from mace.education.models import Term
from mace.exploitation.instruments import instrument_load
from mace.exploitation.models import Instrument

pytestmark = pytest.mark.django_db

PAGES = [
    "/settings/",
    "/settings/timescales/",
    "/settings/providers/",
    "/settings/home-authority/",
    "/settings/letterhead/",
    "/settings/suppression/",
    "/settings/go-live/",
    "/settings/instrument/",
]


@pytest.fixture
def admin_client(users, client_for):
    return client_for(users[Role.ADMINISTRATOR])


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_open_the_settings_pages(role, url, users, client_for):
    response = client_for(users[role]).get(url)
    assert response.status_code == (200 if role == Role.ADMINISTRATOR else 403)


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_change_reset_or_upload(role, users, client_for):
    PartnershipSetting.objects.create(key=K.MINUTES_DAYS, value=21)
    client = client_for(users[role])
    expected = 302 if role == Role.ADMINISTRATOR else 403
    assert client.post("/settings/suppression/", {"report_suppress_below": "7"}).status_code == (
        expected
    )
    assert client.post("/settings/reset/minutes_days/").status_code == expected
    upload = SimpleUploadedFile("i.json", b"{}", content_type="application/json")
    response = client.post("/settings/instrument/", {"file": upload})
    assert response.status_code == (200 if role == Role.ADMINISTRATOR else 403)
    store.forget()
    changed = role == Role.ADMINISTRATOR
    assert (store.value(K.REPORT_SUPPRESS_BELOW) == 7) is changed
    assert store.is_default(K.MINUTES_DAYS) is changed


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_see_settings_in_the_navigation(role, users, client_for):
    page = client_for(users[role]).get("/").content.decode()
    assert ('href="/settings/"' in page) is (role == Role.ADMINISTRATOR)


def test_the_overview_shows_each_value_and_whether_it_is_the_default(admin_client, settings):
    settings.SAFE_AND_WELL_HOURS = 3
    PartnershipSetting.objects.create(key=K.RETURN_INTERVIEW_HOURS, value=48)
    page = admin_client.get("/settings/").content.decode()
    row = page.split('data-testid="setting-safe_and_well_hours"')[1].split("</div>")[0]
    assert "3 hours" in row
    assert "Default" in row
    assert "Reset to default" not in row
    row = page.split('data-testid="setting-return_interview_hours"')[1].split("</div>")[0]
    assert "48 hours" in row
    assert "Set here" in row
    assert "Reset to default" in row


def test_a_change_page_saves_and_audits(admin_client, users):
    response = admin_client.post(
        "/settings/go-live/",
        {"go_live_date_0": "1", "go_live_date_1": "4", "go_live_date_2": "2027"},
    )
    assert response.status_code == 302
    assert store.value(K.GO_LIVE_DATE) == "2027-04-01"
    event = AuditEvent.objects.get(object_type="configuration.partnershipsetting")
    assert event.actor == users[Role.ADMINISTRATOR]
    assert event.after == {"go_live_date": "2027-04-01"}


def test_the_timescales_page_shows_errors_by_field_and_keeps_what_was_typed(admin_client):
    shown = admin_client.get("/settings/timescales/").context["form"]
    form = {**{key: str(value) for key, value in shown.initial.items()}}
    form.update(safe_and_well_hours="0", return_interview_hours="three days")
    response = admin_client.post("/settings/timescales/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Safe-and-well check (T5) must be 1 or more" in page
    assert 'href="#id_safe_and_well_hours"' in page
    assert "Return home interview (T7, T12) must be a whole number" in page
    assert 'value="three days"' in page
    assert not PartnershipSetting.objects.exists()


def test_a_provider_is_chosen_from_the_agencies(admin_client):
    AgencyFactory(name="Riverside Advocacy", kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER)
    page = admin_client.get("/settings/providers/").content.decode()
    assert "Riverside Advocacy" in page
    response = admin_client.post(
        "/settings/providers/",
        {
            "rhi_provider_under_13_from_home": "Riverside Advocacy",
            "rhi_provider_13_and_over_from_home": "",
            "rhi_provider_looked_after": "Not An Agency",
        },
    )
    page = response.content.decode()
    assert "Select the provider for 13 and over, missing from home" in page
    assert "Select an agency for looked after children" in page
    assert not PartnershipSetting.objects.exists()


def test_reset_to_default_from_the_overview(admin_client, settings):
    settings.MINUTES_DAYS = 14
    PartnershipSetting.objects.create(key=K.MINUTES_DAYS, value=21)
    response = admin_client.post("/settings/reset/minutes_days/", follow=True)
    assert "Minutes agreed and circulated (T21): back to its default" in response.content.decode()
    assert store.value(K.MINUTES_DAYS) == 14


def test_an_unknown_group_or_setting_is_not_found(admin_client):
    assert admin_client.get("/settings/nothing/").status_code == 404
    assert admin_client.post("/settings/reset/secret_key/").status_code == 404


def instrument_file(**changes):
    data = {
        "name": "Northbridge screening",
        "indicators": [
            {"section": "vulnerable", "code": "V1", "text": "Truancing from school", "weight": 2}
        ],
        "bands": [
            {"level": "not_at_risk", "min_score": 0},
            {"level": "vulnerable", "min_score": 1},
        ],
    }
    data.update(changes)
    return SimpleUploadedFile("instrument.json", json.dumps(data).encode(), "application/json")


def test_an_administrator_uploads_an_instrument_through_the_commands_service(
    admin_client, users, default_instrument
):
    response = admin_client.post(
        "/settings/instrument/", {"file": instrument_file(), "activate": "on"}
    )
    assert response.status_code == 302
    loaded = Instrument.objects.get(name="Northbridge screening")
    assert loaded.is_active
    assert loaded.version == 1
    assert loaded.indicators.count() == 1
    event = AuditEvent.objects.get(object_type="exploitation.instrument")
    assert event.actor == users[Role.ADMINISTRATOR]
    page = admin_client.get("/settings/instrument/").content.decode()
    assert "Northbridge screening version 1" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "The file is not valid JSON"),
        ("{}".encode("utf-16"), "The file must be saved as UTF-8 text"),
        (json.dumps({"name": "X", "indicators": [], "bands": []}).encode(), "indicators"),
    ],
)
def test_a_bad_instrument_file_is_refused_clearly_and_loads_nothing(
    admin_client, default_instrument, content, message
):
    before = set(Instrument.objects.values_list("pk", "is_active"))
    upload = SimpleUploadedFile("bad.json", content, "application/json")
    response = admin_client.post("/settings/instrument/", {"file": upload, "activate": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was loaded" in page
    assert message in page
    assert set(Instrument.objects.values_list("pk", "is_active")) == before


@pytest.mark.parametrize("role", list(Role))
def test_only_an_administrator_is_the_actor_of_an_instrument_load(role, users, default_instrument):
    data = json.loads(instrument_file().read())
    if role == Role.ADMINISTRATOR:
        assert instrument_load(data=data, actor=users[role]).is_active
    else:
        with pytest.raises(PermissionDenied):
            instrument_load(data=data, actor=users[role])
        assert not Instrument.objects.filter(name="Northbridge screening").exists()


def test_no_file_is_asked_for_by_name(admin_client):
    page = admin_client.post("/settings/instrument/", {}).content.decode()
    assert "Select the instrument file" in page


def checklist(client):
    page = client.get("/").content.decode()
    assert 'data-testid="first-run-checklist"' in page
    part = page.split('data-testid="first-run-checklist"')[1].split("</ul>")[0]
    items = part.split('<li class="govuk-task-list__item')[1:]
    return {
        item.split('govuk-task-list__link"')[1].split(">")[1].split("<")[0]: (
            "Still missing" not in item
        )
        for item in items
    }


def test_the_checklist_shows_what_is_still_missing_and_then_done(admin_client, settings, users):
    settings.GO_LIVE_DATE = ""
    settings.HOME_AUTHORITY_ONS_CODE = "E09999901"
    # users has made the test agencies and a team; the default panels come by migration.
    assert checklist(admin_client) == {
        "Agencies": True,
        "Return home interview providers": False,
        "Teams": True,
        "Panels": True,
        "Term dates": False,
        "Go-live date": False,
    }
    for name in (
        settings.RHI_PROVIDER_UNDER_13_FROM_HOME,
        settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME,
        settings.RHI_PROVIDER_LOOKED_AFTER,
    ):
        AgencyFactory(name=name)
    Term.objects.create(
        authority_code="E09999901",
        school_year=2026,
        name="autumn",
        start=datetime.date(2026, 9, 2),
        end=datetime.date(2026, 12, 18),
    )
    PartnershipSetting.objects.create(key=K.GO_LIVE_DATE, value="2027-04-01")
    assert set(checklist(admin_client).values()) == {True}


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ADMINISTRATOR])
def test_only_administrators_see_the_checklist(role, users, client_for):
    page = client_for(users[role]).get("/").content.decode()
    assert "first-run-checklist" not in page
