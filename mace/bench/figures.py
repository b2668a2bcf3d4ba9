"""The annual report's figures four ways, for the benchmark (issue 9): MACE's own report, the
best single hand-written SQL query over MACE's tables, pandas over the year's tracker CSV
(what analysts do today) and DuckDB over the same rows in memory (a columnar engine: the
practical limit on this hardware).

Each gives the figures SPEC section 5 names, in one plain form (`Core`), so the benchmark
can check that all four agree before it compares their times: a faster wrong answer is no
answer. The definitions are SPEC section 5's: the period in local time, both dates inclusive;
an episode of exactly 18 hours is "18 hours or less"; an interview is "offered within 72
hours" when its first offer is no later than 72 hours after the return.
"""

import csv
import datetime
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField, Exists, OuterRef, Subquery

from mace.episodes.models import Episode
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.people.models import Child, Gender, LegalStatusKind
from mace.reports.annual import Period

STATUSES = [status.value for status in LegalStatusKind]
GENDERS = [gender.value for gender in Gender]
MONTHLY_KEYS = ("missing_from_home", "missing_from_care", "away_from_placement")
RHI_KEYS = ("offered", "offered_within_72h", "accepted", "completed", "declined")

Core = dict[str, Any]


def core_of_report(report: dict[str, Any]) -> Core:
    """The SPEC section 5 figures of `annual.build`'s output."""
    return {
        "episodes": report["episodes"],
        "children": report["children"],
        "episodes_by_legal_status": report["episodes_by_legal_status"],
        "children_by_legal_status": report["children_by_legal_status"],
        "children_with_more_than_one_episode": report["children_with_more_than_one_episode"],
        "episodes_18h_or_less": report["episodes_18h_or_less"],
        "found": report["found"],
        "still_missing": report["still_missing"],
        "episodes_by_hour_started": report["episodes_by_hour_started"],
        "by_gender": report["by_gender"],
        "monthly": report["monthly"],
        # The figures the baselines count: not the completions within 72 hours (issue 20),
        # which the tracker's columns here do not give.
        "rhi": {key: report["rhi"][key] for key in RHI_KEYS},
    }


def _core(
    *,
    period: Period,
    episodes: int,
    children: int,
    by_status: dict[str, int],
    children_by_status: dict[str, int],
    repeat: int,
    short: int,
    found: int,
    by_hour: dict[int, int],
    by_gender: dict[str, int],
    monthly: dict[tuple[str, str], int],
    rhi: dict[str, int],
) -> Core:
    """Fill in the zeros and order the keys as the report does."""
    return {
        "episodes": int(episodes),
        "children": int(children),
        "episodes_by_legal_status": {s: int(by_status.get(s, 0)) for s in STATUSES},
        "children_by_legal_status": {s: int(children_by_status.get(s, 0)) for s in STATUSES},
        "children_with_more_than_one_episode": int(repeat),
        "episodes_18h_or_less": int(short),
        "found": int(found),
        "still_missing": int(episodes) - int(found),
        "episodes_by_hour_started": [int(by_hour.get(hour, 0)) for hour in range(24)],
        "by_gender": {g: int(by_gender.get(g, 0)) for g in GENDERS},
        "monthly": [
            {"month": month, **{key: int(monthly.get((month, key), 0)) for key in MONTHLY_KEYS}}
            for month in period.months()
        ],
        "rhi": {key: int(rhi.get(key, 0)) for key in RHI_KEYS},
    }


def _table(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def sql_query() -> str:
    """One statement, PostgreSQL: the period's episodes once, then every figure from them."""
    episode, child = _table(Episode), _table(Child)
    interview, offer = _table(ReturnInterview), _table(InterviewOffer)
    # Table names from the models' own metadata, quoted; every value is a parameter.
    return f"""
WITH e AS MATERIALIZED (
    SELECT ep.id, ep.child_id, ep.kind, ep.missing_from, ep.legal_status, ep.returned_at,
           ep.returned_at - ep.last_seen_at <= interval '18 hours' AS short,
           ep.last_seen_at AT TIME ZONE %(zone)s AS local_seen, c.gender
    FROM {episode} ep JOIN {child} c ON c.id = ep.child_id
    WHERE ep.last_seen_at >= %(first)s AND ep.last_seen_at < %(after)s
      AND c.merged_into_id IS NULL
), ri AS (
    SELECT r.status, e.returned_at,
           min(o.offered_at) AS first_offer,
           coalesce(bool_or(o.response = 'accepted'), false) AS any_accepted
    FROM e JOIN {interview} r ON r.episode_id = e.id
    LEFT JOIN {offer} o ON o.interview_id = r.id
    GROUP BY r.id, r.status, e.returned_at
), per_child AS (
    SELECT child_id, count(*) AS n FROM e GROUP BY child_id
)
SELECT
  (SELECT count(*) FROM e),
  (SELECT count(*) FROM per_child),
  (SELECT json_object_agg(legal_status, n) FROM
     (SELECT legal_status, count(*) AS n FROM e GROUP BY legal_status) t),
  (SELECT json_object_agg(legal_status, n) FROM
     (SELECT legal_status, count(DISTINCT child_id) AS n FROM e GROUP BY legal_status) t),
  (SELECT count(*) FROM per_child WHERE n > 1),
  (SELECT count(*) FROM e WHERE short),
  (SELECT count(*) FROM e WHERE returned_at IS NOT NULL),
  (SELECT json_object_agg(h, n) FROM
     (SELECT extract(hour FROM local_seen)::int AS h, count(*) AS n FROM e GROUP BY 1) t),
  (SELECT json_object_agg(gender, n) FROM
     (SELECT gender, count(DISTINCT child_id) AS n FROM e GROUP BY gender) t),
  (SELECT json_agg(json_build_array(m, k, n)) FROM
     (SELECT to_char(local_seen, 'YYYY-MM') AS m,
             CASE WHEN kind = 'away' THEN 'away_from_placement'
                  WHEN missing_from = 'care' THEN 'missing_from_care'
                  ELSE 'missing_from_home' END AS k,
             count(DISTINCT child_id) AS n
      FROM e GROUP BY 1, 2) t),
  (SELECT json_build_object(
     'offered', count(*) FILTER (WHERE first_offer IS NOT NULL),
     'offered_within_72h', count(*) FILTER (
        WHERE first_offer IS NOT NULL AND returned_at IS NOT NULL
          AND first_offer <= returned_at + interval '72 hours'),
     'accepted', count(*) FILTER (
        WHERE status IN ('accepted', 'completed') OR any_accepted),
     'completed', count(*) FILTER (WHERE status = 'completed'),
     'declined', count(*) FILTER (WHERE status = 'declined'))
   FROM ri)
"""  # noqa: S608


def by_sql(period: Period) -> Core:
    first, after = period.bounds
    with connection.cursor() as cursor:
        cursor.execute(sql_query(), {"zone": settings.TIME_ZONE, "first": first, "after": after})
        row = cursor.fetchone()
    assert row is not None
    (episodes, children, by_status, children_by_status, repeat, short, found) = row[:7]
    by_hour, by_gender, monthly, rhi = (_json(value) for value in row[7:])
    return _core(
        period=period,
        episodes=episodes,
        children=children,
        by_status=_json(by_status) or {},
        children_by_status=_json(children_by_status) or {},
        repeat=repeat,
        short=short,
        found=found,
        by_hour={int(hour): n for hour, n in (by_hour or {}).items()},
        by_gender=by_gender or {},
        monthly={(m, k): n for m, k, n in (monthly or [])},
        rhi=rhi or {},
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


# The year's tracker CSV -----------------------------------------------------------------------

TRACKER_COLUMNS = [
    "episode_ref",
    "child_ref",
    "kind",
    "missing_from",
    "legal_status",
    "last_seen_at",
    "returned_at",
    "rhi_offered_at",
    "rhi_outcome",
    "rhi_accepted",
]
CHILDREN_COLUMNS = ["child_ref", "gender"]
# The tracker's rhi_outcome for each interview status; the others have none yet.
OUTCOMES = {"completed": "completed", "declined": "declined", "no_contact": "no_contact"}


def export_tracker(period: Period, directory: Path) -> tuple[Path, Path]:
    """The period's episodes and their children as the tracker's episodes.csv and
    children.csv (SPEC section 5, with the columns these figures read, and `rhi_accepted`,
    which the tracker has no column for), datetimes in UTC with their offset."""
    first, after = period.bounds
    offers = InterviewOffer.objects.filter(interview__episode=OuterRef("pk"))
    rows = (
        Episode.objects.filter(
            last_seen_at__gte=first, last_seen_at__lt=after, child__merged_into__isnull=True
        )
        .annotate(
            first_offer=Subquery(
                offers.order_by("offered_at").values("offered_at")[:1],
                output_field=DateTimeField(),
            ),
            accepted=Exists(offers.filter(response=InterviewOffer.Response.ACCEPTED)),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "child_id",
            "kind",
            "missing_from",
            "legal_status",
            "last_seen_at",
            "returned_at",
            "return_interview__status",
            "first_offer",
            "accepted",
            "child__gender",
        )
    )
    episodes_path, children_path = directory / "episodes.csv", directory / "children.csv"
    genders: dict[int, str] = {}
    with episodes_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRACKER_COLUMNS)
        for row in rows.iterator(chunk_size=10_000):
            pk, child_id, kind, missing_from, status, seen, returned, *rest = row
            rhi_status, offered, accepted, gender = rest
            genders[child_id] = gender
            if rhi_status:
                outcome = OUTCOMES.get(rhi_status, "")
                took_up = "Y" if accepted or rhi_status in {"accepted", "completed"} else "N"
            else:
                outcome = took_up = ""
            writer.writerow(
                [
                    f"E{pk}",
                    f"C{child_id}",
                    kind,
                    missing_from,
                    status,
                    _utc(seen),
                    _utc(returned),
                    _utc(offered),
                    outcome,
                    took_up,
                ]
            )
    with children_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CHILDREN_COLUMNS)
        writer.writerows([f"C{pk}", gender] for pk, gender in sorted(genders.items()))
    return episodes_path, children_path


def _utc(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# pandas ------------------------------------------------------------------------------------


def by_pandas(period: Period, episodes_csv: Path, children_csv: Path) -> Core:
    """As an analyst would: read both files, join, convert to UK time, count."""
    import pandas as pd

    episodes = pd.read_csv(
        episodes_csv,
        dtype={"kind": "category", "missing_from": "category", "legal_status": "category"},
        keep_default_na=False,
        na_values={"returned_at": [""], "rhi_offered_at": [""]},
    )
    children = pd.read_csv(children_csv, dtype={"gender": "category"})
    frame = episodes.merge(children, on="child_ref", how="left")
    fmt = "%Y-%m-%dT%H:%M:%S%z"
    seen = pd.to_datetime(frame["last_seen_at"], format=fmt, utc=True)
    returned = pd.to_datetime(frame["returned_at"], format=fmt, utc=True)
    offered = pd.to_datetime(frame["rhi_offered_at"], format=fmt, utc=True)
    first, after = period.bounds
    inside = (seen >= pd.Timestamp(first)) & (seen < pd.Timestamp(after))
    frame, seen, returned, offered = frame[inside], seen[inside], returned[inside], offered[inside]
    local = seen.dt.tz_convert(settings.TIME_ZONE)

    ended = returned.notna()
    per_child = frame["child_ref"].value_counts()
    kind_key = pd.Series("missing_from_home", index=frame.index)
    kind_key[frame["missing_from"] == "care"] = "missing_from_care"
    kind_key[frame["kind"] == "away"] = "away_from_placement"
    month = local.dt.strftime("%Y-%m")
    monthly = (
        pd.DataFrame({"m": month, "k": kind_key, "c": frame["child_ref"]})
        .groupby(["m", "k"])["c"]
        .nunique()
    )
    was_offered = offered.notna()
    return _core(
        period=period,
        episodes=len(frame),
        children=len(per_child),
        by_status=frame["legal_status"].value_counts().to_dict(),
        children_by_status=frame.groupby("legal_status", observed=True)["child_ref"]
        .nunique()
        .to_dict(),
        repeat=int((per_child > 1).sum()),
        short=int((ended & ((returned - seen) <= pd.Timedelta(hours=18))).sum()),
        found=int(ended.sum()),
        by_hour=local.dt.hour.value_counts().to_dict(),
        by_gender=frame.drop_duplicates("child_ref")["gender"].value_counts().to_dict(),
        monthly={(m, k): n for (m, k), n in monthly.items()},
        rhi={
            "offered": int(was_offered.sum()),
            "offered_within_72h": int(
                (was_offered & ended & (offered <= returned + pd.Timedelta(hours=72))).sum()
            ),
            "accepted": int((frame["rhi_accepted"] == "Y").sum()),
            "completed": int((frame["rhi_outcome"] == "completed").sum()),
            "declined": int((frame["rhi_outcome"] == "declined").sum()),
        },
    )


# DuckDB ------------------------------------------------------------------------------------


def duckdb_load(period: Period, episodes_csv: Path, children_csv: Path) -> Any:
    """An in-memory DuckDB holding the same rows, UK local time beside each moment (DuckDB's
    time zones need its ICU extension, which cannot be fetched here)."""
    import duckdb
    import pandas as pd

    episodes = pd.read_csv(episodes_csv, keep_default_na=False)
    children = pd.read_csv(children_csv)
    fmt = "%Y-%m-%dT%H:%M:%S%z"
    for column in ("last_seen_at", "returned_at", "rhi_offered_at"):
        moments = pd.to_datetime(episodes[column].replace("", None), format=fmt, utc=True)
        episodes[column] = moments.dt.tz_localize(None)  # UTC, naive
    episodes["local_seen"] = (
        pd.to_datetime(episodes["last_seen_at"])
        .dt.tz_localize("UTC")
        .dt.tz_convert(settings.TIME_ZONE)
        .dt.tz_localize(None)
    )
    database = duckdb.connect(":memory:")
    database.register("episodes_frame", episodes)
    database.register("children_frame", children)
    database.execute("CREATE TABLE episodes AS SELECT * FROM episodes_frame")
    database.execute("CREATE TABLE children AS SELECT * FROM children_frame")
    database.unregister("episodes_frame")
    database.unregister("children_frame")
    return database


DUCKDB_QUERY = """
WITH e AS MATERIALIZED (
    SELECT ep.*, c.gender,
           ep.returned_at - ep.last_seen_at <= INTERVAL 18 HOUR AS short
    FROM episodes ep JOIN children c USING (child_ref)
    WHERE ep.last_seen_at >= $first AND ep.last_seen_at < $after
), per_child AS (SELECT child_ref, count(*) AS n FROM e GROUP BY child_ref)
SELECT
  (SELECT count(*) FROM e),
  (SELECT count(*) FROM per_child),
  (SELECT list(struct_pack(k := legal_status, n := n)) FROM
     (SELECT legal_status, count(*) AS n FROM e GROUP BY ALL)),
  (SELECT list(struct_pack(k := legal_status, n := n)) FROM
     (SELECT legal_status, count(DISTINCT child_ref) AS n FROM e GROUP BY ALL)),
  (SELECT count(*) FROM per_child WHERE n > 1),
  (SELECT count(*) FROM e WHERE short),
  (SELECT count(*) FROM e WHERE returned_at IS NOT NULL),
  (SELECT list(struct_pack(k := h, n := n)) FROM
     (SELECT hour(local_seen) AS h, count(*) AS n FROM e GROUP BY ALL)),
  (SELECT list(struct_pack(k := gender, n := n)) FROM
     (SELECT gender, count(DISTINCT child_ref) AS n FROM e GROUP BY ALL)),
  (SELECT list(struct_pack(m := m, k := k, n := n)) FROM
     (SELECT strftime(local_seen, '%Y-%m') AS m,
             CASE WHEN kind = 'away' THEN 'away_from_placement'
                  WHEN missing_from = 'care' THEN 'missing_from_care'
                  ELSE 'missing_from_home' END AS k,
             count(DISTINCT child_ref) AS n
      FROM e GROUP BY ALL)),
  (SELECT struct_pack(
     offered := count(*) FILTER (WHERE rhi_offered_at IS NOT NULL),
     offered_within_72h := count(*) FILTER (
        WHERE rhi_offered_at IS NOT NULL AND returned_at IS NOT NULL
          AND rhi_offered_at <= returned_at + INTERVAL 72 HOUR),
     accepted := count(*) FILTER (WHERE rhi_accepted = 'Y'),
     completed := count(*) FILTER (WHERE rhi_outcome = 'completed'),
     declined := count(*) FILTER (WHERE rhi_outcome = 'declined'))
   FROM e)
"""


def by_duckdb(period: Period, database: Any) -> Core:
    first, after = period.bounds
    row = database.execute(
        DUCKDB_QUERY,
        {
            "first": first.astimezone(datetime.UTC).replace(tzinfo=None),
            "after": after.astimezone(datetime.UTC).replace(tzinfo=None),
        },
    ).fetchone()
    (episodes, children, by_status, children_by_status, repeat, short, found) = row[:7]
    by_hour, by_gender, monthly, rhi = row[7:]

    def pairs(items: Any) -> dict[Any, int]:
        return {item["k"]: item["n"] for item in items or []}

    return _core(
        period=period,
        episodes=episodes,
        children=children,
        by_status=pairs(by_status),
        children_by_status=pairs(children_by_status),
        repeat=repeat,
        short=short,
        found=found,
        by_hour=pairs(by_hour),
        by_gender=pairs(by_gender),
        monthly={(item["m"], item["k"]): item["n"] for item in monthly or []},
        rhi=dict(rhi),
    )
