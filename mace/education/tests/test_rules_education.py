"""T17, T18 and T19 on the worklists, counted in school days across half-terms, Christmas,
Easter and bank holidays (SPEC section 4, 003 §31, §34, §43)."""

import datetime

import pytest
from django.utils import timezone

from mace.education import services
from mace.education.models import CMECase, CMEReason, Term
from mace.worklist.models import DueItem

from .helpers import notify

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def officer(users):
    return users["inclusion_officer"]


def item(case, rule):
    return DueItem.objects.get(key=f"{rule}:cme:{case.pk}")


def due_day(case, rule):
    found = item(case, rule)
    return timezone.localdate(found.due_at)


@pytest.mark.parametrize(
    ("absent_since", "due"),
    [
        (D(2025, 10, 20), D(2025, 11, 10)),  # over the October half-term
        (D(2025, 12, 15), D(2026, 1, 12)),  # over Christmas and New Year
        (D(2026, 4, 27), D(2026, 5, 12)),  # over the early May bank holiday
        (D(2026, 3, 20), D(2026, 4, 17)),  # over Easter
    ],
)
def test_T17_the_school_notifies_after_10_school_days(officer, absent_since, due):
    case = notify(officer, absent_since=absent_since)
    assert due_day(case, "T17") == due
    found = item(case, "T17")
    assert found.status == DueItem.Status.OPEN
    assert found.assignee == officer


def test_T17_is_done_when_the_school_notifies(officer):
    case = notify(officer, absent_since=D(2025, 10, 20))
    services.cme_update(
        actor=officer, case=case, expected_version=case.version, notified_on=D(2025, 11, 4)
    )
    assert item(case, "T17").status == DueItem.Status.DONE


def test_T17_does_not_apply_to_a_place_never_taken_up(officer):
    case = notify(officer, reason=CMEReason.PLACE_NOT_TAKEN_UP)
    assert not DueItem.objects.filter(key=f"T17:cme:{case.pk}").exists()


def test_T17_counts_the_authoritys_own_term_dates(officer, users):
    """An authority whose half-term is a week earlier: the deadline moves with it."""
    services.term_save(
        actor=users["administrator"],
        authority_code=_home(),
        school_year=2025,
        name="autumn",
        start=D(2025, 9, 3),
        end=D(2025, 12, 19),
        half_term_start=D(2025, 10, 20),
        half_term_end=D(2025, 10, 24),
    )
    case = notify(officer, absent_since=D(2025, 10, 13))
    # 14-17 Oct (4), half-term 20-24 Oct, 27 Oct-31 Oct (9), 3 Nov (10).
    assert due_day(case, "T17") == D(2025, 11, 3)
    Term.objects.filter(authority_code=_home()).update(
        half_term_start=D(2025, 10, 27), half_term_end=D(2025, 10, 31)
    )
    services.term_save(
        actor=users["administrator"],
        authority_code=_home(),
        school_year=2025,
        name="autumn",
        start=D(2025, 9, 3),
        end=D(2025, 12, 19),
        half_term_start=D(2025, 10, 27),
        half_term_end=D(2025, 10, 31),
    )
    # Saving term dates brings open cases in step: 14-24 Oct (9), half-term, 3 Nov (10).
    assert due_day(case, "T17") == D(2025, 11, 3)
    assert due_day(notify(officer, absent_since=D(2025, 10, 20)), "T17") == D(2025, 11, 10)


@pytest.mark.parametrize(
    ("notified_on", "due"),
    [
        (D(2025, 10, 16), D(2025, 11, 6)),  # over the October half-term
        (D(2026, 3, 20), D(2026, 4, 17)),  # over Easter
        (D(2025, 12, 27), D(2026, 1, 16)),  # notified in the Christmas holidays
    ],
)
def test_T18_reasonable_enquiries_within_10_school_days_when_whereabouts_are_unknown(
    officer, notified_on, due
):
    case = notify(
        officer,
        absent_since=notified_on - datetime.timedelta(days=20),
        notified_on=notified_on,
        destination=CMECase.Destination.UNKNOWN,
    )
    assert due_day(case, "T18") == due


def test_T18_is_not_due_when_the_destination_is_known(officer):
    case = notify(officer, destination=CMECase.Destination.KNOWN)
    assert not DueItem.objects.filter(key=f"T18:cme:{case.pk}").exists()


def test_T18_is_done_when_the_enquiries_are_complete(officer):
    case = notify(officer, notified_on=D(2025, 11, 3), destination=CMECase.Destination.UNKNOWN)
    services.cme_update(
        actor=officer,
        case=case,
        expected_version=case.version,
        enquiries_completed_on=D(2025, 11, 12),
    )
    assert item(case, "T18").status == DueItem.Status.DONE


def test_T19_fair_access_panel_after_two_months_on_the_next_school_day(officer):
    # 20 Oct + 2 months = Saturday 20 December, in the Christmas holidays.
    case = notify(officer, absent_since=D(2025, 10, 20))
    assert due_day(case, "T19") == D(2026, 1, 5)


def test_T19_at_once_after_three_rejected_applications(officer):
    case = notify(officer, absent_since=D(2025, 10, 20))
    case = services.cme_update(
        actor=officer,
        case=case,
        expected_version=case.version,
        rejected_applications=3,
        third_rejection_on=D(2025, 11, 1),  # a Saturday
    )
    assert due_day(case, "T19") == D(2025, 11, 3)
    services.cme_update(
        actor=officer, case=case, expected_version=case.version, fap_referred_on=D(2025, 11, 4)
    )
    assert item(case, "T19").status == DueItem.Status.DONE


def test_T19_two_rejections_do_not_bring_it_forward(officer):
    case = notify(officer, absent_since=D(2025, 10, 20))
    services.cme_update(
        actor=officer, case=case, expected_version=case.version, rejected_applications=2
    )
    assert due_day(case, "T19") == D(2026, 1, 5)


def test_closing_the_case_closes_every_deadline(officer):
    case = notify(officer, absent_since=D(2025, 10, 20), destination=CMECase.Destination.UNKNOWN)
    services.cme_close(
        actor=officer,
        case=case,
        expected_version=case.version,
        outcome="on_roll",
        closed_on=D(2025, 11, 5),
    )
    # Resolved: what was never done is no longer needed (not "done").
    for rule in ("T17", "T18", "T19"):
        assert item(case, rule).status == DueItem.Status.NOT_NEEDED


def test_an_unallocated_case_goes_to_the_inclusion_officers_queue(users):
    case = notify(users["missing_coordinator"])
    found = item(case, "T17")
    assert found.assignee is None
    assert found.role == "inclusion_officer"


def _home():
    from django.conf import settings

    return settings.HOME_AUTHORITY_ONS_CODE
