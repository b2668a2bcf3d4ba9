"""The tracker import writes a chunk of rows in one transaction (Importer.run_chunk): the
result is the one of writing them a row at a time, worklists and audit trail included."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mace.audit.models import AuditEvent
from mace.episodes.models import Episode, RiskGrading
from mace.imports.importer import import_tracker
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.people.models import (
    Child,
    ChildIdentifier,
    DuplicateReview,
    Involvement,
    LegalStatus,
    Placement,
)
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

from .test_import_tracker import (
    CHILD_COLUMNS,
    EPISODE_COLUMNS,
    child_row,
    episode_row,
    read_csv,
    write_csv,
)
from .test_import_tracker import providers as providers  # a fixture

pytestmark = pytest.mark.django_db


def files(tmp_path: Path, children: list[dict[str, str]], episodes: list[dict[str, str]]):
    return (
        write_csv(tmp_path / "children.csv", CHILD_COLUMNS, children),
        write_csv(tmp_path / "episodes.csv", EPISODE_COLUMNS, episodes),
    )


def a_busy_file(tmp_path: Path) -> tuple[Path, Path]:
    """Several episodes a child, out of order (T16's cycle starts at the earliest episode,
    so an earlier one arriving later moves it), across home and care, interviews offered,
    declined and completed, a companion, an update of an episode held after a new one of
    the same child, and rows rejected."""
    children = [
        child_row("C-1", date_of_birth="2014-03-01"),
        child_row("C-2", date_of_birth="2009-03-01", gender="male", legal_status="CLA"),
        child_row("C-3", date_of_birth="2010-07-01", placing_authority="Barnet"),
        child_row("C-4", date_of_birth="2010-07-01", gender="bad"),  # rejected
    ]
    episodes = [
        episode_row("E-1", "C-1", last_seen_at="2025-08-01T21:00", returned_at="2025-08-02T09:00"),
        episode_row(
            "E-2",
            "C-1",
            last_seen_at="2025-05-01T21:00",
            returned_at="2025-05-01T23:00",
            police_risk="medium",
            rhi_offered_at="2025-05-02T10:00",
            rhi_outcome="declined",
        ),
        episode_row(
            "E-3",
            "C-2",
            missing_from="care",
            legal_status="CLA",
            last_seen_at="2025-07-10T10:00",
            returned_at="2025-07-11T10:00",
            police_risk="high",
            rhi_offered_at="2025-07-12T10:00",
            rhi_outcome="completed",
            rhi_completed_at="2025-07-13T10:00",
        ),
        episode_row("E-4", "C-3", last_seen_at="2025-06-10T10:00", with_children="C-1"),
        episode_row("E-5", "C-4", last_seen_at="2025-06-10T10:00"),  # its child was rejected
        episode_row(
            "E-6",
            "C-2",
            kind="away",
            missing_from="care",
            legal_status="CLA",
            last_seen_at="2025-03-10T10:00",
            returned_at="2025-03-10T20:00",
            rhi_offered_at="2025-03-11T10:00",
        ),
        # With its return: E-0, held open, is given its return only by a later row, and a
        # child has one open episode at a time (issue 18).
        episode_row(
            "E-7",
            "C-1",
            last_seen_at="2025-02-01T21:00",
            returned_at="2025-02-02T09:00",
            police_risk="low",
        ),
        # E-0 is held: its row updates it after C-1's new episodes of this run.
        episode_row(
            "E-0",
            "C-1",
            last_seen_at="2025-10-05T21:00",
            returned_at="2025-10-06T08:00",
            rhi_offered_at="2025-10-07T10:00",
            rhi_outcome="no_contact",
        ),
        episode_row("E-8", "C-1", last_seen_at="2025-09-01T21:00", returned_at="2025-09-01T22:00"),
    ]
    return files(tmp_path, children, episodes)


def hold_an_episode() -> None:
    """C-1 is held already, with episode E-0 (imported before)."""
    child = ChildFactory.create(date_of_birth="2014-03-01")
    ChildIdentifier.objects.create(child=child, kind=ChildIdentifier.Kind.TRACKER, value="C-1")
    Episode.objects.create(
        child=child,
        police_reference="E-0",
        source_reference="E-0",
        kind="missing",
        missing_from="home",
        legal_status="CIN",
        last_seen_at="2025-10-05T20:00Z",
        reported_at="2025-10-05T20:00Z",
    )


_IDS = re.compile(r"(episode|child|assessment|authority):(\d+)")


def what_the_import_left() -> dict[str, Any]:
    """Every record the import writes, named by references rather than ids (a chunk
    written again on PostgreSQL takes new ids)."""
    episode_refs: dict[int | None, str | None] = dict(
        Episode.objects.values_list("pk", "police_reference")
    )
    child_refs = {child.pk: child.first_name + child.last_name for child in Child.objects.all()}
    names: dict[str, dict[Any, Any]] = {"episode": episode_refs, "child": child_refs}

    def key(item: DueItem) -> str:
        text = _IDS.sub(lambda m: f"{m[1]}:{names.get(m[1], {}).get(int(m[2]), m[2])}", item.key)
        if item.episode_id is not None:  # keys such as T2:parents:<episode>
            text = re.sub(rf":{item.episode_id}\b", f":{episode_refs[item.episode_id]}", text)
        return text

    def plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        return {k: v for k, v in values.items() if not k.endswith("id") and k != "reference"}

    return {
        "due": sorted(
            (
                key(item),
                item.rule,
                item.title,
                item.status,
                item.due_at,
                episode_refs.get(item.episode_id),
                item.role,
                item.closed_at is None,
            )
            for item in DueItem.objects.all()
        ),
        "episodes": sorted(
            Episode.objects.values_list(
                "police_reference", "kind", "missing_from", "reported_at", "returned_at"
            )
        ),
        "gradings": sorted(
            RiskGrading.objects.values_list("episode__police_reference", "grade", "reason")
        ),
        "interviews": sorted(
            ReturnInterview.objects.values_list(
                "episode__police_reference", "status", "provider_rule", "version", "completed_at"
            )
        ),
        "offers": sorted(
            InterviewOffer.objects.values_list(
                "interview__episode__police_reference", "offered_at", "response"
            )
        ),
        "involvements": sorted(
            Involvement.objects.values_list("child__last_name", "kind", "agency__name")
        ),
        "audit": [
            (e.action, e.object_type, e.summary, e.reason, plain(e.before), plain(e.after))
            for e in AuditEvent.objects.order_by("id")
        ],
    }


def import_and_look(children: Path, episodes: Path, chunk_rows: int):
    """Import, note what it left and what it said, and roll it all back."""
    with transaction.atomic():
        report = import_tracker(children=children, episodes=episodes, chunk_rows=chunk_rows)
        left = what_the_import_left()
        transaction.set_rollback(True)
    rejects = read_csv(episodes.with_name("episodes.rejects.csv"))
    return left, report.lines(), rejects


def test_a_chunk_leaves_what_rows_one_at_a_time_leave(tmp_path, providers):
    hold_an_episode()
    children, episodes = a_busy_file(tmp_path)

    one_at_a_time = import_and_look(children, episodes, chunk_rows=1)
    in_one_chunk = import_and_look(children, episodes, chunk_rows=500)
    in_chunks_of_three = import_and_look(children, episodes, chunk_rows=3)

    left, said, rejects = one_at_a_time
    assert "Episodes: 7 created, 1 updated, 0 unchanged, 1 rejected" in said
    assert [row["episode_ref"] for row in rejects] == ["E-5"]
    # The case that needs each row's state replayed: C-1's supervision cycle started at
    # E-0's day (its child row), then at E-1's, E-2's and E-7's, each earlier; the ones
    # before close as not needed.
    cycles = [item for item in left["due"] if item[1] == "T16" and "Test-C-1" in item[0]]
    assert len(cycles) == 4
    assert sum(item[3] == DueItem.Status.NOT_NEEDED for item in cycles) == 3
    assert in_one_chunk == one_at_a_time
    assert in_chunks_of_three == one_at_a_time


def what_the_new_children_are() -> dict[str, Any]:
    """The children an import created and what it made with them, named by tracker
    reference (the ids differ between runs)."""
    refs = dict(
        ChildIdentifier.objects.filter(kind=ChildIdentifier.Kind.TRACKER).values_list(
            "child_id", "value"
        )
    )
    return {
        "children": sorted(
            (refs[c.pk], c.first_name, c.last_name, c.reference == f"MC-{c.pk:06d}")
            for c in Child.objects.filter(pk__in=refs)
        ),
        "legal_statuses": sorted(
            (refs[child_id], status, start, end)
            for child_id, status, start, end in LegalStatus.objects.values_list(
                "child_id", "status", "start_date", "end_date"
            )
        ),
        "placements": sorted(
            (refs[child_id], kind, placing, start)
            for child_id, kind, placing, start in Placement.objects.values_list(
                "child_id", "kind", "placing_authority__name", "start_date"
            )
        ),
        "reviews": sorted(
            (refs.get(new), refs.get(matched, "held"), reason)
            for new, matched, reason in DuplicateReview.objects.values_list(
                "new_child_id", "matched_child_id", "found_at"
            )
        ),
    }


def import_new_children_and_look(children: Path, episodes: Path, chunk_rows: int):
    with transaction.atomic():
        report = import_tracker(children=children, episodes=episodes, chunk_rows=chunk_rows)
        left = {**what_the_import_left(), **what_the_new_children_are()}
        # A reference is MC- and the id, and PostgreSQL does not give ids back on a rollback:
        # the audit trail names each child by its tracker reference here.
        tracker_refs = dict(
            ChildIdentifier.objects.values_list("child__reference", "value").filter(
                kind=ChildIdentifier.Kind.TRACKER
            )
        )
        left["audit"] = [
            re.sub(r"MC-\d{6}", lambda m: tracker_refs.get(m[0], m[0]), repr(event))
            for event in left["audit"]
        ]
        transaction.set_rollback(True)
    return left, report.lines(), read_csv(children.with_name("children.rejects.csv"))


def test_new_children_together_leave_what_they_leave_one_at_a_time(tmp_path, providers):
    """A chunk's new children are staged and inserted together (on PostgreSQL, their ids
    taken first): their records, references, reviews of possible duplicates (among
    themselves too) and audit trail are those of writing each on its own."""
    ChildFactory.create(first_name="Ottilie", last_name="Wainwright", date_of_birth="2011-03-09")
    children, episodes = files(
        tmp_path,
        [
            child_row(
                "N-1", first_name="Ottilie", last_name="Wainright", date_of_birth="2011-03-09"
            ),
            child_row("N-2", legal_status="CLA", placing_authority="Barnet"),
            child_row("N-3", gender="bad"),  # rejected when read
            child_row(
                "N-4", first_name="Ottilie", last_name="Wainwrite", date_of_birth="2011-03-09"
            ),
            child_row("N-5", legal_status="CIN", ethnicity="WBRI", uasc="Y", area="North"),
        ],
        [
            episode_row("P-1", "N-2", missing_from="care", legal_status="CLA"),
            episode_row("P-2", "N-5", with_children="N-1"),
        ],
    )

    one_at_a_time = import_new_children_and_look(children, episodes, chunk_rows=1)
    together = import_new_children_and_look(children, episodes, chunk_rows=500)
    in_twos = import_new_children_and_look(children, episodes, chunk_rows=2)

    left, said, rejects = one_at_a_time
    assert "Children: 4 created, 0 updated, 0 unchanged, 1 rejected" in said
    assert [row["child_ref"] for row in rejects] == ["N-3"]
    assert all(made_here for *_, made_here in left["children"])
    assert len(left["reviews"]) >= 3  # N-1 and N-4 with the held child, N-4 with N-1
    assert (
        "N-2",
        "other",
        "Barnet",
    ) in [p[:3] for p in left["placements"]]
    assert together == one_at_a_time
    assert in_twos == one_at_a_time


def _five_children_in_date_order(tmp_path):
    """Five children and twenty episodes in date order: each child's spread over the file,
    each with its return (a child has one open episode at a time, issue 18)."""
    return files(
        tmp_path,
        [child_row(f"C-{n}") for n in range(5)],
        [
            episode_row(
                f"E-{n}",
                f"C-{n % 5}",
                last_seen_at=f"2025-06-{n + 1:02d}T10:00",
                returned_at=f"2025-06-{n + 1:02d}T12:00",
            )
            for n in range(20)
        ],
    )


def test_a_chunk_brings_each_child_in_step_once(tmp_path, providers):
    children, episodes = _five_children_in_date_order(tmp_path)
    import_tracker(children=children)

    with CaptureQueriesContext(connection) as queries:
        report = import_tracker(episodes=episodes)

    assert report.episodes.created == 20
    items_read = [q for q in queries if 'FROM "worklist_dueitem"' in q["sql"]]
    assert len(items_read) == 1  # one sync of the chunk's five children, not twenty
    assert DueItem.objects.filter(rule="T1").count() == 20


def test_a_childs_episodes_spread_over_the_file_are_written_together_and_synced_once(
    tmp_path, providers
):
    # A tracker in date order: each child's episodes spread over the file, four children in
    # every four rows. In chunks of four rows as they come, every chunk would bring each
    # child in step again, reading their whole history each time (issue 17 point 7).
    children, episodes = _five_children_in_date_order(tmp_path)
    import_tracker(children=children)
    with transaction.atomic():
        import_tracker(episodes=episodes, chunk_rows=1)
        one_at_a_time = what_the_import_left()["due"]
        transaction.set_rollback(True)

    with CaptureQueriesContext(connection) as queries:
        report = import_tracker(episodes=episodes, chunk_rows=4)

    assert report.episodes.created == 20
    items_read = [q["sql"] for q in queries if 'FROM "worklist_dueitem"' in q["sql"]]
    children_synced = [
        int(pk) for sql in items_read for pk in re.findall(r"\d+", sql.split(" IN (")[1])
    ]
    assert sorted(children_synced) == sorted(Child.objects.values_list("pk", flat=True))
    # Each chunk holds one child's four rows, in the order of the file.
    first_changes = list(
        AuditEvent.objects.filter(object_type="episodes.episode")
        .order_by("id")
        .values_list("reason", flat=True)
    )
    assert first_changes[:4] == [f"episodes.csv line {line}" for line in (2, 7, 12, 17)]
    assert what_the_import_left()["due"] == one_at_a_time


def refuse_gradings_of(reference: str) -> None:
    """The database refuses the risk grading of that episode (a trigger): a failure only
    found when the chunk's staged rows are inserted."""
    assert re.fullmatch(r"[A-Z0-9-]+", reference)  # so it goes in the SQL as it is
    check = (
        f"(SELECT police_reference FROM episodes_episode WHERE id = NEW.episode_id) = '{reference}'"  # noqa: S608
    )
    if connection.vendor == "postgresql":
        statements = [
            "CREATE FUNCTION refuse_gradings() RETURNS trigger AS $$ BEGIN "
            f"IF {check} THEN RAISE EXCEPTION 'refused by the test'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_gradings BEFORE INSERT ON episodes_riskgrading "
            "FOR EACH ROW EXECUTE FUNCTION refuse_gradings()",
        ]
    else:
        statements = [
            "CREATE TRIGGER refuse_gradings BEFORE INSERT ON episodes_riskgrading "
            f"WHEN {check} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_one_bad_row_in_a_chunk_loses_nothing_else(tmp_path, providers):
    children, episodes = files(
        tmp_path,
        [child_row("C-1"), child_row("C-2")],
        [
            # Each but the last of a child with its return: one open episode at a time.
            episode_row("E-1", "C-1", police_risk="medium", returned_at="2025-06-01T23:00"),
            episode_row("E-2", "C-2", police_risk="medium", last_seen_at="2025-06-02T10:00"),
            episode_row(
                "E-3",
                "C-1",
                police_risk="high",
                last_seen_at="2025-06-03T10:00",
                returned_at="2025-06-03T12:00",
            ),
            episode_row(
                "E-4",
                "C-2",
                police_risk="low",
                last_seen_at="2025-06-04T10:00",
                returned_at="2025-06-04T12:00",
            ),
            episode_row("E-5", "C-1", police_risk="low", last_seen_at="2025-06-05T10:00"),
        ],
    )
    refuse_gradings_of("E-3")

    report = import_tracker(children=children, episodes=episodes)

    assert str(report.episodes) == "4 created, 0 updated, 0 unchanged, 1 rejected"
    assert sorted(Episode.objects.values_list("police_reference", flat=True)) == [
        "E-1",
        "E-2",
        "E-4",
        "E-5",
    ]
    assert RiskGrading.objects.count() == 4
    (reject,) = read_csv(episodes.with_name("episodes.rejects.csv"))
    assert reject["episode_ref"] == "E-3"
    assert "nothing of it was written" in reject["reasons"]
    # The good rows' worklists and audit trail are whole; nothing of E-3's.
    assert set(
        DueItem.objects.filter(rule="T1").values_list("episode__police_reference", flat=True)
    ) == {
        "E-1",
        "E-2",
        "E-4",
        "E-5",
    }
    assert not AuditEvent.objects.filter(reason="episodes.csv line 4").exists()
    assert AuditEvent.objects.filter(reason="episodes.csv line 5").exists()
