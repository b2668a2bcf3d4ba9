"""Optimistic locking: an edit carries the version it started from (SPEC: nothing lost);
and `only_one`, for a job that must not run twice at once (the scheduled checks)."""

import contextlib
import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


class EditConflict(Exception):
    """Someone else saved the record after this edit began; nothing was overwritten."""


def lock_for_edit(instance: M, expected_version: int, noun: str) -> M:
    """The row, locked for this transaction, if nobody has saved it since the edit began.

    The model needs a `version` field; the caller increments it when it saves.
    """
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if locked.version != expected_version:  # type: ignore[attr-defined]
        raise EditConflict(
            f"Someone else saved this {noun} while you were editing it. "
            "Your changes have not been saved: look at their changes, then make yours again."
        )
    return locked


@contextlib.contextmanager
def only_one(name: str) -> Iterator[bool]:
    """Whether this process may run the job `name` now: True while no other process runs it
    (and none may start it until this one is done), False at once, without waiting, when
    another does. On PostgreSQL a session advisory lock, which every machine using the
    database sees and which goes with the connection if the process dies; on SQLite, one
    machine's database, an exclusive lock on a file beside the database, which goes with
    the process."""
    if connection.vendor == "postgresql":
        key = advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    with lock_file(name).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_file(name: str) -> Path:
    """The file `only_one` locks on SQLite: beside the database file, or, for a database in
    memory (the tests'), in the temporary directory."""
    database = str(connection.settings_dict["NAME"])
    if database and ":memory:" not in database and "mode=memory" not in database:
        return Path(f"{database}.{name}.lock")
    return Path(tempfile.gettempdir()) / f"mace-{name}.lock"


def advisory_key(name: str) -> int:
    """The PostgreSQL advisory lock's key for a job's name (a signed 64-bit number)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
