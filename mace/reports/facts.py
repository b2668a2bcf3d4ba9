"""Keeping the reporting table (`EpisodeFact`, issue 9) in step with the records.

One query says what every row holds (`source`); `refresh` replaces the rows of some children
(or all of them) with what that query gives, in one INSERT ... SELECT, so the rows are worked
out by the database and never pass through Python. `worklist.engine.sync_child` calls it for
its child, in the same transaction as the change; `generate_national` and
`report facts --rebuild` call it for everyone. `differences` counts rows that are not what
`source` would give: zero, unless something wrote around the services;
`out_of_step_children` names whose rows they are, for `report facts --repair`.
"""

import contextlib
import datetime
import zoneinfo
from collections.abc import Collection, Iterator
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractHour,
    ExtractIsoWeekDay,
    ExtractMonth,
    ExtractYear,
)
from django.db.models.lookups import IsNull

from mace.episodes.models import Episode
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.lib.days import age_on_in_database
from mace.reports.models import EpisodeFact

EIGHTEEN_HOURS = datetime.timedelta(hours=18)
SEVENTY_TWO_HOURS = datetime.timedelta(hours=72)

# EpisodeFact's columns, in the order `source` selects them.
COLUMNS = (
    "episode_id",
    "child_id",
    "last_seen_at",
    "local_year",
    "local_month",
    "local_day",
    "local_hour",
    "local_weekday",
    "kind",
    "missing_from",
    "legal_status",
    "placement_kind",
    "placing_authority",
    "host_authority",
    "with_other_children",
    "push_pull_factors",
    "ended",
    "short",
    "gender",
    "age",
    "ethnicity",
    "area",
    "known_to_camhs",
    "rhi_offered",
    "rhi_offered_within_72h",
    "rhi_accepted",
    "rhi_completed",
    "rhi_completed_within_72h",
    "rhi_declined",
)


def _flag(condition: Q | Combinable) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _any(rows: "QuerySet[Any]") -> IsNull:
    """Whether any such row exists, asked of each episode through the index: a scalar subquery
    with LIMIT 1. PostgreSQL may answer an EXISTS with a hashed subplan that reads every offer
    and interview held, whatever the episodes asked about (600 ms for any refresh at regional
    scale); it never hashes a scalar subquery, so the cost follows the episodes refreshed."""
    return IsNull(Subquery(rows.order_by().values("pk")[:1]), False)


def source(episodes: "QuerySet[Episode] | None" = None) -> "QuerySet[Episode, tuple[object, ...]]":
    """What each episode's row holds, worked out by the database. A merged child's episodes
    have moved to the kept record, so a merged record has none."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    offers = InterviewOffer.objects.filter(interview__episode_id=OuterRef("pk"))
    companions = Episode.with_children.through.objects.filter(episode_id=OuterRef("pk"))
    done = [ReturnInterview.Status.ACCEPTED, ReturnInterview.Status.COMPLETED]
    return (
        (Episode.objects.all() if episodes is None else episodes)
        .filter(child__merged_into__isnull=True)
        .annotate(
            episode_id=F("pk"),
            local_year=ExtractYear("last_seen_at", tzinfo=zone),
            local_month=ExtractMonth("last_seen_at", tzinfo=zone),
            local_day=ExtractDay("last_seen_at", tzinfo=zone),
            local_hour=ExtractHour("last_seen_at", tzinfo=zone),
            local_weekday=ExtractIsoWeekDay("last_seen_at", tzinfo=zone),
            placement_kind=Coalesce(F("placement__kind"), Value("")),
            placing_authority=Coalesce(F("placement__placing_authority__ons_code"), Value("")),
            host_authority=Coalesce(F("placement__host_authority__ons_code"), Value("")),
            # Missing in association (000): the episode names another child missing with them.
            with_other_children=_flag(_any(companions)),
            ended=_flag(Q(returned_at__isnull=False)),
            short=_flag(Q(returned_at__lte=F("last_seen_at") + EIGHTEEN_HOURS)),
            gender=F("child__gender"),
        )
        .annotate(
            age=age_on_in_database(
                "child__date_of_birth", year="local_year", month="local_month", day="local_day"
            ),
            ethnicity=F("child__ethnicity"),
            area=F("child__area"),
            known_to_camhs=F("child__known_to_camhs"),
            rhi_offered=_flag(_any(offers)),
            # An offer no later than 72 hours after the return: so the first one was.
            rhi_offered_within_72h=_flag(
                _any(offers.filter(offered_at__lte=OuterRef("returned_at") + SEVENTY_TWO_HOURS))
            ),
            rhi_accepted=_flag(
                Q(return_interview__status__in=done)
                | _any(offers.filter(response=InterviewOffer.Response.ACCEPTED))
            ),
            rhi_completed=_flag(Q(return_interview__status=ReturnInterview.Status.COMPLETED)),
            rhi_completed_within_72h=_flag(
                Q(
                    return_interview__status=ReturnInterview.Status.COMPLETED,
                    return_interview__completed_at__lte=F("returned_at") + SEVENTY_TWO_HOURS,
                )
            ),
            rhi_declined=_flag(Q(return_interview__status=ReturnInterview.Status.DECLINED)),
        )
        .order_by()
        .values_list(*COLUMNS)
    )


@transaction.atomic
def refresh(child_ids: Collection[int] | None = None) -> None:
    """Replace the rows of these children's episodes (everyone's, given None) with what
    `source` gives. A row whose episode moved to another child in a merge goes too."""
    if child_ids is None:
        EpisodeFact.objects.all().delete()
        episodes = None
    else:
        ids = list(child_ids)
        episodes = Episode.objects.filter(child_id__in=ids)
        # Two indexed deletes: one condition ORed across the join would scan every row.
        EpisodeFact.objects.filter(child_id__in=ids).delete()
        EpisodeFact.objects.filter(episode_id__in=episodes.values("pk")).delete()
    rows = source(episodes)
    if child_ids is None:
        # In the order the report reads them: a year's rows then lie together on disk. Later
        # rows come mostly in that order anyway, as episodes are recorded.
        rows = rows.order_by("last_seen_at")
    sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in COLUMNS)  # the fields' own column names
    many = None if child_ids is None else len(ids)
    with _planned(many, BY_INDEX), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(EpisodeFact._meta.db_table)} ({columns}) {sql}",
            params,
        )


def out_of_step_children(among: Collection[int] | None = None) -> set[int]:
    """The children with a row missing, extra or not what `source` gives: what `refresh` of
    just them repairs (a row left behind by a merge names the child it was under). Given
    `among`, only those children's rows are compared: an episode moved to one of them by a
    merge has no row under them yet, so they are named, and `refresh` of them removes the
    row left under the merged record too."""
    stored = EpisodeFact.objects.order_by()
    episodes = Episode.objects.all()
    if among is not None:
        ids = list(among)
        stored = stored.filter(child_id__in=ids)
        episodes = episodes.filter(child_id__in=ids)
    held = stored.values_list(*COLUMNS)
    given = source(episodes)
    child = COLUMNS.index("child_id")
    with _planned(None if among is None else len(ids), NOT_COMPILED):
        return {
            cast(int, row[child])
            for rows in (given.difference(held), held.difference(given))
            for row in rows
        }


# From how many children a statement over their episodes is worth compiling no more.
JIT_OFF_FROM = 100

# What a statement over many children's episodes runs with (`_planned`): not compiled, and,
# for `refresh`, the cost of reading a page out of order as on a disk that has no seek (the
# default, 4, is a spinning disk's). With the default the planner, expecting seven episodes
# a child, merge-joined every child held (an index scan of all of them, in parallel) and
# hashed every placement to write the rows of a chunk of the import's new children, who
# have one or two: 47 ms at regional scale where reading by index takes 15 ms (a batch of 500
# children with ten years' history: 280 ms and 163 ms). The comparison is not given it: for
# some batches it was slower so (248 ms and 305 ms).
NOT_COMPILED = {"jit": "off"}
BY_INDEX = {**NOT_COMPILED, "random_page_cost": "1.1"}


@contextlib.contextmanager
def _planned(children: int | None, settings: dict[str, str]) -> Iterator[None]:
    """The statement within runs with these planner settings, when it is over many
    children's rows (`JIT_OFF_FROM` or more; not the whole table, None), in the transaction
    only, and they are put back as they were.

    JIT: PostgreSQL compiles a statement to machine code when its estimated cost is high,
    as `source`'s subqueries for each episode make it for a few thousand episodes read by
    index: compiling was 200 ms of a 450 ms comparison of 500 children at regional scale.
    For the whole table it pays for itself. For a few children the statement is cheap enough
    as planned, and two more round trips would cost more than they save."""
    if children is None or children < JIT_OFF_FROM or connection.vendor != "postgresql":
        yield
        return
    names = sorted(settings)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in names),
            [value for name in names for value in (name, name, settings[name])],
        )
        row = cursor.fetchone()
        before = [row[2 * n] for n in range(len(names))]
        yield
        # Not on an error: that rolls the transaction or its savepoint back, and the settings
        # with it, and the connection may be gone.
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
            [value for name, was in zip(names, before, strict=True) for value in (name, was)],
        )


def differences() -> int:
    """How many rows are missing, extra or not what `source` gives (0 when in step)."""
    stored = EpisodeFact.objects.order_by().values_list(*COLUMNS)
    return source().difference(stored).count() + stored.difference(source()).count()
