"""A chunk brings its children in step from the episodes it has just written
(`worklist.engine.Written`) rather than reading them back (issue 17 point 7): what that
leaves is what reading them back leaves, and a child who holds other episodes is read."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mace.imports.importer import import_tracker
from mace.people.models import Child, ChildIdentifier
from mace.worklist.engine import sync_children
from mace.worklist.models import DueItem, Recheck

from .test_import_chunks import files, hold_an_episode
from .test_import_tracker import child_row, episode_row
from .test_import_tracker import providers as providers  # a fixture

pytestmark = pytest.mark.django_db

# The engine's read of children's episodes with what the rules read of them.
EPISODES_READ = re.compile(
    r'FROM "episodes_episode" .*JOIN "interviews_returninterview".*'
    r'WHERE "episodes_episode"\."child_id" IN \(([^)]*)\)'
)

# One record read by its key: an episode's interview, or an episode or interview by its id.
ONE_READ = re.compile(
    r'WHERE "interviews_returninterview"\."episode_id" = '
    r'|WHERE "(episodes_episode|interviews_returninterview)"\."id" = '
)


def _the_worklists() -> tuple[list[tuple], list[tuple]]:
    items = sorted(
        DueItem.objects.values_list(
            "key", "rule", "title", "status", "due_at", "assignee_id", "team_id", "role"
        )
    )
    rechecks = sorted(Recheck.objects.values_list("child_id", "due_at", "basis"))
    return items, rechecks


def test_worklists_from_the_episodes_written_are_those_read_back(tmp_path, providers):
    hold_an_episode()  # C-1 holds E-0: their new episodes are read back with it
    children, episodes = files(
        tmp_path,
        [
            child_row("C-1", date_of_birth="2014-03-01"),
            child_row("C-2", date_of_birth="2009-03-01", gender="male", legal_status="CLA"),
            child_row(
                "C-3", date_of_birth="2010-07-01", legal_status="CLA", placing_authority="Barnet"
            ),
            child_row("C-4", date_of_birth="2016-01-20"),
        ],
        [
            episode_row(
                "E-1", "C-1", last_seen_at="2025-08-01T21:00", returned_at="2025-08-02T09:00"
            ),
            episode_row(
                "E-2",
                "C-2",
                missing_from="care",
                legal_status="CLA",
                last_seen_at="2025-07-10T10:00",
                returned_at="2025-07-11T10:00",
                police_risk="high",
                rhi_offered_at="2025-07-12T10:00",
                rhi_outcome="completed",
                rhi_completed_at="2025-07-13T10:00",
            ),
            episode_row(
                "E-3",
                "C-2",
                kind="away",
                missing_from="care",
                legal_status="CLA",
                last_seen_at="2025-03-10T10:00",
                returned_at="2025-03-10T20:00",
                rhi_offered_at="2025-03-11T10:00",
            ),
            episode_row(
                "E-4",
                "C-3",
                missing_from="care",
                legal_status="CLA",
                last_seen_at="2025-09-01T21:00",
                returned_at="2025-09-02T01:00",
                police_risk="medium",
                rhi_offered_at="2025-09-03T10:00",
                rhi_outcome="declined",
            ),
            episode_row(
                "E-5",
                "C-4",
                last_seen_at="2025-05-01T21:00",
                returned_at="2025-05-01T23:00",
                police_risk="low",
            ),
            episode_row("E-6", "C-4", last_seen_at="2025-04-01T21:00", police_risk="high"),
        ],
    )
    import_tracker(children=children)
    held = ChildIdentifier.objects.get(kind=ChildIdentifier.Kind.TRACKER, value="C-1").child_id

    with CaptureQueriesContext(connection) as queries:
        report = import_tracker(episodes=episodes)

    assert report.episodes.created == 6
    read = [m[1] for q in queries if (m := EPISODES_READ.search(q["sql"]))]
    assert read == [str(held)]  # the new children's episodes were not read back
    # nor one by one: an episode without an interview is known to have none, and the
    # gradings and offers hold their episodes and interviews
    assert not [q for q in queries if ONE_READ.search(q["sql"])]
    written = _the_worklists()
    assert DueItem.objects.filter(rule="T1").count() == 7  # E-0 and the six new episodes

    # Reading every child's facts back from the database changes nothing.
    result = sync_children(list(Child.objects.all()))
    assert result.changed == 0
    assert _the_worklists() == written
