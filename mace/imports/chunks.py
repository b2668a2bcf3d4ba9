"""The chunk machinery: rows written a chunk at a time, staged rows inserted a table at a
time, and the facts a chunk's rows read (see Importer.run_chunk)."""

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    connection,
    models,
)

from mace.audit.services import AuditRow
from mace.episodes.models import (
    Episode,
    RiskGrading,
)
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.lib.bulk import insert_new
from mace.lib.days import in_force_on
from mace.people import domain as people_domain
from mace.people.models import (
    Child,
    ChildIdentifier,
    DuplicateReview,
    Involvement,
    LegalStatus,
    Placement,
)
from mace.worklist.engine import Written

_Item = TypeVar("_Item")


def connection_works() -> bool:
    """After a database error: is the connection still good? If not, drop it so the next
    query connects afresh (Django reconnects on demand)."""
    try:
        connection.ensure_connection()
        if connection.is_usable():
            return True
    except DatabaseError:
        pass
    try:
        connection.close()
    except DatabaseError:
        connection.connection = None
    return False


def chunks_of(items: Sequence[_Item], size: int = 500) -> Iterator[Sequence[_Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validation_reasons(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


# Rows written in one transaction (see Importer.run_chunk).
CHUNK_ROWS = 500


def missing_together(pairs: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Each child_ref of episode rows (a row's child, and the children it names in
    with_children) mapped to the first ref of the children linked to it through the rows,
    directly or by way of others: children missing together share records (the
    missing-together link, dated by their first episode together) and read one another's
    episodes, so their rows are written together, in one chunk (Importer.chunks)."""
    first: dict[str, str] = {}

    def root(ref: str) -> str:
        first.setdefault(ref, ref)
        while first[ref] != ref:
            first[ref] = first[first[ref]]
            ref = first[ref]
        return ref

    order: dict[str, int] = {}
    for child_ref, companions in pairs:
        for ref in (child_ref, *companions):
            order.setdefault(ref, len(order))
            one, other = root(child_ref), root(ref)
            if one != other:
                # The one first seen stays the group's name.
                keep, drop = sorted((one, other), key=order.__getitem__)
                first[drop] = keep
    return {ref: root(ref) for ref in first}


def complete_after(event: AuditRow, after: Callable[[], dict[str, Any]]) -> None:
    event.after = after()


# What a staged row may create, in the order they are inserted (their foreign keys).
STAGED_MODELS: tuple[type[models.Model], ...] = (
    Child,
    ChildIdentifier,
    LegalStatus,
    DuplicateReview,
    Placement,
    Episode,
    RiskGrading,
    ReturnInterview,
    InterviewOffer,
    Involvement,
)


@dataclass
class Staged:
    """New records of staged rows, inserted a table at a time (bulk_create), in the order
    of STAGED_MODELS; then the completions run (audit events' `after` that hold ids)."""

    records: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: {model: [] for model in STAGED_MODELS}
    )
    completions: list[Callable[[], None]] = field(default_factory=list)

    def add(self, instance: models.Model) -> None:
        self.records[type(instance)].append(instance)

    def holds(self, instance: models.Model) -> bool:
        return any(record is instance for record in self.records[type(instance)])

    def take(self, other: "Staged") -> None:
        for model, records in other.records.items():
            self.records[model].extend(records)
        self.completions.extend(other.completions)

    def insert(self) -> None:
        for model, records in self.records.items():
            if records and model is Child:
                people_domain.save_new_children(records)  # type: ignore[arg-type]
            elif records:
                insert_new(model, records)  # COPY on PostgreSQL
        for complete in self.completions:
            complete()


@dataclass
class ChunkFacts:
    """What staged rows read, for the children of a chunk of episode rows: placements (an
    episodes file changes none), the times of their episodes and the providers that see
    them (which rows add to). Loaded together; a child another row has written to since
    is read again."""

    placements: dict[int, list[Placement]] = field(default_factory=dict)
    times: dict[int, list[datetime.datetime]] = field(default_factory=dict)
    providers: dict[int, set[int]] = field(default_factory=dict)
    # What the staged rows wrote, for bringing their children in step at the chunk's end
    # without reading it back (worklist.engine.Written).
    written: Written = field(default_factory=Written)

    @classmethod
    def load(cls, child_ids: Iterable[int]) -> "ChunkFacts":
        facts = cls()
        for chunk in chunks_of(sorted(set(child_ids))):
            facts._load(chunk)
        return facts

    def _load(self, child_ids: Sequence[int]) -> None:
        for pk in child_ids:
            self.placements[pk] = []
            self.times[pk] = []
            self.providers[pk] = set()
        held = Placement.objects.filter(child_id__in=child_ids).select_related("placing_authority")
        for placement in held:
            self.placements[placement.child_id].append(placement)
        episodes = Episode.objects.filter(child_id__in=child_ids)
        for child_id, last_seen_at in episodes.values_list("child_id", "last_seen_at"):
            self.times[child_id].append(last_seen_at)
        involvements = Involvement.objects.filter(
            child_id__in=child_ids,
            kind=Involvement.Kind.RHI_PROVIDER,
            user__isnull=True,
            end_date__isnull=True,
            agency__isnull=False,
        )
        for child_id, agency_id in involvements.values_list("child_id", "agency_id"):
            self.providers[child_id].add(agency_id)

    def forget(self, child_id: int) -> None:
        self.times.pop(child_id, None)
        self.providers.pop(child_id, None)
        self.written.forget(child_id)

    def placement_on(self, child_id: int, day: datetime.date) -> Placement | None:
        """As Child.placement_on, from the facts loaded for the chunk."""
        if child_id not in self.placements:
            self._load([child_id])
        current = [
            p for p in self.placements[child_id] if in_force_on(day, p.start_date, p.end_date)
        ]
        return max(current, key=lambda p: (p.start_date, p.pk), default=None)

    def episode_times(self, child_id: int) -> list[datetime.datetime]:
        if child_id not in self.times:
            self._load([child_id])
        return self.times[child_id]

    def rhi_providers(self, child_id: int) -> set[int]:
        if child_id not in self.providers:
            self._load([child_id])
        return self.providers[child_id]

    def landed(self, staged: Staged) -> None:
        """A staged row landed: what it adds is read by the rows after it."""
        for episode in staged.records[Episode]:
            assert isinstance(episode, Episode)
            self.episode_times(episode.child_id).append(episode.last_seen_at)
            self.written.episodes[episode.child_id].append(episode)
        self.written.gradings.extend(staged.records[RiskGrading])  # type: ignore[arg-type]
        self.written.offers.extend(staged.records[InterviewOffer])  # type: ignore[arg-type]
        for involvement in staged.records[Involvement]:
            assert isinstance(involvement, Involvement)
            if involvement.agency_id is not None:
                self.rhi_providers(involvement.child_id).add(involvement.agency_id)
