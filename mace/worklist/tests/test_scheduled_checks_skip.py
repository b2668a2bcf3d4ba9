"""The scheduled checks look only at children that are due (issue 17 point 6): for random
children, episodes, assessments and supervision, and random advances of the clock (to
random instants, to the next recheck time, and to just before it), checking only the
children due leaves exactly the items that checking every child would.

After the due children are checked at an instant, checking every child at the same instant
must change nothing: a child whose items time had changed but who was not due (a recheck
time too late) would be changed by it.
"""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.exploitation.tests.helpers import assess
from mace.meetings import services as meetings
from mace.people.models import Child, LegalStatus
from mace.people.tests.factories import ChildFactory
from mace.worklist import engine
from mace.worklist.models import DueItem, Recheck

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
INSTANT = datetime.timedelta(microseconds=1)
START = datetime.datetime(2026, 3, 20, 9, 30, tzinfo=datetime.UTC)  # near a clock change

# An episode: days after the one before (the first: after START less 150 days), and hours
# to the return (None: not returned; only the latest may be, and each returns before the
# next starts).
episode = st.tuples(st.integers(10, 140), st.none() | st.integers(1, 200))
child = st.fixed_dictionaries(
    {
        # Around 17 and a half, so T20's listing day falls within the advances.
        "age_days": st.integers(17 * 365 + 60, 17 * 365 + 260),
        "episodes": st.lists(episode, max_size=2),
        # None: no assessment; else whether it shows an open risk, and how long ago.
        "assessment": st.none() | st.tuples(st.booleans(), st.integers(0, 120)),
        # Supervision discussions, days from the start (some ahead of it).
        "supervision": st.lists(st.integers(-40, 45), max_size=2),
    }
)
step = st.one_of(
    st.tuples(st.just("by"), st.integers(1, 60 * 24 * 60)),  # minutes
    st.tuples(st.just("to_next"), st.just(0)),
    st.tuples(st.just("before_next"), st.just(0)),
)


def snapshot() -> list[tuple[object, ...]]:
    return list(
        DueItem.objects.order_by("key").values_list(
            "key", "rule", "title", "child_id", "assignee_id", "team_id", "role", "due_at", "status"
        )
    )


def make(users, team, spec) -> Child:
    worker = users[Role.SOCIAL_WORKER]
    today = START.date()
    made: Child = ChildFactory(  # type: ignore[assignment]
        allocated_worker=worker, team=team, date_of_birth=today - spec["age_days"] * DAY
    )
    LegalStatus.objects.create(child=made, status="CLA", start_date=datetime.date(2020, 1, 1))
    seen = START - 150 * DAY
    for index, (days_after, returned_after_hours) in enumerate(spec["episodes"]):
        seen += days_after * DAY
        if returned_after_hours is None and index < len(spec["episodes"]) - 1:
            returned_after_hours = 24
        recorded = episodes.episode_report(
            actor=users[Role.POLICE_OFFICER],
            child=made,
            kind="missing",
            missing_from="care",
            last_seen_at=seen,
            reported_at=seen + HOUR,
        )
        if returned_after_hours is not None:
            episodes.episode_record_return(
                actor=users[Role.POLICE_OFFICER],
                episode=recorded,
                returned_at=seen + returned_after_hours * HOUR,
            )
    if spec["assessment"] is not None:
        at_risk, days_ago = spec["assessment"]
        if at_risk:
            assess(worker, made, yes=["V1"], assessed_at=START - days_ago * DAY)
        else:
            assess(worker, made, no=["V1"], assessed_at=START - days_ago * DAY)
    for days in spec["supervision"]:
        meetings.supervision_record(
            actor=users[Role.MANAGER], child=made, held_on=today + days * DAY
        )
    return made


def next_due(now: datetime.datetime) -> datetime.datetime | None:
    return (
        Recheck.objects.filter(due_at__gt=now)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(children=st.lists(child, min_size=1, max_size=3), steps=st.lists(step, max_size=5))
def test_checking_only_due_children_leaves_the_items_checking_every_child_leaves(
    users, team, children, steps
):
    with transaction.atomic():
        made = [make(users, team, spec) for spec in children]
        ids = [c.pk for c in made]
        now = START
        engine.sync_children_in_time(ids, now)  # in step at the start, as a first run
        for how, minutes in steps:
            if how == "by":
                now += datetime.timedelta(minutes=minutes)
            else:
                upcoming = next_due(now)
                if upcoming is None:
                    continue
                now = upcoming if how == "to_next" else max(now, upcoming - INSTANT)
            due = engine.children_due(now)
            timed = [pk for pk, only_time in due.items() if only_time]
            engine.sync_children_in_time(list(due), now, only_time_passed=timed)
            after_due_only = snapshot()
            with transaction.atomic():
                everyone = engine.sync_children_in_time(ids, now)
                assert everyone.changed == 0, (how, now, everyone)
                assert snapshot() == after_due_only
                transaction.set_rollback(True)
        transaction.set_rollback(True)
