"""A timescale changed in MACE changes the deadlines the rules compute (issue 18 point 5)."""

import datetime

import pytest

from mace.accounts.models import Role
from mace.configuration import services
from mace.configuration.models import SettingKey as K
from mace.episodes import services as episodes
from mace.worklist.models import DueItem
from mace.worklist.scheduled import run_scheduled_checks
from mace.worklist.tests.test_rules import found, make_child, report

HOUR = datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_t5_safe_and_well_follows_the_hours_an_administrator_sets(users, team, settings):
    settings.SAFE_AND_WELL_HOURS = 3
    officer, worker = users[Role.POLICE_OFFICER], users[Role.SOCIAL_WORKER]
    episode = report(officer, make_child(worker, team))
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="medium")
    episode = found(officer, episode, hours_ago=1)
    due = DueItem.objects.get(key=f"safe_and_well:episode:{episode.pk}")
    assert (due.rule, due.due_at) == ("T5", episode.returned_at + 3 * HOUR)

    services.settings_change(actor=users[Role.ADMINISTRATOR], values={K.SAFE_AND_WELL_HOURS: "6"})
    # The open item moves at the next scheduled check.
    run_scheduled_checks()
    due.refresh_from_db()
    assert (due.rule, due.due_at, due.status) == ("T5", episode.returned_at + 6 * HOUR, "open")

    # And a new episode's item is due 6 hours after the return from the start.
    second = report(officer, make_child(worker, team))
    episodes.episode_grade_risk(actor=officer, episode=second, grade="medium")
    second = found(officer, second, hours_ago=1)
    due = DueItem.objects.get(key=f"safe_and_well:episode:{second.pk}")
    assert due.due_at == second.returned_at + 6 * HOUR
