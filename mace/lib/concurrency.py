"""Optimistic locking: an edit carries the version it started from (SPEC: nothing lost)."""

from typing import TypeVar

from django.db import models

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
