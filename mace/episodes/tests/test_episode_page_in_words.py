"""The episode page says things once and in words (issue 19 point 10): how long the child
has been missing, printed once; a timeline that names people by name, role and agency and
changed fields by their labels, never usernames or field names from the code."""

import datetime
import re

import pytest
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes import services
from mace.people.tests.factories import ChildFactory

NOW = timezone.now()
pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users, team):
    return ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)


@pytest.fixture
def officer(users):
    officer = users[Role.POLICE_OFFICER]
    officer.first_name, officer.last_name = "Sam", "Jones"
    officer.save()
    return officer


def report(officer, child, gone: datetime.timedelta):
    return services.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - gone,
        reported_at=NOW - gone + datetime.timedelta(minutes=30),
    )


def test_missing_for_is_printed_once(officer, child, client_for):
    episode = report(officer, child, datetime.timedelta(days=3, hours=19, minutes=5))
    page = client_for(officer).get(f"/episodes/{episode.public_id}/").content.decode()
    assert page.count("3\xa0days, 19\xa0hours") == 1
    shown = re.search(r'data-testid="episode-duration">([^<]*)<', page)
    assert shown is not None
    assert shown.group(1) == "3\xa0days, 19\xa0hours"


def test_the_duration_of_a_past_episode_is_printed_once(officer, child, client_for):
    episode = report(officer, child, datetime.timedelta(days=2, hours=5))
    services.episode_record_return(
        actor=officer, episode=episode, returned_at=NOW - datetime.timedelta(hours=1)
    )
    page = client_for(officer).get(f"/episodes/{episode.public_id}/").content.decode()
    shown = re.search(r'data-testid="episode-duration">([^<]*)<', page)
    assert shown is not None
    assert shown.group(1) == "2\xa0days, 4\xa0hours"


def test_the_timeline_names_people_and_fields_in_words(officer, child, client_for):
    episode = report(officer, child, datetime.timedelta(hours=9))
    services.episode_grade_risk(actor=officer, episode=episode, grade="medium")
    services.episode_update(
        actor=officer,
        episode=episode,
        expected_version=episode.version,
        last_seen_location="Bus station",
        circumstances="Left after an argument",
    )
    page = client_for(officer).get(f"/episodes/{episode.public_id}/").content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert "by Sam Jones, police officer, Test Police" in timeline
    assert "Circumstances, Last seen location" in timeline
    assert "last_seen_location" not in timeline
    assert officer.username not in timeline
