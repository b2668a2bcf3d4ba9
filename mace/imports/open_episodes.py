"""One open episode a child, at import (issue 18 point 7): a new episode row with no return,
for a child MACE holds as missing already (or whom an earlier row of this run reported
missing with no return), is rejected, naming the episode already open.

The database holds the rule too (the partial unique index `one_open_episode_per_child`,
episodes migration 0003), so a held episode that only a later row of this run gives a return
(`closed_in`) still counts as open when the new row comes: that row is rejected, saying so.
Run the same files again and it is accepted, the return being held by then. (The rows
written before it are written at once, so a return given by an earlier row is held already.)
"""

from collections.abc import Collection, Iterable

from django.db.models import Model

from mace.episodes import domain as episodes_domain
from mace.episodes.models import Episode
from mace.imports.rows import EpisodeRow, RowRejected
from mace.lib.quoting import quoted


def closed_in(rows: Iterable[EpisodeRow]) -> set[str]:
    """The episode_refs this run's rows give a return."""
    return {row.episode_ref for row in rows if row.returned_at is not None}


def refuse_second_open(
    episode: Episode, child_ref: str, staged: Iterable[Model], closed: Collection[str]
) -> None:
    """Reject the row of the new `episode` if its child has another open one: held (and
    not given a return by a row of this run, `closed`), or `staged` by this run's earlier
    rows and not yet inserted."""
    if episode.returned_at is not None:
        return
    open_episode = next(
        (
            other
            for other in staged
            if isinstance(other, Episode)
            and other is not episode
            and other.child_id == episode.child_id
            and other.is_open
        ),
        None,
    )
    if open_episode is None:
        open_episode = (
            Episode.objects.filter(child_id=episode.child_id, returned_at__isnull=True)
            .order_by("last_seen_at", "pk")
            .first()
        )
    try:
        episodes_domain.refuse_second_open(episode, open_episode)
    except episodes_domain.AlreadyMissing as refused:
        held = refused.open_episode
        named = (
            f"episode {quoted(held.police_reference)}"
            if held.police_reference
            else f"episode {held.public_id} (reported in MACE)"
        )
        if held.pk is not None and held.police_reference in closed:
            raise RowRejected(
                [
                    f'returned_at: "" is empty, and child_ref {quoted(child_ref)} is still '
                    f"missing in MACE: {named} has no return yet; a later row of this file "
                    "gives it one. A child has one open episode at a time: import the same "
                    "files again and this row is accepted (that return is held by then), or "
                    "put the row with the return before this one"
                ]
            ) from None
        raise RowRejected(
            [
                f'returned_at: "" is empty, and child_ref {quoted(child_ref)} is already '
                f"missing: {named} has no return either. A child has one open episode at a "
                "time: give returned_at for one of them"
            ]
        ) from None
