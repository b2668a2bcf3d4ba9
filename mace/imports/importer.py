"""Import of the central missing tracker and police missing-person notifications (SPEC C12).

Tracker import, format 1 (SPEC section 5)::

    python manage.py import_tracker --children CHILDREN.csv --episodes EPISODES.csv [--dry-run]
    python manage.py import_police_notifications FILE.csv [--dry-run]

Either tracker file may be given alone. Add --quiet to hide the progress bar (it is shown
only on a terminal anyway).

The files: UTF-8 CSV (a byte-order mark is fine) with a header row naming at least the
required columns of format 1; other columns are ignored. Dates are YYYY-MM-DD. Date-times
are ISO 8601, such as 2024-06-01T21:30, 2024-06-01 21:30:00 or 2024-06-01T20:30Z; one
without an offset is UK time (Europe/London). A UK time that happens twice when the clocks
go back is taken as the first (British Summer Time) one; a time that does not exist when
the clocks go forward is rejected. Codes are exactly as SPEC lists them (gender in lower
case, legal status in capitals, and so on); lists (push_pull_factors, with_children) are
separated by ";". A police notification row carries the child's columns (child_ref,
first_name, last_name, date_of_birth, gender, and optionally ethnicity, placing_authority,
uasc, area) and the episode's columns; its legal_status is the episode's (the status at
the start).

What it does:

- Nothing is imported when a file cannot be read or lacks a required column.
- Each row is checked in full first; a row with a problem is rejected with every problem
  listed, each naming the column, the value found and how to fix it.
- Rows are written a chunk at a time (500, --chunk-rows), each chunk in one transaction
  and each row in it on its own (a savepoint, or staged: see Importer.run_chunk), so a row
  lands whole or not at all and a database error rejects that row only: a chunk that fails
  as a whole is written again a row at a time, each row in its own transaction. An import
  interrupted (killed, or the database lost) has imported whole chunks, and whole rows of
  the chunk it was in when it was written a row at a time; nothing else. Rejected rows go
  to `<input stem>.rejects.csv` beside the input, with the original columns and a
  `reasons` column (a stale one is removed when nothing is rejected).
- Children are matched on child_ref (kept as a "tracker" identifier); episodes on
  episode_ref (the police reference). A value equal to the one held changes nothing, so a
  second run of the same files reports every row unchanged and writes nothing.
- An empty optional cell never erases what MACE holds: MACE may know more than the
  tracker (a return recorded by a worker, a risk grading, an ethnicity). An empty
  reported_at is the last_seen_at.
- children.csv's legal_status is the current one: a different status starts today and
  the one before ends the day before. A placing_authority other than the home authority
  (HOME_AUTHORITY_ONS_CODE) gives the child a current placement with that placing
  authority and the home authority as host, of kind "other" unless MACE knows the kind; a
  child with no placement history gets it from their first episode from care in the same
  run, so that episode is linked to it. An episode from care is linked to the placement
  the child had on the day last seen.
- The police risk grade is kept as the police recorded it, even below the minimum grade
  (T1); such a grading carries the reason "Imported below the minimum grade: review".
- A return interview goes to the provider the rules of 003 §21-25 choose; a child placed
  here by another authority has none (its placing authority arranges the interview). What
  the tracker says of the interview (rhi_offered_at, rhi_outcome, rhi_completed_at) is
  recorded whatever the provider set-up: when the rules' provider agency is not set up
  (a fresh install), the interview is recorded with the provider not known
  (`ReturnInterview.provider_not_known`), and the summary counts them by rule and says
  which settings name the agencies to set up. A later run, once the agencies are set up,
  fills the provider of such an interview (`Importer.fill_provider`).
- Every change is audited as the user named by --as USERNAME (an active missing
  coordinator or administrator), or else as the first active administrator
  (policy.default_import_actor), or, on a database with no administrator yet, with no user
  and the name "tracker import" (or "police notification import"); the summary is
  "Imported from tracker" (or "Imported from police notification"). A row that changes
  anything brings the child's worklist in step in the same transaction: once per child at
  the end of the chunk (`sync_children`; what a row leaves that a later row overtakes, such
  as T16's cycle when an earlier episode comes later, the rules give as superseded, so the
  worklist is the one syncing after each row would leave). A child's episode rows are
  written together, in the order of the file, in one chunk (`Importer.chunks`), so that a
  child is brought in step once however their rows are spread. An unchanged row leaves
  the worklist alone, so that a second run writes nothing.
- A police notification row is split into its child part and its episode part, which go
  through the same code as a children.csv row and an episodes.csv row: children first,
  then episodes, so a child named in with_children may appear on a later row. A child on
  several rows is imported once, from its last row. A row with a problem in its values is
  rejected whole; a row whose episode cannot be written is rejected for that reason while
  its child part, already imported, stays (as with the tracker's two files).
- With --dry-run everything runs inside a transaction that is rolled back, so the counts
  are those of a real import; no rejects file is written.
- With --workers N (PostgreSQL), N processes write the episode rows' chunks side by side,
  each on its own connection; each child's rows, and those of the children they went
  missing with, stay in one chunk, so the result is the one of a single process
  (imports.workers). The child rows are written by the import's own process, in order
  (the possible-duplicate check compares each new child with those before it), while the
  processes write the episode rows of the children already written. A dry run, and
  SQLite, use one process. A process that stops leaves whole chunks; the import then
  stops, saying to run it again.
"""

import datetime
import gc
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    models,
    transaction,
)
from django.utils import timezone
from tqdm import tqdm

from mace.access.policy import default_import_actor
from mace.accounts.models import Agency, User
from mace.audit.models import AuditEvent
from mace.audit.services import (
    AuditRow,
    audit_event,
    audit_events_insert,
    changed_only,
    snapshot,
    snapshot_of,
)
from mace.episodes import domain as episodes_domain
from mace.episodes.models import (
    Episode,
    MissingFrom,
    RiskGrade,
)
from mace.imports.chunks import (
    CHUNK_ROWS,
    ChunkFacts,
    Staged,
    chunks_of,
    complete_after,
    connection_works,
    missing_together,
    validation_reasons,
)
from mace.imports.duplicates import DuplicateCheck
from mace.imports.open_episodes import closed_in, refuse_second_open
from mace.imports.report import FileResult, ImportReport, write_rejects
from mace.imports.rows import (
    BELOW_MINIMUM_REASON,
    CHILD_REQUIRED,
    EPISODE_REQUIRED,
    NOTIFICATION_REQUIRED,
    OFFER_RESPONSE,
    POLICE_NOTIFICATION,
    SYSTEM_ACTOR,
    TRACKER,
    Authorities,
    ChildRow,
    EpisodeRow,
    ImportInterrupted,
    Outcome,
    RowRejected,
    parse_child,
    parse_episode,
)
from mace.imports.workers import can_share_out, share_out
from mace.intelligence.services import on_episode_saved
from mace.interviews import domain as interviews_domain
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.interviews.services import agency_named, choose_provider, give_provider_access
from mace.lib.checks import check_values
from mace.lib.csv_files import SourceRow, read_csv
from mace.lib.days import day_of
from mace.lib.quoting import quoted
from mace.people import domain as people_domain
from mace.people.models import (
    Child,
    ChildIdentifier,
    Ethnicity,
    Involvement,
    LegalStatusKind,
    Placement,
)
from mace.worklist.engine import sync_child, sync_children

# A chunk of episode rows, and what became of each row: its outcome, or the reasons it was
# rejected.
EpisodeChunk = list[tuple[SourceRow, EpisodeRow]]
Outcomes = list[tuple[Outcome | None, list[str]]]


class Importer:
    """One run of an import: the rows of one or two files, in order, a chunk at a time."""

    def __init__(
        self,
        *,
        source: str,
        dry_run: bool,
        progress: bool,
        chunk_rows: int = CHUNK_ROWS,
        actor: User | None = None,
        workers: int = 1,
    ) -> None:
        self.source = source
        # Who the audit trail records: the user named (--as), or the recorded system actor
        # (policy.default_import_actor); with neither, the trail names the import itself.
        self.actor = actor
        self.summary = f"Imported from {source}"
        self.dry_run = dry_run
        self.progress = progress
        self.now = timezone.now()
        self.today = day_of(self.now)
        self.report = ImportReport(dry_run=dry_run)
        self.authorities = Authorities()
        # child_ref -> the first day the run shows the child missing from care.
        self.in_care_since: dict[str, datetime.date] = {}
        # child_ref -> where its child row was rejected in this run.
        self.rejected_children: dict[str, str] = {}
        self.reason_prefix = ""
        # Looked up once per pass, a few hundred at a time, rather than once a row.
        self.children_by_ref: dict[str, Child] = {}
        self.episode_ids_by_ref: dict[str, int] = {}
        self.chunk_rows = max(1, chunk_rows)
        # Processes writing the episode rows' chunks side by side (imports.workers).
        self.workers = max(1, workers)
        # While a chunk is written: the children to bring in step at its end and the audit
        # events to write. None and [] when each row is written and synced on its own.
        self.to_sync: dict[int, Child] | None = None
        self.audit_events: list[AuditRow] = []
        # What the row being written adds to those, kept only if the row lands.
        self.row_syncs: list[Child] = []
        self.row_audit_events: list[AuditRow] = []
        # A new episode's row in a chunk is staged: checked and built in memory, and
        # inserted with the chunk's other staged rows in one insert a table (flush_staged),
        # before any row that reads what they write. See Staged.
        self.staging = False
        self.staged = Staged()
        self.row_staged = Staged()
        # Ids taken for the new children of the chunk of child rows being written.
        # Ids taken for the new children of the chunk of child rows being written, in the
        # order of their rows (popped from the end): staged rows take them, and if the chunk
        # fails its rows written one by one take the same ones again (`chunk_child_ids`), as
        # the chunk's insert rolled back left them unused.
        self.child_ids: list[int] = []
        self.chunk_child_ids: list[int] = []
        self.agencies: dict[str, Agency | None] = {}
        self.chunk_facts = ChunkFacts()
        # Episodes this run's rows give a return (issue 18: one open episode a child).
        self.closed_in_run: set[str] = set()
        # New children like ones held go on the review list (issue 18; imports.duplicates).
        self.duplicates = DuplicateCheck(source)

    # Running rows --------------------------------------------------------------------------

    def chunks(
        self,
        items: Sequence[Any],
        description: str,
        group: Callable[[Any], str] | None = None,
        *,
        shown: bool = True,
    ) -> Iterator[list[Any]]:
        """The rows in chunks of `chunk_rows`, with a progress bar.

        With `group` (the episodes' child, or the children missing together with it:
        chunks.missing_together), the rows of one group are taken together, in the order
        of the file, the groups in the order each first appears, and a chunk ends only
        between groups (so it may hold more than `chunk_rows`): each child is then in one
        chunk and brought in step once. Bringing a child in step reads every episode they
        hold, so a tracker in date order, each child's episodes spread over the file,
        would otherwise read a child's history again in every chunk with one of their rows
        (issue 17 point 7). The rows of different groups do not read what one another
        write, so chunks can be written side by side (imports.workers)."""
        if group is not None:
            grouped: dict[str, list[Any]] = defaultdict(list)
            for item in items:
                grouped[group(item)].append(item)
            items = [item for rows in grouped.values() for item in rows]
        chunk: list[Any] = []
        for index, item in enumerate(
            tqdm(
                items,
                desc=description,
                unit=" rows",
                file=sys.stderr,
                disable=not (self.progress and shown),
                leave=False,
            )
        ):
            chunk.append(item)
            if len(chunk) >= self.chunk_rows and (
                group is None or index + 1 == len(items) or group(items[index + 1]) != group(item)
            ):
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def run_chunk(
        self,
        chunk: list[tuple[SourceRow, Any]],
        name: str,
        write: Callable[[Any], Outcome],
        before_row: Callable[[Any], None],
        prepare: Callable[[list[Any]], None] | None = None,
    ) -> list[tuple[Outcome | None, list[str]]]:
        """Write a chunk of rows in one transaction, each row in a savepoint of its own.

        A row refused (a problem found in writing, or the database refusing it) is rolled
        back to its savepoint alone and rejected, as on its own. A staged row (a new episode
        of a held child, alone) writes nothing itself: its records are inserted with the
        other staged rows' (flush_staged) before the next row that is not staged, and at
        the end; a problem found in it leaves nothing to roll back. The worklists of the
        children the chunk changed are brought in step once each at its end
        (`sync_children`), and its audit events
        written in one insert, all in the chunk's transaction. If that fails, or the
        connection drops, nothing of the chunk was written: it is written again a row at
        a time, each row in its own transaction with its own sync (`attempt`), so that a
        row at fault is rejected alone and the others land, and a database that stays
        away stops the import at the chunk's first row.
        """
        not_recorded = self.report.interviews_provider_not_known.copy()
        try:
            with transaction.atomic():
                self.to_sync, self.audit_events = {}, []
                if prepare is not None:
                    prepare([row for _, row in chunk])
                results = []
                for source, row in chunk:
                    self.reason_prefix = f"{name} line {source.line}"
                    self.staging = False
                    before_row(row)
                    results.append(self.attempt_in_chunk(partial(write, row)))
                self.staging = False
                self.flush_staged()
                self.bring_in_step_now(list(self.to_sync))
                self.write_audit_events()
            return results
        except DatabaseError:
            self.to_sync, self.audit_events, self.staging = None, [], False
            self.staged, self.child_ids = Staged(), list(self.chunk_child_ids)
            self.duplicates.staged.clear()
            self.report.interviews_provider_not_known = not_recorded
            connection_works()
            results = []
            for source, row in chunk:
                self.reason_prefix = f"{name} line {source.line}"
                results.append(self.attempt(partial(write, row)))
            return results
        finally:
            self.to_sync, self.audit_events, self.staging = None, [], False
            self.staged, self.child_ids, self.chunk_child_ids = Staged(), [], []

    def attempt_in_chunk(self, write: Callable[[], Outcome]) -> tuple[Outcome | None, list[str]]:
        """Write one row of a chunk in a savepoint: it lands whole or not at all. A dropped
        connection abandons the chunk (see run_chunk)."""
        assert self.to_sync is not None
        self.row_syncs, self.row_audit_events = [], []
        self.row_staged = Staged()
        try:
            if self.staging:
                outcome = write()  # a staged row writes nothing itself: no savepoint
            else:
                with transaction.atomic():
                    outcome = write()
        except RowRejected as exc:
            return None, exc.reasons
        except ValidationError as exc:
            return None, validation_reasons(exc)
        except (OperationalError, InterfaceError):
            raise
        except DatabaseError as exc:
            return None, [f"row: could not be saved ({exc}); nothing of it was written"]
        for child in self.row_syncs:
            self.to_sync.setdefault(child.pk, child)
        self.audit_events.extend(self.row_audit_events)
        self.chunk_facts.landed(self.row_staged)
        self.duplicates.landed(self.row_staged.records[Child])
        self.staged.take(self.row_staged)
        return outcome, []

    def bring_in_step(self, child: Child) -> None:
        """What is due follows the facts: now when rows are written one at a time, else at
        the end of the chunk."""
        if self.to_sync is None:
            sync_child(child)
        else:
            self.row_syncs.append(child)

    def bring_in_step_now(self, child_ids: list[int]) -> None:
        """Sync the children of the chunk so far, before a row that changes what they hold."""
        assert self.to_sync is not None
        waiting = [self.to_sync.pop(pk) for pk in child_ids if pk in self.to_sync]
        if waiting:
            self.flush_staged()
            sync_children(waiting, written=self.chunk_facts.written)

    def write_audit_events(self) -> None:
        """The chunk's audit events so far, in one insert (COPY on PostgreSQL) and in their
        order."""
        audit_events_insert(self.audit_events)
        self.audit_events = []

    def flush_staged(self) -> None:
        """Insert the staged rows (see Staged), then complete their audit events."""
        staged, self.staged = self.staged, Staged()
        staged.insert()
        self.duplicates.staged.clear()

    def insert(self, instance: models.Model) -> None:
        """Save a new record now, or stage it when the row is staged."""
        if self.staging:
            self.row_staged.add(instance)
        else:
            instance.save()

    def staged_now(self, instance: models.Model) -> bool:
        """Whether this record waits in the row's staging (saving it again is for the insert)."""
        return self.staging and self.row_staged.holds(instance)

    def placement_on(self, child: Child, day: datetime.date) -> Placement | None:
        if self.staging:
            return self.chunk_facts.placement_on(child.pk, day)
        return child.placement_on(day)

    def episodes_since(self, episode: Episode) -> Callable[[datetime.datetime], int] | None:
        """For choose_provider, of a staged episode: the child's episodes held and staged
        since a moment, with this one."""
        if not self.staging:
            return None
        times = self.chunk_facts.episode_times(episode.child_id)

        def count(since: datetime.datetime) -> int:
            return sum(1 for t in times if t >= since) + (episode.last_seen_at >= since)

        return count

    def give_provider_access(self, interview: ReturnInterview) -> None:
        """As interviews.services.give_provider_access; staged with a staged row."""
        if not self.staging:
            give_provider_access(interview)
            return
        if interview.provider is None or interview.worker is not None:
            give_provider_access(interview)  # nothing to do, or a worker: as the service does
            return
        child = interview.episode.child
        if interview.provider.pk in self.chunk_facts.rhi_providers(child.pk):
            return
        self.insert(
            Involvement(
                child=child,
                kind=Involvement.Kind.RHI_PROVIDER,
                agency=interview.provider,
                user=None,
                end_date=None,
                start_date=timezone.localdate(),
            )
        )

    def agency(self, name: str) -> Agency | None:
        """choose_provider's agencies, looked up once a run (an import adds none)."""
        if name not in self.agencies:
            self.agencies[name] = agency_named(name)
        return self.agencies[name]

    def attempt(self, write: Callable[[], Outcome]) -> tuple[Outcome | None, list[str]]:
        """Write one row in its own transaction: it lands whole or not at all (a chunk that
        failed as a whole is written again this way).

        If the database connection drops (or the database refuses the row for a passing
        reason, such as a deadlock), nothing of the row was written: try it once more, on a
        fresh connection if need be. If the database is still out of reach, stop the import:
        the rows before landed whole, so running it again finishes it."""
        for tries_left in (1, 0):
            try:
                with transaction.atomic():
                    return write(), []
            except RowRejected as exc:
                return None, exc.reasons
            except ValidationError as exc:
                return None, validation_reasons(exc)
            except (OperationalError, InterfaceError) as exc:
                # Nothing of the row was written, so trying it again is safe.
                if tries_left:
                    connection_works()
                    continue
                if connection_works():
                    return None, [f"row: could not be saved ({exc}); nothing of it was written"]
                raise ImportInterrupted(
                    f"The database connection was lost at {self.reason_prefix}. Every row "
                    "written before it was imported whole; nothing of this row or of those "
                    "still to come was written: run the same import again to finish (rows "
                    "already imported are left unchanged)."
                ) from exc
            except DatabaseError as exc:
                return None, [f"row: could not be saved ({exc}); nothing of it was written"]
        raise AssertionError("unreachable")

    def note_care_episodes(self, episodes: Iterable[EpisodeRow]) -> None:
        for row in episodes:
            if row.missing_from == MissingFrom.CARE:
                day = day_of(row.last_seen_at)
                known = self.in_care_since.get(row.child_ref)
                self.in_care_since[row.child_ref] = min(day, known) if known else day

    def audit(
        self,
        action: str,
        obj: models.Model,
        child: Child,
        detail: str = "",
        *,
        after: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
        **kw: Any,
    ) -> None:
        """Audit a change; `after` may be a function giving it once the staged records are
        inserted (when their ids are known)."""
        event = audit_event(
            actor=self.actor,
            action=action,
            obj=obj,
            child_id=child.public_id,
            summary=f"{self.summary}: {detail}" if detail else self.summary,
            reason=self.reason_prefix,
            after=None if callable(after) else after,
            **kw,
        )
        if self.actor is None:
            event.actor_username = SYSTEM_ACTOR[self.source]
        if callable(after):
            if self.staging:
                self.row_staged.completions.append(partial(complete_after, event, after))
            else:
                event.after = after()
        if self.to_sync is None:
            event.event().save()
        else:
            self.row_audit_events.append(event)  # written with the chunk, if the row lands

    # Children ------------------------------------------------------------------------------

    def load_children(self, refs: Iterable[str]) -> None:
        """The children held under these tracker references (a merged one: the kept record)."""
        self.children_by_ref = {}
        for chunk in chunks_of(sorted(set(refs))):
            identifiers = ChildIdentifier.objects.select_related("child").filter(
                kind=ChildIdentifier.Kind.TRACKER, value__in=chunk
            )
            for identifier in identifiers:
                child = identifier.child
                for _ in range(10):  # a merged record points at the one it was merged into
                    if child.merged_into_id is None:
                        break
                    child = Child.objects.get(pk=child.merged_into_id)
                self.children_by_ref[identifier.value] = child

    def load_episodes(self, refs: Iterable[str]) -> None:
        self.episode_ids_by_ref = {}
        for chunk in chunks_of(sorted(set(refs))):
            found = Episode.objects.filter(police_reference__in=chunk)
            for reference, pk in found.values_list("police_reference", "pk"):
                if reference is not None:
                    self.episode_ids_by_ref[reference] = pk

    def held_child(self, child_ref: str) -> Child | None:
        return self.children_by_ref.get(child_ref)

    def import_child(self, row: ChildRow) -> Outcome:
        child = self.held_child(row.child_ref)
        if child is None:
            self.create_child(row)
            return Outcome.CREATED
        changed = self.update_child_details(child, row)
        if row.legal_status is not None:
            changed |= self.set_legal_status(child, row.legal_status)
        if row.placing_authority is not None:
            changed |= self.ensure_placement(child, row)
        if not changed:
            return Outcome.UNCHANGED
        self.bring_in_step(child)
        return Outcome.UPDATED

    def create_child(self, row: ChildRow) -> Child:
        """As people.services.child_create (people.domain), for an import: the tracker's id
        kept, the legal status from the tracker."""
        child = people_domain.new_child(
            first_name=row.first_name,
            last_name=row.last_name,
            date_of_birth=row.date_of_birth,
            gender=row.gender,
            ethnicity=row.ethnicity or Ethnicity.NOBT,
            is_uasc=bool(row.uasc),
            area=row.area or "",
        )
        check_values(child, exclude=["reference"])
        if self.child_ids:
            # Its id taken with the chunk's (people.domain.take_child_ids); staged, it is
            # inserted with the chunk's other new children (people.domain.save_new_children).
            child.pk = self.child_ids.pop()
            child.reference = people_domain.reference_for(child.pk)
        if self.staging:
            self.insert(child)
        else:
            people_domain.save_new_child(child)
        self.insert(
            ChildIdentifier(child=child, kind=ChildIdentifier.Kind.TRACKER, value=row.child_ref)
        )
        status = row.legal_status or LegalStatusKind.NONE
        self.insert(
            people_domain.new_legal_status(
                child=child, status=status, start_date=self.today, created_by=self.actor
            )
        )
        after = snapshot(child)
        after["legal_status"] = status
        after["tracker_ref"] = row.child_ref
        self.audit(AuditEvent.Action.CREATE, child, child, after=after)
        for review in self.duplicates.reviews_for(child, self.reason_prefix):
            self.insert(review)
            for about in (child, review.matched_child):
                detail = f"possible duplicate of {review.matched_child.reference}, for review"
                self.audit(AuditEvent.Action.CREATE, review, about, detail, after=snapshot(review))
        if row.placing_authority is not None:
            self.ensure_placement(child, row, created=True)
        return child

    def update_child_details(self, child: Child, row: ChildRow) -> bool:
        given: dict[str, Any] = {
            "first_name": row.first_name,
            "last_name": row.last_name,
            "date_of_birth": row.date_of_birth,
            "gender": row.gender,
            "ethnicity": row.ethnicity,
            "is_uasc": row.uasc,
            "area": row.area,
        }
        changes = {
            name: value
            for name, value in given.items()
            if value is not None and getattr(child, name) != value
        }
        if not changes:
            return False
        locked = Child.objects.select_for_update().get(pk=child.pk)
        before = snapshot(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        check_values(locked)
        locked.version += 1
        locked.save()
        old, new = changed_only(before, snapshot(locked))
        old.pop("version", None)
        new.pop("version", None)
        self.audit(AuditEvent.Action.CHANGE, locked, locked, before=old, after=new)
        return True

    def set_legal_status(self, child: Child, status: str) -> bool:
        """A different current status starts today; the old one ends the day before.

        As people.services.legal_status_change, except that a status that began today is
        corrected in place (it cannot end the day before it began).
        """
        current = people_domain.current_period(child.legal_statuses.all())
        if current is not None and current.status == status:
            return False
        label = LegalStatusKind(status).label
        before = {"status": current.status if current else None}
        if current is not None and current.start_date >= self.today:
            current.status = status
            current.save(update_fields=["status"])
            self.audit(
                AuditEvent.Action.CHANGE,
                current,
                child,
                f"legal status now {label}",
                before=before,
                after={"status": status},
            )
            return True
        if current is not None:
            people_domain.end_period(current, self.today, "The new status must start after it")
            current.save(update_fields=["end_date"])
        new = people_domain.new_legal_status(
            child=child, status=status, start_date=self.today, created_by=self.actor
        )
        new.save()
        self.audit(
            AuditEvent.Action.CHANGE,
            new,
            child,
            f"legal status now {label}",
            before=before,
            after={"status": status, "start_date": self.today.isoformat()},
        )
        return True

    def ensure_placement(self, child: Child, row: ChildRow, *, created: bool = False) -> bool:
        """The child placed here by another authority has a current placement saying so.

        A child with no placement history gets one from the first day this run shows them
        missing from care (else today), so their episodes link to it; a current placement
        with another placing authority ends the day before a new one starts today. A child
        the row `created` has no placement to read.
        """
        ref = row.placing_authority
        home_ref = self.authorities.home
        if ref is None or ref.ons_code == self.authorities.home_code:
            return False
        assert home_ref is not None  # checked when the row was read
        placing = self.authorities.get(ref)
        host = self.authorities.get(home_ref)
        current = None if created else child.placement_on(self.today)
        if (
            current is not None
            and current.placing_authority_id == placing.pk
            and current.host_authority_id == host.pk
        ):
            return False
        detail = f"placed here by {placing.name}"
        if current is not None and current.start_date >= self.today:
            before = snapshot(current)
            current.placing_authority = placing
            current.host_authority = host
            check_values(current)
            current.save(update_fields=["placing_authority", "host_authority"])
            old, new = changed_only(before, snapshot(current))
            self.audit(AuditEvent.Action.CHANGE, current, child, detail, before=old, after=new)
            return True
        if current is not None:
            start = self.today
            people_domain.end_period(current, start, "The new placement must start after it")
            current.save(update_fields=["end_date"])
        else:
            start = min(self.today, self.in_care_since.get(row.child_ref, self.today))
            earlier = [] if created else child.placements.filter(start_date__lte=self.today)
            ends = [p.end_date or p.start_date for p in earlier]
            if ends:
                start = max(start, max(ends) + datetime.timedelta(days=1))
        placement = people_domain.new_placement(
            child=child,
            kind=current.kind if current else Placement.Kind.OTHER,
            address=current.address if current else "",
            postcode=current.postcode if current else "",
            provider=current.provider if current else "",
            placing_authority=placing,
            host_authority=host,
            start_date=start,
        )
        self.insert(placement)
        self.audit(AuditEvent.Action.CREATE, placement, child, detail, after=snapshot(placement))
        return True

    # Episodes ------------------------------------------------------------------------------

    def child_for(self, child_ref: str, column: str, where: str) -> Child:
        child = self.held_child(child_ref)
        if child is not None:
            return child
        if child_ref in self.rejected_children:
            problem = (
                f"is not held: its child row ({self.rejected_children[child_ref]}) was "
                "rejected; correct that row and import again"
            )
        else:
            problem = f"is not in {where} and not held in MACE; add the child or correct it"
        raise RowRejected([f"{column}: {quoted(child_ref)} {problem}"])

    def import_episode(self, row: EpisodeRow, children_from: str) -> Outcome:
        # Everything is looked up before anything is written.
        child = self.child_for(row.child_ref, "child_ref", children_from)
        companions: list[Child] | None = None
        if row.with_children is not None:
            companions, missing = [], []
            for ref in row.with_children:
                if ref == row.child_ref:
                    continue
                companion = self.held_child(ref)
                if companion is None:
                    missing.append(ref)
                elif companion.pk != child.pk:
                    companions.append(companion)
            if missing:
                raise RowRejected(
                    [
                        f"with_children: {quoted(ref)} is not in {children_from} and not held "
                        "in MACE; add the child or remove the reference"
                        for ref in missing
                    ]
                )
        held_id = self.episode_ids_by_ref.get(row.episode_ref)
        episode = (
            Episode.objects.select_for_update().select_related("child").filter(pk=held_id).first()
            if held_id is not None
            else None
        )
        if episode is not None and episode.child_id != child.pk:
            raise RowRejected(
                [
                    f"child_ref: {quoted(row.child_ref)} is not the child MACE holds episode "
                    f"{quoted(row.episode_ref)} for ({episode.child.reference}); check both "
                    "references"
                ]
            )

        outcome, episode = self.write_episode(episode, child, row, companions)
        created = outcome is Outcome.CREATED
        if row.police_risk is not None and self.grade(
            episode, child, row.police_risk, created=created
        ):
            outcome = outcome if outcome is Outcome.CREATED else Outcome.UPDATED
        has_interview = row.rhi_outcome is not None or row.rhi_offered_at is not None
        if has_interview and self.record_interview(episode, child, row, created=created):
            outcome = outcome if outcome is Outcome.CREATED else Outcome.UPDATED
        if outcome is not Outcome.UNCHANGED:
            # What is due follows the facts, in the same transaction. An unchanged row
            # leaves the worklist alone, so a second run writes nothing at all; deadlines
            # that move with time alone are the scheduled worklist run's work.
            self.bring_in_step(child)
        return outcome

    def write_episode(
        self, episode: Episode | None, child: Child, row: EpisodeRow, companions: list[Child] | None
    ) -> tuple[Outcome, Episode]:
        last_seen_day = day_of(row.last_seen_at)
        placement = (
            self.placement_on(child, last_seen_day)
            if row.missing_from == MissingFrom.CARE
            else None
        )
        reported_at = row.reported_at
        if reported_at is None:
            held = episode.reported_at if episode is not None else None
            reported_at = (
                held if held is not None and held >= row.last_seen_at else row.last_seen_at
            )
        values: dict[str, Any] = {
            "kind": row.kind,
            "missing_from": row.missing_from,
            "legal_status": row.legal_status,
            "last_seen_at": row.last_seen_at,
            "reported_at": reported_at,
            "placement_id": placement.pk if placement else None,
        }
        if row.returned_at is not None:
            values["returned_at"] = row.returned_at
        elif (
            episode is not None
            and episode.returned_at is not None
            and episode.returned_at < row.last_seen_at
        ):
            found = timezone.localtime(episode.returned_at).isoformat(timespec="minutes")
            raise RowRejected(
                [
                    f'returned_at: "" is empty, and the return MACE holds ({found}) is '
                    "before last_seen_at; give returned_at, or correct last_seen_at"
                ]
            )
        if row.push_pull_factors is not None:
            values["push_pull_factors"] = list(row.push_pull_factors)

        if episode is None:
            episode = episodes_domain.new_episode(
                child=child,
                kind=row.kind,
                missing_from=row.missing_from,
                last_seen_at=row.last_seen_at,
                reported_at=reported_at,
                legal_status=row.legal_status,
                placement=placement,  # held already: no query for it again
                push_pull_factors=row.push_pull_factors or (),
                created_by=self.actor,
                police_reference=row.episode_ref,
                source_reference=row.episode_ref,
                returned_at=row.returned_at,
            )
            episodes_domain.validate(episode)
            refuse_second_open(
                episode,
                row.child_ref,
                [*self.staged.records[Episode], *self.row_staged.records[Episode]]
                if self.staging
                else [],
                self.closed_in_run,
            )
            self.insert(episode)
            if companions:
                episode.with_children.set(companions)
                on_episode_saved(episode)
            companion_refs = sorted(c.reference for c in companions or [])
            self.audit(
                AuditEvent.Action.CREATE,
                episode,
                child,
                after=lambda: {**snapshot(episode), "with_children": companion_refs},
            )
            return Outcome.CREATED, episode

        changes = {name: value for name, value in values.items() if getattr(episode, name) != value}
        companions_changed = companions is not None and {c.pk for c in companions} != set(
            episode.with_children.values_list("pk", flat=True)
        )
        if not changes and not companions_changed:
            return Outcome.UNCHANGED, episode
        before = snapshot(episode)
        if changes:
            for name, value in changes.items():
                setattr(episode, name, value)
            episodes_domain.validate(episode)
            episode.version += 1
            episode.save()
        old, new = changed_only(before, snapshot(episode))
        old.pop("version", None)
        new.pop("version", None)
        if companions_changed:
            assert companions is not None
            old["with_children"] = sorted(c.reference for c in episode.with_children.all())
            episode.with_children.set(companions)
            on_episode_saved(episode)
            new["with_children"] = sorted(c.reference for c in companions)
        self.audit(AuditEvent.Action.CHANGE, episode, child, before=old, after=new)
        return Outcome.UPDATED, episode

    def grade(self, episode: Episode, child: Child, grade: str, *, created: bool) -> bool:
        """The police's grade is kept as fact; one below the minimum is flagged for review."""
        current = None if created else episode.risk_gradings.order_by("-graded_at", "-id").first()
        if current is not None and current.grade == grade:
            return False
        # The grade the police recorded is history, kept as it was even below the minimum
        # that MACE's own grading refuses (check_grade), and flagged for review; graded_by
        # is the officer, whom the tracker does not name (the audit names the import's user).
        below = episodes_domain.below_minimum(grade)
        grading = episodes_domain.new_grading(
            episode=episode,
            grade=grade,
            graded_at=episode.reported_at if current is None else max(self.now, current.graded_at),
            graded_by=None,
            reason=BELOW_MINIMUM_REASON if below else "",
        )
        self.insert(grading)
        self.audit(
            AuditEvent.Action.CHANGE,
            episode,
            child,
            f"police risk graded {RiskGrade(grading.grade).label}",
            before={"risk_grade": current.grade if current else None},
            after={"risk_grade": grade, "reason": grading.reason},
        )
        return True

    def record_interview(
        self, episode: Episode, child: Child, row: EpisodeRow, *, created: bool
    ) -> bool:
        """The return home interview: referral to the rules' provider, the offer, the outcome."""
        interview = None if created else ReturnInterview.objects.filter(episode=episode).first()
        changed = new_interview = False
        if interview is None:
            choice = choose_provider(
                episode, agency=self.agency, episodes_since=self.episodes_since(episode)
            )
            placed_elsewhere = choice.rule.startswith("Placed here by")
            rule = choice.rule
            if choice.provider is None and not placed_elsewhere:
                # The tracker's interview facts are kept whoever offers it (issue 18): the
                # provider is not known, and the summary says which are not set up.
                self.report.interviews_provider_not_known[choice.rule] += 1
                rule = interviews_domain.provider_not_known_rule(choice.rule)
            referred_candidates = [
                moment for moment in (row.rhi_offered_at, row.rhi_completed_at) if moment
            ]
            interview = interviews_domain.new_interview(
                episode=episode,
                provider=choice.provider,
                provider_rule=rule,
                referred_at=min(referred_candidates)
                if referred_candidates
                else episode.returned_at or episode.reported_at,
            )
            self.insert(interview)
            self.give_provider_access(interview)
            new_interview = True
            referred = snapshot(interview)  # as referred; a staged one has its ids later
            self.audit(
                AuditEvent.Action.CREATE,
                interview,
                child,
                f"referred for a return home interview to {choice.provider.name}"
                if choice.provider
                else "return interview arranged by the placing authority"
                if placed_elsewhere
                else "return interview recorded, provider not known",
                after=lambda: {
                    **referred,
                    "id": interview.pk,
                    "episode_id": interview.episode_id,
                },
            )
            changed = True
        elif interview.provider_not_known and self.fill_provider(interview, episode, child):
            changed = True

        offered_at = row.rhi_offered_at
        if offered_at is None and row.rhi_outcome == "completed":
            offered_at = row.rhi_completed_at  # offered and held at the interview
        # The answer to an offer new or changed in the tracker: one restated as before is no
        # new fact, and leaves a status since recorded in MACE as it is.
        answered: str | None = None
        if offered_at is not None:
            response = OFFER_RESPONSE.get(
                row.rhi_outcome or "", InterviewOffer.Response.NO_RESPONSE
            )
            offer = (
                None if new_interview else interview.offers.filter(offered_at=offered_at).first()
            )
            if offer is None:
                offer = interviews_domain.new_offer(
                    interview=interview, offered_at=offered_at, response=response
                )
                self.insert(offer)
                answered = response
                new_offer = offer
                self.audit(
                    AuditEvent.Action.CREATE,
                    interview,
                    child,
                    f"interview offered: {InterviewOffer.Response(response).label.lower()}",
                    after=lambda: snapshot(new_offer),
                )
                changed = True
            elif offer.response != response:
                before = {"response": offer.response}
                offer.response = response
                offer.save(update_fields=["response"])
                answered = response
                self.audit(
                    AuditEvent.Action.CHANGE,
                    interview,
                    child,
                    f"interview offer now {InterviewOffer.Response(response).label.lower()}",
                    before=before,
                    after={"response": response, "offered_at": offered_at.isoformat()},
                )
                changed = True

        completed_at = row.rhi_completed_at or interview.completed_at
        status = interviews_domain.status_for(
            current=interview.status,
            response=answered,
            # No contact is said of an offer with no answer: one answered since in MACE stays.
            no_contact=row.rhi_outcome == "no_contact"
            and (answered is not None or interview.status == ReturnInterview.Status.OFFERED),
            completed_at=completed_at,
        )
        if completed_at != interview.completed_at or status != interview.status:
            recorded = ("completed_at", "status")  # what changes: its snapshot's only change
            before = snapshot_of(interview, recorded)
            interview.completed_at = completed_at
            interview.status = status
            old, new = changed_only(before, snapshot_of(interview, recorded))
            check_values(interview, only=recorded)  # the rest as checked when made or saved
            interview.version += 1
            if not self.staged_now(interview):
                interview.save()  # else it is inserted as it is now
            self.audit(
                AuditEvent.Action.CHANGE,
                interview,
                child,
                "return interview recorded",
                before=old,
                after=new,
            )
            changed = True
        return changed

    def fill_provider(self, interview: ReturnInterview, episode: Episode, child: Child) -> bool:
        """An interview recorded with the provider not known (no provider agency was set up
        when it was imported) gets the provider the rules now choose, once one is set up:
        a later run of the tracker fills it rather than leaving "not known" (issue 18)."""
        choice = choose_provider(
            episode, agency=self.agency, episodes_since=self.episodes_since(episode)
        )
        if choice.provider is None:
            return False
        before = snapshot(interview)
        interview.provider = choice.provider
        interview.provider_rule = choice.rule
        old, new = changed_only(before, snapshot(interview))
        check_values(interview)
        interview.version += 1
        if not self.staged_now(interview):
            interview.save()
        self.give_provider_access(interview)
        self.audit(
            AuditEvent.Action.CHANGE,
            interview,
            child,
            f"return interview provider now known: {choice.provider.name}",
            before=old,
            after=new,
        )
        return True

    # Files ---------------------------------------------------------------------------------

    def run_children(
        self,
        result: FileResult,
        parsed: list[tuple[SourceRow, ChildRow]],
        settled: Callable[[dict[str, str]], None] = lambda rejected: None,
    ) -> None:
        """The child rows, a chunk at a time; after each chunk, `settled` is told the
        child_refs of its rows rejected, and where (see run_episodes: the episode rows may
        be written meanwhile)."""
        name = result.csv.path.name
        self.load_children(row.child_ref for _, row in parsed)

        def before_row(row: ChildRow) -> None:
            if (child := self.held_child(row.child_ref)) is not None:
                self.bring_in_step_now([child.pk])
            elif self.child_ids:
                self.staging = True  # a new child: staged, its id taken already

        def prepare(rows: list[ChildRow]) -> None:
            new = [row for row in rows if self.held_child(row.child_ref) is None]
            self.duplicates.load(new)
            # Ids for the chunk's new children, in the order of their rows (popped from the
            # end); none where the database cannot give them ahead (SQLite): each is saved.
            self.chunk_child_ids = list(reversed(people_domain.take_child_ids(len(new)) or []))
            self.child_ids = list(self.chunk_child_ids)

        for chunk in self.chunks(parsed, name):
            outcomes = self.run_chunk(chunk, name, self.import_child, before_row, prepare)
            rejected = {}
            for (source, row), (outcome, reasons) in zip(chunk, outcomes, strict=True):
                if outcome is None:
                    result.reject(source, reasons)
                    self.report.children.rejected += 1
                    rejected[row.child_ref] = f"{name} line {source.line}"
                else:
                    self.report.children.add(outcome)
            self.rejected_children.update(rejected)
            settled(rejected)

    def run_episodes(
        self,
        result: FileResult,
        parsed: list[tuple[SourceRow, EpisodeRow]],
        children_from: str,
        children_first: tuple[FileResult, list[tuple[SourceRow, ChildRow]]] | None = None,
    ) -> None:
        """The episode rows, a chunk at a time (see `chunks`). With `children_first`, the
        child rows are written first (run_children); when the episode rows' chunks are
        shared out between processes (`run_apart`), each chunk is written as soon as the
        child rows of its children have been (so while later child rows are written)."""
        name = result.csv.path.name
        self.load_episodes(row.episode_ref for _, row in parsed)
        self.closed_in_run = closed_in(row for _, row in parsed)

        def before_row(row: EpisodeRow) -> None:
            child = self.held_child(row.child_ref)
            new = row.episode_ref not in self.episode_ids_by_ref
            if child is not None and new and not row.with_children:
                self.staging = True  # a new episode of a held child, alone: staged
                return
            # Any other row reads and writes what it likes, so it comes after the rows
            # before it are inserted and audited (it may audit something itself, such as
            # a link between children); and one that may change an episode held comes
            # after its child is brought in step for the rows before.
            self.flush_staged()
            self.write_audit_events()
            if child is not None:
                self.chunk_facts.forget(child.pk)
                if not new:
                    self.bring_in_step_now([child.pk])

        def prepare(rows: list[EpisodeRow]) -> None:
            held = {child.pk for row in rows if (child := self.held_child(row.child_ref))}
            self.chunk_facts = ChunkFacts.load(held)

        write = partial(self.import_episode, children_from=children_from)

        def run(chunk: EpisodeChunk) -> Outcomes:
            return self.run_chunk(chunk, name, write, before_row, prepare)

        def tell(chunk: EpisodeChunk, outcomes: Outcomes) -> None:
            for (source, _), (outcome, reasons) in zip(chunk, outcomes, strict=True):
                if outcome is None:
                    result.reject(source, reasons)
                    self.report.episodes.rejected += 1
                else:
                    self.report.episodes.add(outcome)

        together = missing_together((row.child_ref, row.with_children or ()) for _, row in parsed)

        def by_child(item: tuple[SourceRow, EpisodeRow]) -> str:
            return together[item[1].child_ref]

        if self.workers > 1:
            chunks = list(self.chunks(parsed, name, group=by_child, shown=False))
            if can_share_out(self.workers, len(chunks)):
                self.run_apart(chunks, run, tell, len(parsed), name, children_first)
                return
        if children_first is not None:
            self.run_children(*children_first)
        self.load_children(ref for _, row in parsed for ref in _children_of(row))
        for chunk in self.chunks(parsed, name, group=by_child):
            tell(chunk, run(chunk))

    def run_apart(
        self,
        chunks: list[EpisodeChunk],
        run: Callable[[EpisodeChunk], Outcomes],
        tell: Callable[[EpisodeChunk, Outcomes], None],
        rows: int,
        name: str,
        children_first: tuple[FileResult, list[tuple[SourceRow, ChildRow]]] | None,
    ) -> None:
        """The episode rows' chunks written by `workers` processes side by side (see
        imports.workers), and told to the report.

        With `children_first`, this process writes the child rows meanwhile, telling the
        processes after each chunk of them which were rejected; an episode chunk waits for
        the chunk of child rows that settles the last of its children (the chunks are
        taken in that order), and then reads its children from the database."""
        after: list[int] | None = None
        meanwhile = None
        if children_first is None:
            self.load_children(
                ref for chunk in chunks for _, row in chunk for ref in _children_of(row)
            )
        else:
            children_result, child_rows = children_first
            # The child rows' chunk after which each child_ref is settled (1 the first).
            settles = {
                row.child_ref: number // self.chunk_rows + 1
                for number, (_, row) in enumerate(child_rows)
            }
            waits = [
                max((settles.get(ref, 0) for _, row in chunk for ref in _children_of(row)))
                for chunk in chunks
            ]
            order = sorted(range(len(chunks)), key=waits.__getitem__)
            chunks = [chunks[index] for index in order]
            after = [waits[index] for index in order]

            def meanwhile(tell: Callable[[dict[str, str]], None]) -> None:
                self.run_children(children_result, child_rows, settled=tell)

        def in_a_process(chunk: EpisodeChunk) -> tuple[Outcomes, Counter[str]]:
            # The chunk's outcomes, and the interviews it recorded with the provider not
            # known, which the parent's report adds up.
            if children_first is not None:
                self.load_children(ref for _, row in chunk for ref in _children_of(row))
            before = self.report.interviews_provider_not_known.copy()
            outcomes = run(chunk)
            return outcomes, self.report.interviews_provider_not_known - before

        with tqdm(
            total=rows,
            desc=name,
            unit=" rows",
            file=sys.stderr,
            disable=not self.progress,
            leave=False,
        ) as bar:
            landed = share_out(
                chunks,
                self.workers,
                in_a_process,
                bar.update,
                meanwhile=meanwhile,
                after=after,
                hear=self.rejected_children.update,
            )
        for chunk, (outcomes, not_known) in zip(chunks, landed, strict=True):
            tell(chunk, outcomes)
            self.report.interviews_provider_not_known.update(not_known)

    def finish(self) -> ImportReport:
        if not self.dry_run:
            for result in self.report.files:
                write_rejects(result)
        return self.report


def _children_of(row: EpisodeRow) -> tuple[str, ...]:
    """The child_refs an episode row names: its child's, and the children with them."""
    return (row.child_ref, *(row.with_children or ()))


def _duplicates(
    rows: Sequence[tuple[SourceRow, Any]], key: Callable[[Any], str], column: str
) -> dict[int, str]:
    """Lines whose reference appears on another line too, with the reason to reject them."""
    lines_by_key: dict[str, list[int]] = defaultdict(list)
    for source, row in rows:
        lines_by_key[key(row)].append(source.line)
    reasons: dict[int, str] = {}
    for value, lines in lines_by_key.items():
        if len(lines) < 2:
            continue
        for line in lines:
            others = ", ".join(str(other) for other in lines if other != line)
            reasons[line] = (
                f"{column}: {quoted(value)} is also on line {others}; each reference must "
                "be unique in the file: keep one row"
            )
    return reasons


def _split(
    result: FileResult, parser: Callable[[SourceRow], tuple[Any, list[str]]]
) -> list[tuple[SourceRow, Any]]:
    """Check every row; reject those with problems, return the others with their values."""
    parsed = []
    for source in result.csv.rows:
        row, reasons = parser(source)
        reasons = source.problems + reasons
        if reasons:
            result.reject(source, reasons)
        else:
            parsed.append((source, row))
    return parsed


def _drop_duplicates(
    result: FileResult,
    parsed: list[tuple[SourceRow, Any]],
    key: Callable[[Any], str],
    column: str,
) -> list[tuple[SourceRow, Any]]:
    duplicates = _duplicates(parsed, key, column)
    kept = []
    for source, row in parsed:
        if source.line in duplicates:
            result.reject(source, [duplicates[source.line]])
        else:
            kept.append((source, row))
    return kept


def _run(importer: Importer, body: Callable[[], None]) -> ImportReport:
    with _objects_held_before_left_alone():
        if importer.dry_run:
            with transaction.atomic():
                body()
                importer.duplicates.tell(importer.report)
                transaction.set_rollback(True)
        else:
            body()
            importer.duplicates.tell(importer.report)
    return importer.finish()


@contextmanager
def _objects_held_before_left_alone() -> Iterator[None]:
    """Keep Python's cycle collector off the objects held before the import (the modules,
    URLs and settings of a process that has loaded Django), which it would otherwise walk
    again and again as the import makes its records: a sixth of the import's time
    (issue 17 point 7). They are handed back to it afterwards; what the import makes is
    collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def import_tracker(
    *,
    children: Path | None = None,
    episodes: Path | None = None,
    dry_run: bool = False,
    progress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    actor: User | None = None,
    workers: int = 1,
) -> ImportReport:
    """Import the tracker's children.csv and episodes.csv (format 1), either or both, as
    `actor` (by default policy.default_import_actor())."""
    # Both files are read and their columns checked before anything is imported.
    children_csv = read_csv(children, CHILD_REQUIRED) if children else None
    episodes_csv = read_csv(episodes, EPISODE_REQUIRED) if episodes else None
    importer = Importer(
        source=TRACKER,
        dry_run=dry_run,
        progress=progress,
        chunk_rows=chunk_rows,
        actor=actor or default_import_actor(),
        workers=workers,
    )
    now, authorities = importer.now, importer.authorities

    def body() -> None:
        child_rows: list[tuple[SourceRow, ChildRow]] = []
        episode_rows: list[tuple[SourceRow, EpisodeRow]] = []
        children_result = episodes_result = None
        if children_csv is not None:
            children_result = FileResult(children_csv)
            importer.report.files.append(children_result)
            child_rows = _split(
                children_result, lambda s: parse_child(s.values, s.line, now, authorities)
            )
            child_rows = _drop_duplicates(
                children_result, child_rows, lambda row: row.child_ref, "child_ref"
            )
            importer.report.children.rejected = len(children_result.rejected)
            for source in children_csv.rows:
                if source.line in children_result.rejected:
                    importer.rejected_children[source.values.get("child_ref", "")] = (
                        f"{children_csv.path.name} line {source.line}"
                    )
        if episodes_csv is not None:
            episodes_result = FileResult(episodes_csv)
            importer.report.files.append(episodes_result)
            episode_rows = _split(episodes_result, lambda s: parse_episode(s.values, s.line, now))
            episode_rows = _drop_duplicates(
                episodes_result, episode_rows, lambda row: row.episode_ref, "episode_ref"
            )
            importer.report.episodes.rejected = len(episodes_result.rejected)
            importer.note_care_episodes(row for _, row in episode_rows)
        if episodes_result is None:
            if children_result is not None:
                importer.run_children(children_result, child_rows)
        else:
            where = children_csv.path.name if children_csv is not None else "the children file"
            importer.run_episodes(
                episodes_result,
                episode_rows,
                where,
                children_first=(children_result, child_rows) if children_result else None,
            )

    return _run(importer, body)


def import_police_notifications(
    path: Path,
    *,
    dry_run: bool = False,
    progress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    actor: User | None = None,
    workers: int = 1,
) -> ImportReport:
    """Import police missing-person notifications: each row a child part and an episode part.

    The parts go through the tracker's code, children first, then episodes, as if the file
    were a children.csv and an episodes.csv: a child seen on several rows is imported once,
    from its last row; a row whose child part has a problem is rejected whole, and a row
    whose child part landed but whose episode part did not is rejected for the episode.
    """
    notifications = read_csv(path, NOTIFICATION_REQUIRED)
    importer = Importer(
        source=POLICE_NOTIFICATION,
        dry_run=dry_run,
        progress=progress,
        chunk_rows=chunk_rows,
        actor=actor or default_import_actor(),
        workers=workers,
    )
    now, authorities = importer.now, importer.authorities
    result = FileResult(notifications)
    importer.report.files.append(result)

    def body() -> None:
        child_parts: dict[str, tuple[SourceRow, ChildRow]] = {}
        episode_rows: list[tuple[SourceRow, EpisodeRow]] = []
        for source in notifications.rows:
            child, child_reasons = parse_child(
                source.values, source.line, now, authorities, with_legal_status=False
            )
            episode, episode_reasons = parse_episode(source.values, source.line, now)
            reasons = source.problems + child_reasons + episode_reasons
            if reasons:
                result.reject(source, reasons)
                if child_reasons:
                    importer.report.children.rejected += 1
                    importer.rejected_children.setdefault(
                        source.values.get("child_ref", ""), f"{path.name} line {source.line}"
                    )
                importer.report.episodes.rejected += 1
                continue
            assert child is not None
            assert episode is not None
            child_parts[child.child_ref] = (source, child)  # the last row wins
            episode_rows.append((source, episode))
        before = len(episode_rows)
        episode_rows = _drop_duplicates(
            result, episode_rows, lambda row: row.episode_ref, "episode_ref"
        )
        importer.report.episodes.rejected += before - len(episode_rows)
        importer.note_care_episodes(row for _, row in episode_rows)
        importer.run_episodes(
            result, episode_rows, path.name, children_first=(result, list(child_parts.values()))
        )

    return _run(importer, body)
