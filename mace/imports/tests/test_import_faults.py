"""An import killed half-way, or whose database connection drops, leaves nothing
half-written and can simply be run again (issue 8). Real processes, really killed.

The import writes its rows a chunk at a time, each chunk in one transaction; these tests
use small chunks (CHUNK) so that the import is caught half-way, and check that what landed
is whole chunks of whole rows."""

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .test_import_tracker import CHILD_COLUMNS, EPISODE_COLUMNS, child_row, episode_row

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
ROWS = 300
KILL_AFTER = 20  # children imported
CHUNK = 10  # rows a transaction


@dataclass
class Database:
    env: dict[str, str]
    query: Callable[[str], int]  # one number from SQL


ENV = {**os.environ, "DEBUG": "1", "SECRET_KEY": "tests-only-not-secret"}


@pytest.fixture(scope="module")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite file, migrated once for the module (about 18 s on the CI machine); each
    test works on a copy of it."""
    path = tmp_path_factory.mktemp("migrated") / "mace.sqlite3"
    env = {**ENV, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return path


@pytest.fixture
def database(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database the test and a separate `manage.py` process both reach: the test database
    itself on PostgreSQL; on SQLite (in memory for the suite) a migrated file of its own."""
    env = dict(ENV)
    if connection.vendor == "postgresql":
        db = settings.DATABASES["default"]
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        )

        def query(sql: str) -> int:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return int(cursor.fetchone()[0])

        yield Database(env, query)
    else:
        path = tmp_path / "mace.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def query(sql: str) -> int:
            db = sqlite3.connect(path, timeout=20)
            try:
                return int(db.execute(sql).fetchone()[0])
            finally:
                db.close()

        yield Database(env, query)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    children = tmp_path / "children.csv"
    episodes = tmp_path / "episodes.csv"
    for path, columns, rows in [
        (children, CHILD_COLUMNS, [child_row(f"K-{n}") for n in range(ROWS)]),
        (episodes, EPISODE_COLUMNS, [episode_row(f"KP-{n}", f"K-{n}") for n in range(ROWS)]),
    ]:
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return children, episodes


def start_import(
    database: Database, files: tuple[Path, Path], *options: str
) -> subprocess.Popen[str]:
    children, episodes = files
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "import_tracker",
            "--children",
            str(children),
            "--episodes",
            str(episodes),
            "--quiet",
            "--chunk-rows",
            str(CHUNK),
            *options,
        ],
        cwd=ROOT,
        env=database.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_import(database: Database, files: tuple[Path, Path]) -> str:
    done = start_import(database, files)
    out, err = done.communicate(timeout=600)
    assert done.returncode == 0, err
    return out


def wait_for_rows(
    database: Database, process: subprocess.Popen[str], table: str, count: int
) -> int:
    """Wait until the import has written `count` rows of `table` (committed)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        n = database.query(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (our own names)
        if n >= count:
            return n
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError("the import made no progress")


def wait_for_children(database: Database, process: subprocess.Popen[str], count: int) -> int:
    return wait_for_rows(database, process, "people_child", count)


def assert_nothing_half_written(database: Database) -> None:
    """Each imported child has its tracker identifier and legal status; each episode its
    child's due items were brought in step in the same transaction (so it has some)."""
    assert (
        database.query(
            "SELECT COUNT(*) FROM people_child c WHERE NOT EXISTS (SELECT 1 FROM "
            "people_childidentifier i WHERE i.child_id = c.id)"
        )
        == 0
    )
    assert (
        database.query(
            "SELECT COUNT(*) FROM people_child c WHERE NOT EXISTS (SELECT 1 FROM "
            "people_legalstatus s WHERE s.child_id = c.id)"
        )
        == 0
    )


def assert_finished_by_running_again(database: Database, files: tuple[Path, Path], done: int):
    output = run_import(database, files)
    assert f"Children: {ROWS - done} created, 0 updated, {done} unchanged, 0 rejected" in output
    assert f"Episodes: {ROWS} created, 0 updated, 0 unchanged, 0 rejected" in output
    assert database.query("SELECT COUNT(*) FROM people_child") == ROWS
    assert database.query("SELECT COUNT(*) FROM episodes_episode") == ROWS
    again = run_import(database, files)
    assert f"Children: 0 created, 0 updated, {ROWS} unchanged, 0 rejected" in again
    assert f"Episodes: 0 created, 0 updated, {ROWS} unchanged, 0 rejected" in again


def test_an_import_killed_half_way_leaves_nothing_half_written(database, files):
    process = start_import(database, files)
    wait_for_children(database, process, KILL_AFTER)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    done = database.query("SELECT COUNT(*) FROM people_child")
    assert KILL_AFTER <= done < ROWS  # it really stopped half-way
    assert done % CHUNK == 0  # whole chunks landed
    assert database.query("SELECT COUNT(*) FROM episodes_episode") == 0
    assert_nothing_half_written(database)
    assert_finished_by_running_again(database, files, done)


def _drop_the_imports_connection() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _allow_connections(allowed: bool) -> None:
    """Open or close the test database to new connections, from the server's own database."""
    import psycopg

    db = settings.DATABASES["default"]
    name = connection.ops.quote_name(db["NAME"])
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {str(allowed).lower()}")


def test_a_dropped_connection_is_taken_up_again_and_the_import_finishes(database, files):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no connection to drop: it is a file in the same process")
    process = start_import(database, files)
    wait_for_children(database, process, KILL_AFTER)
    _drop_the_imports_connection()
    out, err = process.communicate(timeout=600)

    assert process.returncode == 0, err
    rejects = files[0].parent / "children.rejects.csv"
    assert not rejects.exists(), rejects.read_text()  # no row blamed for the dropped connection
    assert f"Children: {ROWS} created, 0 updated, 0 unchanged, 0 rejected" in out
    assert f"Episodes: {ROWS} created, 0 updated, 0 unchanged, 0 rejected" in out
    assert_nothing_half_written(database)


def test_an_import_stops_cleanly_when_the_database_stays_away(database, files):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no connection to drop: it is a file in the same process")
    process = start_import(database, files)
    wait_for_children(database, process, KILL_AFTER)
    _allow_connections(False)
    try:
        _drop_the_imports_connection()
        _out, err = process.communicate(timeout=120)
    finally:
        _allow_connections(True)

    assert process.returncode == 1
    assert "run the same import again" in err
    done = database.query("SELECT COUNT(*) FROM people_child")
    assert done < ROWS
    assert done % CHUNK == 0  # the chunks before landed whole; nothing of the rest
    assert database.query("SELECT COUNT(*) FROM episodes_episode") == 0
    assert not (files[0].parent / "children.rejects.csv").exists()
    assert_nothing_half_written(database)
    assert_finished_by_running_again(database, files, done)


def processes_started_by(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def start_with_two_workers_writing(
    database: Database, files: tuple[Path, Path]
) -> tuple[subprocess.Popen[str], list[int]]:
    """An import with --workers 2, once a chunk of episodes has landed: it and its two
    processes."""
    process = start_import(database, files, "--workers", "2")
    wait_for_rows(database, process, "episodes_episode", CHUNK)
    workers = processes_started_by(process.pid)
    assert len(workers) == 2
    return process, workers


def test_an_import_process_killed_half_way_stops_the_import_saying_to_run_it_again(database, files):
    """With --workers 2 the episode rows are written by two processes (imports.workers):
    one of them killed leaves whole chunks, the other finishes, and the import stops."""
    if connection.vendor != "postgresql":
        pytest.skip("several processes write at once on PostgreSQL only")
    process, workers = start_with_two_workers_writing(database, files)
    os.kill(workers[0], signal.SIGKILL)
    _out, err = process.communicate(timeout=600)

    assert process.returncode == 1
    assert "stopped (killed by signal SIGKILL)" in err
    assert "run the same import again" in err
    done = database.query("SELECT COUNT(*) FROM episodes_episode")
    assert CHUNK <= done < ROWS  # the other process finished its chunks; not all landed
    assert done % CHUNK == 0  # whole chunks (a child's episode a row, CHUNK rows a chunk)
    assert database.query("SELECT COUNT(*) FROM people_child") == ROWS
    assert (
        database.query(
            "SELECT COUNT(*) FROM episodes_episode e WHERE NOT EXISTS (SELECT 1 FROM "
            "worklist_dueitem d WHERE d.episode_id = e.id)"
        )
        == 0
    )  # each episode landed with its child's worklist brought in step
    output = run_import(database, files)
    assert f"Children: 0 created, 0 updated, {ROWS} unchanged, 0 rejected" in output
    assert f"Episodes: {ROWS - done} created, 0 updated, {done} unchanged, 0 rejected" in output
    assert database.query("SELECT COUNT(*) FROM episodes_episode") == ROWS


def has_ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True  # gone
    return state in ("Z", "X")  # dead, not yet reaped


def test_an_import_with_workers_killed_half_way_takes_its_processes_with_it(database, files):
    if connection.vendor != "postgresql":
        pytest.skip("several processes write at once on PostgreSQL only")
    process, workers = start_with_two_workers_writing(database, files)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    deadline = time.monotonic() + 30
    while not all(has_ended(pid) for pid in workers):
        assert time.monotonic() < deadline, "the import's processes went on without it"
        time.sleep(0.05)
    done = database.query("SELECT COUNT(*) FROM episodes_episode")
    assert CHUNK <= done < ROWS
    assert done % CHUNK == 0  # whole chunks
    time.sleep(0.5)
    assert database.query("SELECT COUNT(*) FROM episodes_episode") == done  # nothing after
    output = run_import(database, files)
    assert f"Episodes: {ROWS - done} created, 0 updated, {done} unchanged, 0 rejected" in output
