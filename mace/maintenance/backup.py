"""Backing up and restoring the whole database (issue 8), with each engine's own tools:
PostgreSQL's pg_dump and pg_restore (custom format, one transaction), and SQLite's online
backup API. A restore checks the file before it touches anything, and either replaces every
table or, on any failure, leaves the database as it was.
"""

import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, with argument lists only
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    engine: str
    behind: list[str]  # migrations the code has that the backup had not applied


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups are for PostgreSQL and SQLite; this database is {vendor}.")
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for the PostgreSQL tools; the password goes in the environment."""
    settings = connection.settings_dict
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client tools "
            "(Debian: apt install postgresql-client) matching the server's version."
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup(out: Path) -> int:
    """Write the whole database to `out` (replacing it only when complete); its size."""
    engine = _engine()
    out = out.resolve()
    if not out.parent.is_dir():
        raise BackupError(
            f"{out.parent} is not a folder. Give --out a path in a folder that exists."
        )
    partial = Path(tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")[1])
    try:
        if engine == "postgresql":
            args, env = _pg_env()
            _run(
                [
                    _tool("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(partial),
                ],
                env,
            )
        else:
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        partial.replace(out)  # a reader never sees half a backup
    finally:
        partial.unlink(missing_ok=True)
    return out.stat().st_size


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _check_migrations(applied: set[tuple[str, str]]) -> list[str]:
    if not applied:
        raise BackupError(
            "This file holds no MACE database: it has no migrations table. Nothing was changed."
        )
    known = _known_migrations()
    unknown = sorted(applied - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"The backup was made by a newer version of MACE (it has {names}). Restore it with "
            "that version or later. Nothing was changed."
        )
    return sorted(f"{app}.{name}" for app, name in known - applied)


def _sqlite_migrations(path: Path) -> set[tuple[str, str]]:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(
                    f"{path.name} is damaged (SQLite integrity check failed). Nothing was changed."
                )
            rows = source.execute("SELECT app, name FROM django_migrations").fetchall()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{path.name} is not a MACE SQLite backup ({exc}). Nothing was changed."
        ) from exc
    return {(app, name) for app, name in rows}


def _pg_migrations(path: Path, env: dict[str, str]) -> set[tuple[str, str]]:
    """Read the backup's migrations table without restoring it anywhere."""
    listed = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--list", str(path)], env=env, capture_output=True, text=True
    )
    if listed.returncode != 0:
        raise BackupError(
            f"{path.name} is not a PostgreSQL backup made by `manage.py backup` "
            f"({listed.stderr.strip()[-300:]}). Nothing was changed."
        )
    data = subprocess.run(  # noqa: S603
        [_tool("pg_restore"), "--data-only", "--table=django_migrations", "--file=-", str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    rows: set[tuple[str, str]] = set()
    copying = False
    for line in data.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
            continue
        if copying:
            if line == "\\.":
                break
            fields = line.split("\t")
            rows.add((fields[1], fields[2]))
    return rows


def restore(path: Path) -> Restored:
    """Replace every table with the backup's. Checked first; all or nothing."""
    engine = _engine()
    if not path.is_file():
        raise BackupError(f"{path} does not exist. Give the path of a file made by `backup`.")
    if engine == "postgresql":
        args, env = _pg_env()
        behind = _check_migrations(_pg_migrations(path, env))
        connection.close()
        _run(
            [
                _tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            env,
        )
    else:
        behind = _check_migrations(_sqlite_migrations(path))
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)  # one step: the pages are copied whole
        finally:
            source.close()
    connection.close()
    return Restored(engine=engine, behind=behind)
