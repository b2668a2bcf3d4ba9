"""One open episode a child, at import (issue 18 point 7): a new episode row with no return,
for a child MACE holds as missing already (or whom an earlier row of this run reported
missing with no return), is rejected, naming the episode already open.

A held episode that a row of this run gives a return (`closed_in`) is not counted as open,
wherever that row comes in the file: the tracker's rows are in no set order, and the run
leaves the child with one open episode. (This is why the database does not hold the rule
with a unique index: within a run, a child may have two open episodes for a few rows.)
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
        held_open = Episode.objects.filter(child_id=episode.child_id, returned_at__isnull=True)
        open_episode = next(
            (
                other
                for other in held_open.order_by("last_seen_at", "pk")
                if other.police_reference not in closed
            ),
            None,
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
        raise RowRejected(
            [
                f'returned_at: "" is empty, and child_ref {quoted(child_ref)} is already '
                f"missing: {named} has no return either. A child has one open episode at a "
                "time: give returned_at for one of them"
            ]
        ) from None
