"""The retention rules compute when a record falls due (docs/retention.md)."""

import datetime

import pytest

from mace.configuration import services as configuration
from mace.configuration.models import SettingKey
from mace.retention.models import Rule
from mace.retention.rules import Periods, child_due, intelligence_due, periods

DEFAULTS = Periods(child_years=25, looked_after_years=75, cme_years=25, intelligence_months=12)
BORN = datetime.date(2003, 6, 14)


def test_a_childs_records_fall_due_on_the_25th_birthday():
    due = child_due(date_of_birth=BORN, looked_after=False, missing_education=False, p=DEFAULTS)
    assert due.due_on == datetime.date(2028, 6, 14)
    assert due.rule == Rule.CHILD


def test_a_child_ever_looked_after_falls_due_75_years_from_birth():
    due = child_due(date_of_birth=BORN, looked_after=True, missing_education=True, p=DEFAULTS)
    assert (due.rule, due.due_on) == (Rule.LOOKED_AFTER, datetime.date(2078, 6, 14))


def test_a_child_missing_education_falls_due_on_the_25th_birthday_named_by_its_rule():
    due = child_due(date_of_birth=BORN, looked_after=False, missing_education=True, p=DEFAULTS)
    assert (due.rule, due.due_on) == (Rule.CME, datetime.date(2028, 6, 14))


def test_the_latest_rule_decides_when_the_periods_differ():
    longer_cme = Periods(
        child_years=25, looked_after_years=75, cme_years=30, intelligence_months=12
    )
    due = child_due(date_of_birth=BORN, looked_after=False, missing_education=True, p=longer_cme)
    assert (due.rule, due.due_on) == (Rule.CME, datetime.date(2033, 6, 14))
    due = child_due(date_of_birth=BORN, looked_after=False, missing_education=False, p=longer_cme)
    assert (due.rule, due.due_on) == (Rule.CHILD, datetime.date(2028, 6, 14))


def test_a_29_february_birthday_falls_due_on_1_march_in_other_years():
    due = child_due(
        date_of_birth=datetime.date(2004, 2, 29),
        looked_after=False,
        missing_education=False,
        p=DEFAULTS,
    )
    assert due.due_on == datetime.date(2029, 3, 1)


def test_intelligence_is_reviewed_a_year_after_it_was_recorded():
    due = intelligence_due(recorded_on=datetime.date(2025, 1, 31), p=DEFAULTS)
    assert (due.rule, due.due_on) == (Rule.INTELLIGENCE, datetime.date(2026, 1, 31))


@pytest.mark.django_db
def test_the_periods_are_partnership_settings(users):
    assert periods() == DEFAULTS
    configuration.settings_change(
        actor=users["administrator"],
        values={
            SettingKey.RETENTION_CHILD_YEARS: 26,
            SettingKey.RETENTION_LOOKED_AFTER_YEARS: 80,
            SettingKey.RETENTION_CME_YEARS: 27,
            SettingKey.RETENTION_INTELLIGENCE_REVIEW_MONTHS: 6,
        },
    )
    assert periods() == Periods(
        child_years=26, looked_after_years=80, cme_years=27, intelligence_months=6
    )
