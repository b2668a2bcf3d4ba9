"""The demonstration episodes (`seed_demo`, mace.demo.episodes) have the seeds' shapes.

One seed of 600 children and three years is loaded for the module inside a transaction that
is rolled back, and what the tests look at is read out first: the shapes need a few hundred
episodes to be more than noise.
"""

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from mace.episodes.models import Episode
from mace.people.models import Child, LegalStatus, LegalStatusKind
from mace.worklist.models import DueItem

# Also what tells pytest-django to create the test database for this module's fixture.
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Seeded:
    output: str
    episodes: list[Episode]
    status_that_day: dict[int, str]  # episode id: child.legal_status_on(day last seen)
    current_status: dict[int, str]  # child id: status now
    worked_children: set[int]  # children with worklist items
    open_items: int


def seed_and_read(*args: str) -> Seeded:
    """Run seed_demo, read what the tests need, and roll it all back."""
    out = StringIO()
    with transaction.atomic():
        call_command("seed_demo", *args, stdout=out)
        episodes = list(Episode.objects.select_related("child").order_by("police_reference"))
        seeded = Seeded(
            output=out.getvalue(),
            episodes=episodes,
            status_that_day={
                e.pk: e.child.legal_status_on(timezone.localdate(e.last_seen_at)) for e in episodes
            },
            current_status=dict(
                LegalStatus.objects.filter(end_date__isnull=True).values_list("child_id", "status")
            ),
            worked_children=set(DueItem.objects.values_list("child_id", flat=True)),
            open_items=DueItem.objects.filter(status=DueItem.Status.OPEN).count(),
        )
        assert Child.objects.count() > 0
        transaction.set_rollback(True)
    return seeded


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return seed_and_read("--children", "600", "--years", "3", "--seed", "2026")


def episodes_per_child(seeded: Seeded) -> Counter[int]:
    return Counter(e.child_id for e in seeded.episodes)


def test_enough_episodes_for_the_shapes_to_mean_something(seeded):
    assert len(seeded.episodes) >= 200
    assert "episodes" in seeded.output
    assert "return interviews" in seeded.output
    assert "interview themes coded" in seeded.output  # what the children told us (issue 20)


def test_about_86_percent_of_ended_episodes_last_18_hours_or_less(seeded):
    ended = [e for e in seeded.episodes if e.returned_at is not None]
    short = [e for e in ended if (e.returned_at - e.last_seen_at).total_seconds() <= 18 * 3600]
    assert 0.80 <= len(short) / len(ended) <= 0.92


def test_just_over_a_quarter_of_missing_children_go_more_than_once(seeded):
    counts = episodes_per_child(seeded)
    repeat = [child for child, count in counts.items() if count > 1]
    assert 0.20 <= len(repeat) / len(counts) <= 0.40
    assert max(counts.values()) <= 20


def test_looked_after_children_go_missing_more_often_than_others(seeded):
    counts = episodes_per_child(seeded)
    looked_after = [n for c, n in counts.items() if seeded.current_status[c] == "CLA"]
    others = [n for c, n in counts.items() if seeded.current_status[c] != "CLA"]
    assert looked_after
    assert others
    assert statistics.mean(looked_after) > statistics.mean(others)


def test_the_peak_hour_for_going_missing_is_noon_to_2pm(seeded):
    hours = Counter(timezone.localtime(e.last_seen_at).hour for e in seeded.episodes)
    assert hours.most_common(1)[0][0] in (12, 13)


def test_some_children_are_missing_right_now(seeded):
    still_open = [e for e in seeded.episodes if e.returned_at is None]
    assert 1 <= len(still_open) <= 6
    now = timezone.now()
    for episode in still_open:
        assert now - episode.last_seen_at < timedelta(days=6)


def test_no_child_has_two_open_episodes(seeded):
    """Issue 18 point 7: one open episode a child at a time, as the services hold."""
    open_per_child = Counter(e.child_id for e in seeded.episodes if e.returned_at is None)
    assert open_per_child
    assert max(open_per_child.values()) == 1


def test_every_episode_records_the_childs_legal_status_that_day(seeded):
    mismatched = [
        e.police_reference
        for e in seeded.episodes
        if e.legal_status != seeded.status_that_day[e.pk]
    ]
    assert mismatched == []
    from_care = [e for e in seeded.episodes if e.missing_from == "care"]
    assert from_care
    assert {e.legal_status for e in from_care} == {LegalStatusKind.CLA}
    assert all(e.placement_id is not None for e in from_care)


def test_times_are_in_order_and_police_references_look_like_the_mets(seeded):
    now = timezone.now()
    for episode in seeded.episodes:
        assert episode.last_seen_at <= episode.reported_at <= now
        assert episode.returned_at is None or episode.last_seen_at <= episode.returned_at <= now
        year = timezone.localdate(episode.last_seen_at).year
        assert episode.police_reference.startswith(f"MPS-{year}-")
        assert len(episode.police_reference) == len("MPS-2026-123456")


def test_children_missing_recently_have_a_worklist(seeded):
    recent = timezone.now() - timedelta(days=90)
    recently_missing = {e.child_id for e in seeded.episodes if e.reported_at >= recent}
    assert recently_missing
    assert recently_missing <= seeded.worked_children
    assert seeded.open_items > 0


def references(seeded: Seeded) -> list[tuple[str | None, str, datetime]]:
    return [(e.police_reference, e.child.reference, e.last_seen_at) for e in seeded.episodes]


def test_the_same_seed_gives_the_same_episodes():
    args = ("--children", "150", "--years", "2", "--seed", "7")
    first = seed_and_read(*args)
    second = seed_and_read(*args)
    assert len(first.episodes) > 10
    assert references(first) == references(second)
