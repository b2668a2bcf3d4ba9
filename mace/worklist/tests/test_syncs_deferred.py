"""`engine.syncs_deferred`: many changes to the same children through the services, each
child brought in step once at the end (the demonstration data's education cases), with the
worklist that syncing after each change gives."""

import datetime

import pytest

from mace.accounts.models import Role
from mace.education import services
from mace.education.models import CMECheck
from mace.education.tests.helpers import notify, school_child
from mace.worklist.engine import sync_child, syncs_deferred
from mace.worklist.models import DueItem

pytestmark = pytest.mark.django_db


def record_a_case(officer, child):
    case = notify(officer, child)
    for kind in (CMECheck.Kind.HEALTH, CMECheck.Kind.PARENTS):
        services.cme_check_add(
            actor=officer,
            case=case,
            kind=kind,
            checked_on=datetime.date(2025, 10, 24),
            result=CMECheck.Result.NOT_FOUND,
            note="",
        )


def check_benefits(officer, child):
    services.cme_check_add(
        actor=officer,
        case=child.cme_cases.get(),
        kind=CMECheck.Kind.BENEFITS,
        checked_on=datetime.date(2025, 10, 27),
        result=CMECheck.Result.NO_INFORMATION,
        note="",
    )


def worklist(child):
    return sorted(
        DueItem.objects.filter(child=child).values_list("rule", "status", "due_at", "title")
    )


def test_each_child_is_brought_in_step_once_at_the_end_as_after_each_change(users):
    officer = users[Role.INCLUSION_OFFICER]
    each_change, deferred = school_child(), school_child()
    record_a_case(officer, each_change)
    with syncs_deferred():
        record_a_case(officer, deferred)
        with syncs_deferred():  # nested: the outermost syncs
            check_benefits(officer, deferred)
        assert not DueItem.objects.filter(child=deferred).exists()
    check_benefits(officer, each_change)
    assert worklist(deferred) != []
    assert worklist(deferred) == worklist(each_change)
    assert sync_child(deferred).changed == 0


def test_an_error_inside_syncs_nothing_and_syncs_are_not_deferred_after(users):
    officer = users[Role.INCLUSION_OFFICER]
    child = school_child()

    def notify_then_fail():
        with syncs_deferred():
            notify(officer, child)
            raise RuntimeError("the caller's transaction rolls back what was recorded")

    with pytest.raises(RuntimeError):
        notify_then_fail()
    assert not DueItem.objects.filter(child=child).exists()
    record_a_case(officer, school_child())  # synced as it is recorded
    assert DueItem.objects.exclude(child=child).exists()
