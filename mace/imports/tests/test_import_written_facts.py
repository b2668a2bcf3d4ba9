"""A chunk brings its children in step from the episodes it has just written
(`worklist.engine.Written`) rather than reading them back (issue 17 point 7): what that
leaves is what reading them back leaves, and a child who holds other episodes, or whose
row wrote otherwise, is read."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mace.episodes.models import Episode
from mace.imports.importer import import_tracker
from mace.people.models import Child, ChildIdentifier
from mace.worklist.engine import sync_children
from mace.worklist.models import DueItem, Recheck

from .test_import_chunks import a_busy_file, hold_an_episode
from .test_import_tracker import (
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    child_row,
    episode_row,
    read_csv,
    write_csv,
)
from .test_import_tracker import providers as providers  # a fixture

pytestmark = pytest.mark.django_db

# The engine's read of children's episodes with what the rules read of them.
EPISODES_READ = re.compile(
    r'FROM "episodes_episode" .*JOIN "interviews_returninterview".*'
    r'WHERE "episodes_episode"\."child_id" IN \(([^)]*)\)'
)


def _one_read(episode_ids: set[int]) -> re.Pattern[str]:
    """A read of one of these episodes, or of its interview, by its id."""
    ids = "|".join(str(pk) for pk in sorted(episode_ids))
    return re.compile(
        rf'WHERE "(episodes_episode"\."id"|interviews_returninterview"\."episode_id") = ({ids})\b'
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
    children, episodes = a_busy_file(tmp_path)
    # and a new child whose episode has no return interview
    write_csv(children, CHILD_COLUMNS, [*read_csv(children), child_row("C-5")])
    write_csv(
        episodes,
        EPISODE_COLUMNS,
        [*read_csv(episodes), episode_row("E-9", "C-5", returned_at="2025-06-02T08:00")],
    )
    import_tracker(children=children)
    child = dict(
        ChildIdentifier.objects.filter(kind=ChildIdentifier.Kind.TRACKER).values_list(
            "value", "child_id"
        )
    )

    with CaptureQueriesContext(connection) as queries:
        report = import_tracker(episodes=episodes)

    assert report.episodes.created == 8
    read = {
        int(pk) for q in queries if (m := EPISODES_READ.search(q["sql"])) for pk in m[1].split(",")
    }
    # C-1 holds E-0, and C-3's row names a companion (a row written otherwise): read back.
    # C-2's two new episodes, with their gradings, interviews and offers, and C-5's, with
    # no interview, are not, as a whole or one by one.
    assert read == {child["C-1"], child["C-3"]}
    written = set(
        Episode.objects.filter(child_id__in=[child["C-2"], child["C-5"]]).values_list(
            "pk", flat=True
        )
    )
    assert len(written) == 3
    one_read = _one_read(written)
    assert not [q for q in queries if one_read.search(q["sql"])]
    worklists = _the_worklists()

    # Reading every child's facts back from the database changes nothing.
    result = sync_children(list(Child.objects.all()))
    assert result.changed == 0
    assert _the_worklists() == worklists
