"""Episode rows written by several processes side by side (`--workers`, imports.workers):
the same records, worklists, audit trail, report and rejects as one process; each chunk
in a process of its own; and a process that stops stops the import, saying what to do.

Real processes on the real database, so these tests commit (transaction=True); the
processes are PostgreSQL's only, and SQLite refuses --workers with a reason."""

import os
import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from mace.episodes.models import Episode
from mace.imports.chunks import missing_together
from mace.imports.importer import import_tracker
from mace.imports.workers import WorkersStopped, can_share_out, share_out
from mace.people.models import Child

from .test_import_chunks import a_busy_file, files, hold_an_episode, what_the_import_left
from .test_import_tracker import EPISODE_COLUMNS, child_row, episode_row, read_csv, write_csv

pytestmark = pytest.mark.django_db(transaction=True)

_REFERENCE = re.compile(r"MC-\d+")
_REFUSED = re.compile(r"\(refused by the test.*", re.DOTALL)


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several processes write at once on PostgreSQL only (SQLite refuses)")


def look(children: Path, episodes: Path, *, workers: int, chunk_rows: int = 1):
    """Import with `workers` processes; what it left (the audit trail in any order: the
    processes' events interleave; children named, as their references differ between
    runs), what it said, and its rejects."""
    report = import_tracker(
        children=children, episodes=episodes, chunk_rows=chunk_rows, workers=workers
    )
    left = what_the_import_left()
    names = {child.reference: child.first_name + child.last_name for child in Child.objects.all()}
    left["audit"] = sorted(
        (
            (action, kind, _REFERENCE.sub(lambda m: names.get(m[0], m[0]), summary), *rest)
            for action, kind, summary, *rest in left["audit"]
        ),
        key=repr,
    )
    rejects = read_csv(episodes.with_name("episodes.rejects.csv"))
    return left, report.lines(), rejects


def more_children(tmp_path: Path) -> tuple[Path, Path]:
    """The busy file of test_import_chunks, and more children with an episode or two each,
    so that each process has several chunks."""
    busy_children, busy_episodes = a_busy_file(tmp_path)
    children = read_csv(busy_children)
    episodes = read_csv(busy_episodes)
    for n in range(12):
        children.append(child_row(f"W-{n}", date_of_birth="2012-01-01"))
        episodes.append(
            episode_row(
                f"WE-{n}",
                f"W-{n}",
                last_seen_at=f"2025-0{1 + n % 9}-10T21:00",
                returned_at=f"2025-0{1 + n % 9}-11T09:00",
                rhi_offered_at=f"2025-0{1 + n % 9}-11T12:00",
                rhi_outcome="declined" if n % 2 else "completed",
                rhi_completed_at="" if n % 2 else f"2025-0{1 + n % 9}-12T12:00",
            )
        )
        if n % 3 == 0:
            episodes.append(episode_row(f"WF-{n}", f"W-{n}", last_seen_at="2025-11-01T21:00"))
    episodes.append(episode_row("WE-bad", "W-1", police_risk="extreme"))  # rejected
    return files(tmp_path, children, episodes)


def test_episodes_written_by_two_processes_leave_what_one_process_leaves(tmp_path):
    needs_postgresql()
    hold_an_episode()
    children, episodes = more_children(tmp_path)

    with transaction.atomic():
        in_one_process = look(children, episodes, workers=1)
        transaction.set_rollback(True)
    connection.ensure_connection()
    parents = connection.connection
    in_two = look(children, episodes, workers=2)
    # The parent closed its connection for the processes to fork (imports.workers).
    assert connection.connection is not parents

    left, said, rejects = in_one_process
    assert len(left["episodes"]) == 8 + 16  # the busy file's (E-0 held), the W- children's
    # The interviews recorded with no provider set up are counted in every process.
    assert any("provider not known" in line for line in said), said
    assert sorted(row["episode_ref"] for row in rejects) == ["E-5", "WE-bad"]
    assert in_two == in_one_process


def test_a_second_run_by_two_processes_changes_nothing(tmp_path):
    needs_postgresql()
    children, episodes = more_children(tmp_path)
    import_tracker(children=children, episodes=episodes, chunk_rows=2, workers=2)
    held = Episode.objects.count()

    again = import_tracker(children=children, episodes=episodes, chunk_rows=2, workers=2)

    assert str(again.episodes) == f"0 created, 0 updated, {held} unchanged, 2 rejected"
    assert Episode.objects.count() == held


def twice_and_who(chunk: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), [n * 2 for n in chunk]


def test_each_chunk_is_written_by_a_process_of_its_own_and_told_in_order():
    needs_postgresql()
    chunks = [[n, n + 100] for n in range(7)]
    rows: list[int] = []

    results = share_out(chunks, 3, twice_and_who, rows.append)

    assert [doubled for _, doubled in results] == [[n * 2, (n + 100) * 2] for n in range(7)]
    processes = {pid for pid, _ in results}
    assert len(processes) == 3
    assert os.getpid() not in processes
    # Dealt in turn: the first, fourth and seventh chunks to one process.
    assert results[0][0] == results[3][0] == results[6][0]
    assert rows == [2] * 7
    assert Episode.objects.count() == 0  # and the parent's connection works again


def fails_on_three(chunk: list[int]) -> list[int]:
    if 3 in chunk:
        raise ValueError("chunk three cannot be written")
    return chunk


def test_a_process_that_fails_stops_the_import_once_the_others_have_finished():
    needs_postgresql()
    with pytest.raises(WorkersStopped) as stopped:
        share_out([[n] for n in range(8)], 2, fails_on_three)

    message = str(stopped.value)
    # Process 2 has chunks 1, 3, 5, 7: it stops at 3; process 1 writes all of its four.
    assert "process 2 of 2 stopped: ValueError: chunk three cannot be written" in message
    assert "5 of the 8 chunks of episode rows were imported whole" in message
    assert "run the same import again" in message


def test_one_process_where_processes_cannot_share():
    postgresql = connection.vendor == "postgresql"
    assert can_share_out(2, 5) is postgresql  # SQLite: one writer at a time
    assert not can_share_out(1, 5)
    assert not can_share_out(2, 1)
    with transaction.atomic():  # a dry run, or a caller's transaction
        assert not can_share_out(2, 5)


def test_a_dry_run_with_workers_runs_in_one_process_and_writes_nothing(tmp_path):
    children, episodes = more_children(tmp_path)

    report = import_tracker(children=children, episodes=episodes, dry_run=True, workers=2)

    assert str(report.episodes) == "24 created, 0 updated, 0 unchanged, 2 rejected"
    assert Episode.objects.count() == 0


def test_workers_out_of_range_are_refused_with_the_range(tmp_path):
    _children, episodes = more_children(tmp_path)
    for workers in ("0", "17"):
        with pytest.raises(CommandError, match="Give --workers from 1 to 16"):
            call_command("import_tracker", "--episodes", str(episodes), "--workers", workers)
    assert Episode.objects.count() == 0


def test_workers_on_sqlite_are_refused_saying_why(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL takes several writers")
    children, episodes = more_children(tmp_path)
    with pytest.raises(CommandError, match=r"takes one writer at a time\. Give --workers 1"):
        call_command(
            "import_tracker",
            "--children",
            str(children),
            "--episodes",
            str(episodes),
            "--workers",
            "2",
            stdout=StringIO(),
        )
    assert Episode.objects.count() == 0


def test_police_notifications_with_workers_link_children_written_by_other_processes(tmp_path):
    """Each child's rows in a chunk of their own (--chunk-rows 1), so that Dee's episode,
    which names Eve, is written by one process while Eve's is written by the other."""
    needs_postgresql()
    columns = ["child_ref", "first_name", "last_name", "date_of_birth", "gender"]
    columns += [EPISODE_COLUMNS[0], *EPISODE_COLUMNS[2:]]
    path = write_csv(
        tmp_path / "police.csv",
        columns,
        [
            {
                **child_row("N-1", first_name="Dee", last_name="Ray"),
                **episode_row("PN-1", "N-1", police_risk="high", with_children="N-2"),
            },
            {
                **child_row("N-2", first_name="Eve", last_name="Ray"),
                **episode_row("PN-2", "N-2", police_risk="high", with_children="N-1"),
            },
            {**child_row("N-3", gender="femal"), **episode_row("PN-4", "N-3")},
            {**child_row("N-4", first_name="Fay"), **episode_row("PN-5", "N-4")},
        ],
    )
    out = StringIO()
    call_command(
        "import_police_notifications", str(path), "--workers", "2", "--chunk-rows", "1", stdout=out
    )

    assert "Children: 3 created, 0 updated, 0 unchanged, 1 rejected" in out.getvalue()
    assert "Episodes: 3 created, 0 updated, 0 unchanged, 1 rejected" in out.getvalue()
    dee = Episode.objects.get(police_reference="PN-1")
    assert dee.with_children.get().first_name == "Eve"
    eve = Episode.objects.get(police_reference="PN-2")
    assert eve.with_children.get().first_name == "Dee"
    (row,) = read_csv(tmp_path / "police.rejects.csv")
    assert row["child_ref"] == "N-3"
    assert 'gender: "femal" is not one of' in row["reasons"]


def test_children_missing_together_are_one_group_however_they_are_linked():
    rows = [
        ("A", ()),
        ("B", ("C",)),  # B and C missing together
        ("D", ()),
        ("E", ("C", "F")),  # E with C: so B, C, E and F are one group, named by B
        ("A", ("A",)),  # naming oneself links no one
        ("G", ("H",)),
        ("H", ("D",)),  # H with D: D, G and H are one group, named by D (seen first)
    ]

    groups = missing_together(rows)

    assert groups == {
        "A": "A",
        "B": "B",
        "C": "B",
        "D": "D",
        "E": "B",
        "F": "B",
        "G": "D",
        "H": "D",
    }


@pytest.fixture
def refuse_child_k9():
    """The database refuses child K-9 (a trigger): its row is rejected only when written,
    in the last chunk of child rows, after the processes have started on the episodes."""
    needs_postgresql()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_k9() RETURNS trigger AS $$ BEGIN "
            "IF NEW.last_name = 'Test-K-9' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_k9 BEFORE INSERT ON people_child "
            "FOR EACH ROW EXECUTE FUNCTION refuse_k9()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER refuse_k9 ON people_child")
        cursor.execute("DROP FUNCTION refuse_k9()")


def test_an_episode_waits_for_its_childs_row_written_meanwhile_and_is_told_if_it_failed(
    tmp_path, refuse_child_k9
):
    """The episode rows are written while the child rows are: each chunk of them after
    the chunk of child rows that settles its children. The last children's episodes come
    first in the file, so they wait; K-9's row fails when written, and its episode is
    rejected saying so, as with one process."""
    needs_postgresql()
    children, episodes = files(
        tmp_path,
        [child_row(f"K-{n}", date_of_birth=f"2011-0{1 + n % 9}-1{n}") for n in range(10)],
        [episode_row(f"KE-{n}", f"K-{n}") for n in reversed(range(10))],
    )

    with transaction.atomic():
        in_one = look(children, episodes, workers=1, chunk_rows=2)
        transaction.set_rollback(True)
    in_two = look(children, episodes, workers=2, chunk_rows=2)

    _left, said, rejects = in_one
    # PostgreSQL's message names the record it refused, whose id differs between runs.
    for _, lines, _ in (in_one, in_two):
        lines[:] = [_REFUSED.sub("(refused by the test)", line) for line in lines]
    assert "Children: 9 created, 0 updated, 0 unchanged, 1 rejected" in said
    assert "Episodes: 9 created, 0 updated, 0 unchanged, 1 rejected" in said
    (rejected,) = rejects
    assert rejected["episode_ref"] == "KE-9"
    assert "its child row (children.csv line 11) was rejected" in rejected["reasons"]
    assert in_two == in_one


_HEARD: list[str] = []  # in each process, the news it has heard


def what_was_heard(chunk: list[int]) -> list[str]:
    return list(_HEARD)


def test_a_chunk_is_written_once_the_news_it_waits_for_is_told():
    needs_postgresql()

    def meanwhile(tell):
        time.sleep(0.3)  # the processes are ready before any news
        tell("first")
        time.sleep(0.3)
        tell("second")

    heard = share_out(
        [[n] for n in range(6)],
        2,
        what_was_heard,
        meanwhile=meanwhile,
        after=[0, 0, 1, 1, 2, 2],
        hear=_HEARD.append,
    )

    assert heard[2][:1] == heard[3][:1] == ["first"]
    assert heard[4] == heard[5] == ["first", "second"]
    assert _HEARD == []  # heard in the processes, not here


def test_the_results_are_read_while_the_parent_is_busy():
    """A process never waits to send while the parent does its own work (its pipe would
    fill): the results are taken as they come."""
    needs_postgresql()
    rows: list[int] = []

    def meanwhile(tell):
        deadline = time.monotonic() + 60
        while len(rows) < 6:
            assert time.monotonic() < deadline, "no result read while the parent was busy"
            time.sleep(0.01)

    share_out([[n] for n in range(6)], 2, twice_and_who, rows.append, meanwhile=meanwhile)

    assert rows == [1] * 6
