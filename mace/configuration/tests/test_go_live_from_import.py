"""Issue 18: the go-live is one fact. Migration 0002 makes a go-live an import recorded
(worklist's RecordedGoLive, dropped by worklist 0009) the go-live setting; a setting already
made wins, as it did over the recorded day."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from mace.configuration import store
from mace.configuration.models import PartnershipSetting, SettingKey

copy = importlib.import_module("mace.configuration.migrations.0002_go_live_from_import")

DAY = datetime.date(2026, 4, 1)


@pytest.fixture
def recorded_go_live():
    """The table of the recorded go-live as it was before worklist 0009, for the test."""
    before = [
        ("worklist", "0006_history_before_go_live"),
        ("configuration", "0001_partnership_settings"),
    ]
    state = MigrationLoader(connection).project_state(before)
    model = state.apps.get_model("worklist", "RecordedGoLive")
    with connection.schema_editor() as editor:
        editor.create_model(model)
    yield state.apps, model
    with connection.schema_editor() as editor:
        editor.delete_model(model)


@pytest.mark.django_db(transaction=True)
def test_a_recorded_go_live_becomes_the_setting(recorded_go_live, settings):
    settings.GO_LIVE_DATE = ""
    old_apps, recorded = recorded_go_live
    recorded.objects.create(day=DAY, source="import_tracker")
    copy.go_live_from_import(old_apps, None)
    store.forget()
    assert store.value(SettingKey.GO_LIVE_DATE) == DAY.isoformat()


@pytest.mark.django_db(transaction=True)
def test_a_go_live_set_already_wins_over_the_recorded_one(recorded_go_live, settings):
    settings.GO_LIVE_DATE = ""
    old_apps, recorded = recorded_go_live
    recorded.objects.create(day=DAY, source="import_tracker")
    PartnershipSetting.objects.create(key=SettingKey.GO_LIVE_DATE, value="2026-05-01")
    copy.go_live_from_import(old_apps, None)
    assert PartnershipSetting.objects.get(key=SettingKey.GO_LIVE_DATE).value == "2026-05-01"
