"""Issue 18 point 1, rule by rule (worklist.golive): with a go-live set, what ended before it
is history, born closed; what was still open at go-live is live."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.configuration import store
from mace.configuration.models import PartnershipSetting, SettingKey
from mace.episodes import services
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem
from mace.worklist.scheduled import run_scheduled_checks
from mace.worklist.services import go_live_record

pytestmark = pytest.mark.django_db

NOW = timezone.now()
GO_LIVE = timezone.localdate(NOW) - datetime.timedelta(days=10)


@pytest.fixture
def go_live(settings):
    settings.GO_LIVE_DATE = GO_LIVE.isoformat()


def report(users, child, seen_days_ago: int, back_days_ago: int | None = None):
    return services.episode_report(
        actor=users[Role.MISSING_COORDINATOR],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(days=seen_days_ago),
        reported_at=NOW - datetime.timedelta(days=seen_days_ago),
        returned_at=None if back_days_ago is None else NOW - datetime.timedelta(days=back_days_ago),
    )


def test_items_of_an_episode_that_ended_before_go_live_are_born_historical(go_live, users):
    child = ChildFactory()
    ended = report(users, child, 40, 39)
    items = DueItem.objects.filter(episode=ended)
    assert {"T1", "T7"} <= set(items.values_list("rule", flat=True))
    assert set(items.values_list("status", flat=True)) == {DueItem.Status.HISTORICAL}
    assert all(item.closed_at is not None for item in items)
    result = run_scheduled_checks()
    assert result.overdue == 0
    # And nothing of this child is escalated as overdue.
    assert not DueItem.objects.filter(child=child, escalated_at__isnull=False).exists()
    assert set(DueItem.objects.filter(episode=ended).values_list("status", flat=True)) == {
        DueItem.Status.HISTORICAL
    }


def test_an_episode_open_at_go_live_keeps_live_items_due_before_it(go_live, users):
    child = ChildFactory()
    still_missing = report(users, child, 40)
    t1 = DueItem.objects.get(rule="T1", episode=still_missing)
    assert t1.due_at.date() < GO_LIVE
    assert t1.status == DueItem.Status.OPEN


def test_t16_cycle_of_a_child_missing_at_go_live_starts_at_go_live(go_live, users):
    child = ChildFactory()
    report(users, child, 120, 119)
    report(users, child, 40)
    t16 = DueItem.objects.filter(child=child, rule="T16")
    live = t16.get(status=DueItem.Status.OPEN)
    assert timezone.localtime(live.due_at).date() == GO_LIVE + datetime.timedelta(days=28)
    assert not t16.exclude(pk=live.pk).filter(status=DueItem.Status.OPEN).exists()


def test_without_a_go_live_the_same_episode_is_chased(users, settings):
    settings.GO_LIVE_DATE = ""
    child = ChildFactory()
    ended = report(users, child, 40, 39)
    assert DueItem.objects.filter(episode=ended, status=DueItem.Status.OPEN).exists()
    assert not DueItem.objects.filter(status=DueItem.Status.HISTORICAL).exists()


@pytest.mark.parametrize("role", list(Role))
def test_only_those_who_may_import_record_a_go_live(role, users, settings):
    settings.GO_LIVE_DATE = ""
    may = role in {Role.MISSING_COORDINATOR, Role.ADMINISTRATOR}
    if may:
        assert go_live_record(actor=users[role], day=GO_LIVE, source="import_tracker") == GO_LIVE
        assert store.value(SettingKey.GO_LIVE_DATE) == GO_LIVE.isoformat()
        assert AuditEvent.objects.filter(summary__startswith="Go-live recorded").exists()
    else:
        with pytest.raises(PermissionDenied):
            go_live_record(actor=users[role], day=GO_LIVE, source="import_tracker")
        assert not PartnershipSetting.objects.exists()


def test_a_recorded_go_live_is_the_setting(users, settings):
    settings.GO_LIVE_DATE = ""
    go_live_record(actor=users[Role.ADMINISTRATOR], day=GO_LIVE, source="import_tracker")
    child = ChildFactory()
    ended = report(users, child, 40, 39)
    assert set(DueItem.objects.filter(episode=ended).values_list("status", flat=True)) == {
        DueItem.Status.HISTORICAL
    }
    with pytest.raises(ValueError, match="the go-live in force is"):
        go_live_record(
            actor=users[Role.ADMINISTRATOR],
            day=GO_LIVE + datetime.timedelta(days=1),
            source="import_tracker",
        )
    # One fact: the setting the administrators' page shows, audited with before and after.
    setting = PartnershipSetting.objects.get(key=SettingKey.GO_LIVE_DATE)
    assert setting.value == GO_LIVE.isoformat()
    assert setting.changed_by == users[Role.ADMINISTRATOR]
    event = AuditEvent.objects.get(summary__startswith="Go-live recorded")
    assert event.object_type == "configuration.partnershipsetting"
    assert (event.before, event.after) == (
        {"go_live_date": ""},
        {"go_live_date": GO_LIVE.isoformat()},
    )
    # The same day again changes nothing.
    go_live_record(actor=users[Role.ADMINISTRATOR], day=GO_LIVE, source="import_tracker")
    assert AuditEvent.objects.filter(summary__startswith="Go-live recorded").count() == 1


def test_a_go_live_set_in_the_environment_is_not_written_again(users, settings):
    settings.GO_LIVE_DATE = GO_LIVE.isoformat()
    go_live_record(actor=users[Role.ADMINISTRATOR], day=GO_LIVE, source="import_tracker")
    assert not PartnershipSetting.objects.exists()
    with pytest.raises(ValueError, match="the go-live in force is"):
        go_live_record(
            actor=users[Role.ADMINISTRATOR],
            day=GO_LIVE + datetime.timedelta(days=1),
            source="import_tracker",
        )
