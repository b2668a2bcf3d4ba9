"""Children missing in association are linked to each other automatically (C5, C2)."""

import datetime

import pytest
from django.utils import timezone

from mace.episodes.models import Episode, EpisodeKind, MissingFrom
from mace.intelligence.models import Confidence, Link
from mace.intelligence.services import links_from_episodes, on_episode_saved
from mace.people.models import LegalStatusKind
from mace.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _episode(child, companions, last_seen_at, police_reference=None):
    episode = Episode.objects.create(
        child=child,
        kind=EpisodeKind.MISSING,
        missing_from=MissingFrom.HOME,
        legal_status=LegalStatusKind.NONE,
        last_seen_at=last_seen_at,
        reported_at=last_seen_at,
        police_reference=police_reference,
    )
    episode.with_children.set(companions)
    return episode


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 21, 30))


def test_it_links_the_children_missing_together_with_the_source_and_date():
    amy, ben = ChildFactory.create(), ChildFactory.create()
    _episode(amy, [ben], _at(2025, 4, 12), police_reference="MP-2025-0042")

    [link] = links_from_episodes(amy)

    assert {link.child, link.other_child} == {amy, ben}
    assert link.kind == Link.Kind.MISSING_TOGETHER
    assert link.source == "Missing episode MP-2025-0042"
    assert link.observed_on == datetime.date(2025, 4, 12)
    assert link.confidence == Confidence.CONFIRMED
    assert link.created_by is None


def test_without_a_police_reference_the_source_names_the_date():
    amy, ben = ChildFactory.create(), ChildFactory.create()
    _episode(amy, [ben], _at(2025, 4, 12))

    [link] = links_from_episodes(ben)

    assert link.source == "Missing episode 12/04/2025"


def test_it_is_idempotent():
    amy, ben = ChildFactory.create(), ChildFactory.create()
    _episode(amy, [ben], _at(2025, 4, 12))
    _episode(ben, [amy], _at(2025, 5, 1))

    assert len(links_from_episodes(amy)) == 1
    assert links_from_episodes(amy) == []
    assert links_from_episodes(ben) == []
    [link] = Link.objects.all()
    assert link.observed_on == datetime.date(2025, 4, 12)


def test_the_episode_hook_links_every_child_in_the_group():
    amy, ben, cal = ChildFactory.create(), ChildFactory.create(), ChildFactory.create()
    episode = _episode(amy, [ben, cal], _at(2025, 4, 12))

    on_episode_saved(episode)
    on_episode_saved(episode)

    pairs = {frozenset((link.child_id, link.other_child_id)) for link in Link.objects.all()}
    assert pairs == {
        frozenset((amy.pk, ben.pk)),
        frozenset((amy.pk, cal.pk)),
        frozenset((ben.pk, cal.pk)),
    }
