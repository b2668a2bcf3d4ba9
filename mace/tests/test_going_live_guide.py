"""docs/going-live.md, run as written on a fresh database (issue 18 point 9): a SQLite file
in the SQLite suite, a PostgreSQL database in the PostgreSQL suite (GOING_LIVE_BOTH=1 for
both in one run); then what its steps promise, checked on the result: every tracker row
accounted for and every interview recorded, no notification or email for the history, the
SSDA903 Missing table holding every looked-after episode of the year and accepted by the
DfE's validator, the near duplicates on the review list, every page the guide names
answering with the heading it gives, and the first weekly meeting's agenda built.

The blocks' times are printed (`pytest -s`) for docs/performance.md."""

import csv
import datetime
import os
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from mace.returns.tests.test_ssda903 import validate
from mace.tests.going_live_check import GUIDE, blocks, pages, read_facts, run_guide

FIRST_COMMAND = {
    "migrate": "migrate",
    "import": "import_tracker",
    "checks": "run_scheduled_checks",
    "export": "export_ssda903",
}


def _postgres_server() -> str:
    """The server the suite's database is on, or GOING_LIVE_PG, or the loopback one."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        user, host = database["USER"] or "postgres", database["HOST"] or "127.0.0.1"
        return f"postgres://{user}@{host}:{database['PORT'] or 5432}"
    return os.environ.get("GOING_LIVE_PG", "postgres://postgres@127.0.0.1:5432")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, tmp_path):
    """A fresh database of the suite's kind: each of CI's two suites runs the guide once (a
    run is about a minute of CPU), on SQLite and on PostgreSQL. GOING_LIVE_BOTH=1 runs both."""
    suite = (
        "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"
    )
    if request.param != suite and os.environ.get("GOING_LIVE_BOTH") != "1":
        pytest.skip(f"the {request.param} suite runs it (or set GOING_LIVE_BOTH=1)")
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mace.sqlite3'}"
        return
    server = _postgres_server()
    name = f"going_live_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server at {server} (set GOING_LIVE_PG): {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _collection_year(today: datetime.date) -> int:
    """The year of `date -d '3 months ago' +%Y`: that of the last year ended 31 March."""
    return today.year if today.month > 3 else today.year - 1


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.reader(source))


def _iso(day: str) -> str:
    return datetime.datetime.strptime(day, "%d/%m/%Y").date().isoformat()


def test_blocks_only_a_server_runs_are_marked_and_pages_are_named_with_their_headings():
    markdown = "\n".join(
        [
            "Install:",
            "<!-- server -->",
            "```sh",
            "make install",
            "```",
            "Then `/settings/` “The partnership's settings”, and `/reports/` (no heading).",
            "Again `/settings/` “The partnership's",
            "settings”; then `/settings/` “Settings”.",
            "```sh",
            ".venv/bin/python manage.py migrate",
            "```",
            "```sh",
            "echo '*/5 * * * * run' | crontab -",
            "```",
        ]
    )
    found = blocks(markdown)
    assert [(b.line, b.text, b.server_only) for b in found] == [
        (3, "make install", True),
        (9, ".venv/bin/python manage.py migrate", False),
        (12, "echo '*/5 * * * * run' | crontab -", True),
    ]
    assert pages(markdown) == [
        ("/settings/", "The partnership's settings"),
        ("/settings/", "Settings"),
    ]


def test_the_guide_leaves_to_a_server_only_what_needs_one():
    found = blocks(GUIDE.read_text(encoding="utf-8"))
    run = "\n".join(b.text for b in found if not b.server_only)
    for command in ("migrate", "create_administrator", "demo_tracker", "import_tracker"):
        assert f"manage.py {command}" in run
    for command in ("run_scheduled_checks", "export_ssda903", "report annual"):
        assert f"manage.py {command}" in run
    for block in found:
        if "DATABASE_URL" in block.text or "make install" in block.text:
            assert block.server_only, block.line


def test_the_guide_runs_on_a_fresh_database_and_does_what_it_says(fresh_database, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    markdown = GUIDE.read_text(encoding="utf-8")
    to_run = [block for block in blocks(markdown) if not block.server_only]

    ran = run_guide(markdown, database_url=fresh_database, home=home)

    for done in ran:
        assert done.returncode == 0, f"docs/going-live.md line {done.block.line}:\n{done.stderr}"
    assert [done.block for done in ran] == to_run
    engine = fresh_database.split(":", 1)[0]
    for name, command in FIRST_COMMAND.items():
        done = next(d for d in ran if command in d.block.text and "--dry-run" not in d.block.text)
        print(f"going-live {engine} {name}: {done.seconds:.1f} s ({done.cpu_seconds:.1f} s CPU)")
    facts = read_facts(database_url=fresh_database, home=home)
    tracker, held = facts["tracker"], facts["held"]
    print(f"going-live {engine} tracker: {tracker}")

    # Steps 9-10: every row accounted for, every interview recorded.
    imported = next(d.stdout for d in ran if d.block.text.endswith("--as admin"))
    assert f"Children: {tracker['children']} created, 0 updated, 0 unchanged, 0 rejected" in (
        imported
    )
    assert f"Episodes: {tracker['episodes']} created, 0 updated, 0 unchanged, 0 rejected" in (
        imported
    )
    assert tracker["rejects"] == []
    assert (held["children"], held["episodes"]) == (tracker["children"], tracker["episodes"])
    assert held["interviews"] == tracker["interviews"]

    # Step 11: the history tells no one; the child still missing has live items.
    assert facts["notifications"] == 0
    assert facts["emails"] == 0
    assert facts["due_items"]["historical"] > 0
    assert len(facts["still_missing"]) == 1
    assert facts["open_items_of_the_still_missing"] > 0

    # Step 12: both children entered twice are on the review list, and nothing else.
    assert len(facts["twins"]) == 2
    assert facts["reviews"] == facts["twins"]

    # Step 13: every looked-after episode of the year, with its Header row, and the DfE's
    # validator finds no error.
    year = _collection_year(datetime.date.today())  # as `date` in the guide reckons it
    first, last = datetime.date(year - 1, 4, 1).isoformat(), datetime.date(year, 3, 31).isoformat()
    expected = sorted(
        (child, day) for child, day in facts["looked_after_episodes"] if first <= day <= last
    )
    folder = home / "go-live" / "ssda903"
    missing = _read(folder / "missing.csv")
    assert expected
    assert sorted((row[0], _iso(row[3])) for row in missing[1:]) == expected
    assert {row[0] for row in _read(folder / "header.csv")[1:]} == {child for child, _ in expected}
    assert validate(folder, year)["errors"] == {}
    print(  # the figures of docs/performance.md
        f"going-live {engine}: {len(expected)} Missing rows for {year - 1}-{year % 100:02d}, "
        f"due items {facts['due_items']}"
    )

    # Step 14: the annual report was written.
    assert len(_read(home / "go-live" / "annual.csv")) > 1

    # Every page the guide names answers with the heading the guide gives it.
    named = pages(markdown)
    assert len({path for path, _ in named}) >= 19
    for path, heading in named:
        seen = facts["pages"][path]
        assert seen["heading"].startswith(heading), (path, heading, seen)

    # Step 14: the first weekly meeting's agenda holds the child still missing.
    agenda = facts["agenda"]
    assert agenda["status"] == 200
    assert agenda["heading"].startswith(
        datetime.date.fromisoformat(agenda["day"]).strftime("%A %-d %B %Y")
    )
    assert agenda["children"] >= len(agenda["references"]) >= 1
    assert set(facts["still_missing"]) <= set(agenda["references"])
