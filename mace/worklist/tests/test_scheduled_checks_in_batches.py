"""The scheduled checks bring children in step a batch at a time (issue 17): what they write is
what `sync_child` of each child would write, a run with nothing changed writes nothing (the
reporting table included), only children that are due are checked, a change written around
the services to a child checked is still brought in step, and a deadline passing between
runs still escalates."""

import contextlib
import datetime
import io
import re

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.episodes.models import Episode
from mace.lib.concurrency import advisory_key, only_one
from mace.people.models import LegalStatus
from mace.people.tests.factories import ChildFactory
from mace.reports import facts as report_facts
from mace.reports.models import EpisodeFact
from mace.worklist import engine
from mace.worklist.models import DueItem, Notification, Recheck
from mace.worklist.scheduled import ONE_RUN, run_scheduled_checks

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
WRITES = ("INSERT", "UPDATE", "DELETE")


def report(users, team, *, hours_ago):
    """A child of the team, looked after, reported missing from care `hours_ago`."""
    child = ChildFactory(allocated_worker=users[Role.SOCIAL_WORKER], team=team)
    LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
    seen = timezone.now() - hours_ago * HOUR
    episode = episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="care",
        last_seen_at=seen,
        reported_at=seen + HOUR,
    )
    return child, episode


def items() -> list[tuple[object, ...]]:
    """Every item as the engine leaves it, less its row's own id and timestamps."""
    return list(
        DueItem.objects.order_by("key").values_list(
            "key",
            "rule",
            "title",
            "child_id",
            "episode_id",
            "assignee_id",
            "team_id",
            "role",
            "due_at",
            "status",
        )
    )


def facts_rows() -> list[tuple[object, ...]]:
    return list(EpisodeFact.objects.order_by("episode_id").values_list(*report_facts.COLUMNS))


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
    ]


def test_a_run_with_nothing_changed_writes_nothing(users, team):
    for hours in (30, 50, 100):
        report(users, team, hours_ago=hours)
    run_scheduled_checks()  # tells owners and managers of what is overdue, once
    before = (items(), facts_rows(), Notification.objects.count())
    with CaptureQueriesContext(connection) as queries:
        result = run_scheduled_checks()
    assert result.children_checked == 0  # none is due: their items cannot change yet
    assert writes(queries) == []
    # Their time comes, yet nothing changes: still nothing written but their recheck rows.
    rechecks = list(Recheck.objects.order_by("child_id").values_list("child_id", "due_at"))
    assert all(due_at is not None for _, due_at in rechecks)
    Recheck.objects.update(due_at=timezone.now() - HOUR)
    with CaptureQueriesContext(connection) as queries:
        result = run_scheduled_checks()
    assert result.children_checked == 3
    assert result.items is not None
    assert result.items.changed == 0
    assert [sql for sql in writes(queries) if Recheck._meta.db_table not in sql] == []
    assert not any(EpisodeFact._meta.db_table in q["sql"] for q in queries.captured_queries)
    assert (items(), facts_rows(), Notification.objects.count()) == before
    assert list(Recheck.objects.order_by("child_id").values_list("child_id", "due_at")) == (
        rechecks
    )
    assert report_facts.differences() == 0


def test_batches_write_what_syncing_each_child_alone_writes(users, team, monkeypatch):
    children = [report(users, team, hours_ago=hours)[0] for hours in (20, 30, 80, 200, 700)]
    DueItem.objects.all().delete()  # as if every item were still to be worked out
    for child in children:
        engine.sync_child(child)
    one_at_a_time = items()
    assert one_at_a_time
    DueItem.objects.all().delete()
    monkeypatch.setattr(engine, "SCHEDULED_BATCH", 2)  # three batches: 2, 2 and 1
    result = engine.sync_children_in_time([child.pk for child in children])
    assert result.created == len(one_at_a_time)
    assert items() == one_at_a_time


def test_an_episode_changed_around_the_services_brings_exactly_that_child_in_step(users, team):
    changed, episode = report(users, team, hours_ago=30)
    report(users, team, hours_ago=40)  # in step, so left alone
    run_scheduled_checks()
    Episode.objects.filter(pk=episode.pk).update(missing_from="home")  # no service, no refresh
    assert report_facts.out_of_step_children() == {changed.pk}
    assert run_scheduled_checks().children_checked == 0  # not due: not seen yet (the limit)
    Recheck.objects.filter(child=changed).delete()  # as for a child never checked yet
    with CaptureQueriesContext(connection) as queries:
        run_scheduled_checks()
    assert report_facts.differences() == 0
    assert EpisodeFact.objects.get(episode=episode).missing_from == "home"
    # The rows rewritten are the changed child's: `refresh` deletes them by child first.
    table = EpisodeFact._meta.db_table
    deleted = [
        {int(pk) for pk in match.split(",")}
        for sql in writes(queries)
        if sql.startswith("DELETE FROM") and table in sql
        for match in re.findall(rf'"{table}"\."child_id" IN \(([\d, ]+)\)', sql)
    ]
    assert deleted == [{changed.pk}]


def test_a_deadline_passing_between_runs_still_escalates(users, team, monkeypatch):
    manager = users[Role.MANAGER]
    report(users, team, hours_ago=23)
    first = run_scheduled_checks()
    assert first.warned >= 1
    soon = DueItem.objects.filter(warned_at__isnull=False, escalated_at__isnull=True)
    assert soon.exists()
    due_soon = list(soon.values_list("pk", flat=True))
    later = timezone.now() + 3 * HOUR
    monkeypatch.setattr(timezone, "now", lambda: later)
    second = run_scheduled_checks()
    assert second.overdue >= len(due_soon)
    assert not DueItem.objects.filter(pk__in=due_soon, escalated_at__isnull=True).exists()
    assert Notification.objects.filter(
        user=manager, kind="escalation", due_item_id__in=due_soon
    ).exists()


def test_only_children_due_are_checked_and_a_settings_change_makes_every_child_due(
    users, team, settings
):
    first, _ = report(users, team, hours_ago=30)
    second, _ = report(users, team, hours_ago=40)
    run_scheduled_checks()
    assert run_scheduled_checks().children_checked == 0
    Recheck.objects.filter(child=first).update(due_at=timezone.now() - HOUR)
    assert engine.children_to_check(timezone.now()) == [first.pk]
    assert run_scheduled_checks().children_checked == 1
    assert engine.children_to_check(timezone.now()) == []
    Recheck.objects.filter(child=second).delete()
    assert engine.children_to_check(timezone.now()) == [second.pk]
    run_scheduled_checks()
    settings.SUPERVISION_ACTIVE_DAYS = 10  # a different threshold: every row is stale
    assert engine.children_to_check(timezone.now()) == sorted([first.pk, second.pk])


def test_children_never_checked_wait_for_later_runs_while_every_run_escalates(users, team):
    """A go-live or a change of settings makes every child stale (20 minutes' work at national
    scale): each run takes at least a batch of them, up to its time, after telling owners
    and managers of what is overdue among the rest; the others wait for the next run."""
    manager = users[Role.MANAGER]
    overdue_child, _ = report(users, team, hours_ago=30)
    run_scheduled_checks()
    stale = [report(users, team, hours_ago=hours)[0] for hours in (20, 40, 60, 80, 100)]
    Recheck.objects.filter(child__in=stale).delete()  # never checked, as after a go-live
    # The overdue child's items are escalated again only if they were not: undo that, and
    # make its recheck time come, as time alone would.
    DueItem.objects.filter(child=overdue_child).update(escalated_at=None)
    Notification.objects.filter(kind="escalation").delete()
    Recheck.objects.filter(child=overdue_child).update(due_at=timezone.now() - HOUR)

    first = run_scheduled_checks(stale_for=0, batch=2)  # time is up after one batch

    assert (first.children_checked, first.children_waiting) == (1 + 2, 3)
    assert Notification.objects.filter(
        user=manager, kind="escalation", child=overdue_child
    ).exists()
    assert sorted(engine.children_to_check(timezone.now())) == sorted(c.pk for c in stale[2:])
    second = run_scheduled_checks(stale_for=0, batch=2)
    assert (second.children_checked, second.children_waiting) == (2, 1)
    last = run_scheduled_checks(stale_for=None, batch=2)  # --all: however long it takes
    assert (last.children_checked, last.children_waiting) == (1, 0)
    assert engine.children_to_check(timezone.now()) == []
    # What the slices wrote is what one run over every child writes.
    sliced = items()
    DueItem.objects.filter(child__in=stale).delete()
    Recheck.objects.filter(child__in=stale).delete()
    assert run_scheduled_checks(stale_for=None).children_checked == len(stale)
    assert items() == sliced


@contextlib.contextmanager
def checks_running_elsewhere():
    """Another process running the scheduled checks: on PostgreSQL its own connection holding
    the lock (a session's advisory lock is its own to take again), on SQLite the lock file
    held through another open file."""
    if connection.vendor != "postgresql":
        with only_one(ONE_RUN) as alone:
            assert alone
            yield
        return
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        held = other.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key(ONE_RUN)]).fetchone()
        assert held == (True,)
        yield


def test_one_run_of_the_checks_at_a_time(users, team):
    child, _ = report(users, team, hours_ago=30)
    Recheck.objects.all().delete()
    DueItem.objects.update(warned_at=None, escalated_at=None)
    held = (items(), Notification.objects.count())
    out = io.StringIO()
    with checks_running_elsewhere():
        call_command("run_scheduled_checks", stdout=out)
    assert "Another run of the scheduled checks is still going: this one stops." in out.getvalue()
    assert engine.children_to_check(timezone.now()) == [child.pk]  # nothing done
    assert (items(), Notification.objects.count()) == held
    assert not DueItem.objects.filter(escalated_at__isnull=False).exists()

    out = io.StringIO()
    call_command("run_scheduled_checks", stdout=out)  # the other run is over
    assert out.getvalue().startswith("Checked 1 children:")
    assert engine.children_to_check(timezone.now()) == []
    with only_one(ONE_RUN) as alone:
        assert alone  # the run let go of it


def test_the_command_says_how_many_children_wait_for_the_next_run(users, team, monkeypatch):
    for hours in (20, 40, 60):
        report(users, team, hours_ago=hours)
    Recheck.objects.all().delete()
    monkeypatch.setattr(engine, "SCHEDULED_BATCH", 1)
    out = io.StringIO()
    call_command("run_scheduled_checks", "--stale-seconds", "0", stdout=out)
    assert out.getvalue().startswith("Checked 1 children:")
    assert "2 children whose settings changed or who were never checked wait for the next run" in (
        out.getvalue()
    )
    out = io.StringIO()
    call_command("run_scheduled_checks", "--all", stdout=out)
    assert out.getvalue().startswith("Checked 2 children:")
    assert "wait for the next run" not in out.getvalue()
    assert engine.children_to_check(timezone.now()) == []
    with pytest.raises(CommandError, match="Give --stale-seconds of 0 or more"):
        call_command("run_scheduled_checks", "--stale-seconds", "-1")
