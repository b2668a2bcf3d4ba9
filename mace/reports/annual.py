"""The annual report (SPEC C9 and section 5): the figures of seeds 000, 001, 002 and 004 that
MACE holds data for, with the definitions SPEC section 5 gives.

- Both dates of the period are inclusive, in local (UK) time; an episode belongs to the period
  when its `last_seen_at`, in local time, falls inside it. An episode that began before the
  period belongs to the earlier one, even if it ended inside this one.
- Counts are integers; percentages are numbers rounded to one decimal place (0.0 when there is
  nothing to divide by).
- Legal status is the child's at the start of each episode (recorded on the episode,
  `Episode.legal_status`): the one fact the SSDA903 Missing table reads too
  (`mace.returns.ssda903`), so its rows are this report's CLA episodes of the year.
- An episode of exactly 18 hours is "18 hours or less"; durations count only episodes that
  have ended. `still_missing` counts the period's episodes with no return recorded.
- A return interview is "offered" when it has an offer time, and "within 72 hours" when its
  first offer is no later than 72 hours after the return.
- `monthly` counts distinct children a month: missing from home (or another setting), missing
  from care, and away from placement without authorisation (004 §2.2).
- `episodes_by_gender` counts episodes by the child's gender (002 §4.6.6: "males present as
  missing on more occasions than females"); `by_gender` counts children.
- `children_with_more_than_one_episode_by_legal_status`: a child with more than one episode in
  the period is counted once under each legal status they had at the start of any of them, as
  `children_by_legal_status` counts children.
- Missing in association (000): an episode that names another child who went missing with
  the child (`Episode.with_children`); `episodes_from_care_in_association` those of them from
  care.
- Children placed by other authorities: children with an episode in the period from a
  placement whose placing authority is not the home authority (HOME_AUTHORITY_ONS_CODE, as
  set when the report is counted). Children placed out of area: the home authority's own
  placements in another authority's area (002 §4.6.2).
- A return interview is "completed within 72 hours" when it was completed no later than 72
  hours after the return (001, 002 §4.6.3); its percentage is of the episodes ended, as the
  offers' is.

The episode figures are counted in the database from the reporting table
(`mace.reports.models.EpisodeFact`), which holds each episode's inputs worked out when its
records last changed (issue 9).
"""

import datetime
import json
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Count

from mace.configuration.models import SettingKey
from mace.configuration.store import value as setting
from mace.disruption.models import DisruptionOutcome
from mace.episodes.models import EpisodeKind, MissingFrom
from mace.exploitation.models import (
    OPEN_RISK_LEVELS,
    Answer,
    Assessment,
    ExploitationType,
    RiskLevel,
    SourceOfIdentification,
    SuspectFact,
)
from mace.lib.days import age_on, day_of, in_force_on, month_starts
from mace.people.models import Gender, LegalStatus, LegalStatusKind, Placement
from mace.reports.models import EpisodeFact

STATUSES = [status.value for status in LegalStatusKind]
GENDERS = [gender.value for gender in Gender]
AGE_BANDS = [
    ("0-9", 0, 9),
    ("10-12", 10, 12),
    ("13-15", 13, 15),
    ("16-17", 16, 17),
    ("18+", 18, 200),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"The period ends ({self.end}) before it starts ({self.start}): give --from "
                "before --to"
            )

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The first instant of the first day and of the day after the last, local time."""
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        first = datetime.datetime.combine(self.start, datetime.time(0), tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time(0), tzinfo=zone
        )
        return first, after

    def months(self) -> list[str]:
        return [f"{month:%Y-%m}" for month in month_starts(self.start, self.end)]


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return "unknown"


PLACEMENT_LABELS = dict(Placement.Kind.choices)
ASSESSMENT_FIELDS = (
    "pk",
    "child_id",
    "exploitation_type",
    "assessed_at",
    "computed_level",
    "override_level",
    "offenders",
    "child__gender",
    "child__date_of_birth",
    "child__ethnicity",
    "child__area",
    "identified_by",
    "suspects",
)
NOT_RECORDED = "not_recorded"


class Latest(NamedTuple):
    """A child's latest assessment of the period, as plain values."""

    pk: int
    kind: str
    assessed_at: datetime.datetime
    level: str
    offenders: str
    gender: str
    born: datetime.date
    ethnicity: str
    area: str
    source: str
    suspects: list[str]


# Each episode's yes-or-no facts, packed into one number so that one GROUP BY counts them all.
FLAGS = (
    "ended",
    "short",
    "rhi_offered",
    "rhi_offered_within_72h",
    "rhi_accepted",
    "rhi_completed",
    "rhi_declined",
    "with_other_children",
    "rhi_completed_within_72h",
)
RHI_KEYS = (
    "offered",
    "offered_within_72h",
    "accepted",
    "completed",
    "completed_within_72h",
    "declined",
)

# The period's figures counted in the database, in one statement over the reporting table
# (`EpisodeFact`): a national year is 200,000 rows, and moving them to Python cost more than
# counting them (issue 9). The period's rows are read once (`period`), its children worked out
# once (`children`), and each branch groups them by a few columns together, so that a handful
# of hash aggregates give every figure; Python adds the margins up from a few thousand counts.
# Each row is (figure, a, b, c, d, count), the keys as text. Plain SQL that SQLite (3.35 or
# newer) and PostgreSQL both run.
TALLIES = """
WITH period AS MATERIALIZED (
    SELECT child_id, kind, missing_from, legal_status, push_pull_factors, placement_kind,
        age, gender, ethnicity, area, known_to_camhs, local_year, local_month, local_hour,
        local_weekday, {flags} AS flags,
        CASE WHEN kind = %s THEN 'away_from_placement'
             WHEN missing_from = %s THEN 'missing_from_care'
             ELSE 'missing_from_home' END AS monthly_key,
        CASE WHEN placing_authority <> '' AND placing_authority <> %s THEN 1 ELSE 0 END
            AS placed_by_other,
        CASE WHEN placing_authority = %s AND host_authority <> '' AND host_authority <> %s
            THEN 1 ELSE 0 END AS placed_out_of_area
    FROM {facts} WHERE last_seen_at >= %s AND last_seen_at < %s
), children AS MATERIALIZED (
    SELECT child_id, MAX(gender) AS gender, MAX(ethnicity) AS ethnicity, MAX(area) AS area,
        MAX(CASE WHEN known_to_camhs THEN 1 ELSE 0 END) AS camhs,
        CASE WHEN COUNT(*) > 1 THEN 1 ELSE 0 END AS repeat,
        MAX(placed_by_other) AS placed_by_other, MAX(placed_out_of_area) AS placed_out_of_area
    FROM period GROUP BY child_id
)
SELECT 'when', legal_status, CAST(local_hour AS TEXT), CAST(local_weekday AS TEXT), NULL,
    COUNT(*)
FROM period GROUP BY legal_status, local_hour, local_weekday
UNION ALL
SELECT 'flags', CAST(age AS TEXT), CAST(flags AS TEXT), gender, missing_from, COUNT(*)
FROM period GROUP BY age, flags, gender, missing_from
UNION ALL
SELECT 'where', missing_from, placement_kind, CAST(push_pull_factors AS TEXT), NULL, COUNT(*)
FROM period GROUP BY missing_from, placement_kind, push_pull_factors
UNION ALL
SELECT 'children', gender, ethnicity, area,
    CAST(camhs + 2 * repeat + 4 * placed_by_other + 8 * placed_out_of_area AS TEXT), COUNT(*)
FROM children
GROUP BY gender, ethnicity, area, camhs, repeat, placed_by_other, placed_out_of_area
UNION ALL
SELECT 'children_by_status', pairs.legal_status, CAST(children.repeat AS TEXT), NULL, NULL,
    COUNT(*)
FROM (SELECT DISTINCT child_id, legal_status FROM period) AS pairs
JOIN children ON children.child_id = pairs.child_id
GROUP BY pairs.legal_status, children.repeat
UNION ALL
SELECT 'monthly', CAST(local_year AS TEXT), CAST(local_month AS TEXT), monthly_key, NULL,
    COUNT(*)
FROM (SELECT DISTINCT local_year, local_month, monthly_key, child_id FROM period) AS months
GROUP BY local_year, local_month, monthly_key
"""


def _tallies(period: Period) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of `TALLIES` for the period, by figure."""
    first, after = period.bounds
    flags = " + ".join(
        f"CASE WHEN {name} THEN {1 << bit} ELSE 0 END" for bit, name in enumerate(FLAGS)
    )
    sql = TALLIES.format(flags=flags, facts=connection.ops.quote_name(EpisodeFact._meta.db_table))
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    with connection.cursor() as cursor:
        bounds = [connection.ops.adapt_datetimefield_value(moment) for moment in (first, after)]
        home = str(setting(SettingKey.HOME_AUTHORITY_ONS_CODE))
        params = [EpisodeKind.AWAY.value, MissingFrom.CARE.value, home, home, home, *bounds]
        cursor.execute(sql, params)
        for figure, *row in cursor.fetchall():
            out[figure].append(tuple(row))
    return out


def build(period: Period) -> dict[str, Any]:
    """Every figure, as the JSON of `report annual` gives it."""
    tallies = _tallies(period)
    by_status, by_hour, by_weekday = Counter[str](), Counter[int](), Counter[int]()
    for status, hour, weekday, _, n in tallies["when"]:
        by_status[status] += n
        by_hour[int(hour)] += n
        by_weekday[int(weekday)] += n
    episodes = sum(by_status.values())
    hours = [by_hour.get(hour, 0) for hour in range(24)]
    weekdays = [by_weekday.get(day, 0) for day in range(1, 8)]

    ages, flagged, episode_genders = Counter[str](), Counter[str](), Counter[str]()
    from_care_in_association = 0
    association = FLAGS.index("with_other_children")
    for age, packed, gender, where, n in tallies["flags"]:
        ages[_band(None if age is None else int(age))] += n
        episode_genders[gender] += n
        for bit, name in enumerate(FLAGS):
            if int(packed) >> bit & 1:
                flagged[name] += n
        if where == MissingFrom.CARE and int(packed) >> association & 1:
            from_care_in_association += n
    ended, short = flagged["ended"], flagged["short"]  # short episodes have all ended

    factors, placements = Counter[str](), Counter[str]()
    for where, placement, named, _, n in tallies["where"]:
        for factor in json.loads(named) if named else ():
            factors[factor] += n
        if where == MissingFrom.CARE:
            placements[PLACEMENT_LABELS.get(placement, "Not recorded")] += n

    by_gender, by_ethnicity, by_area = Counter[str](), Counter[str](), Counter[str]()
    children = repeat = camhs = placed_by_other = placed_out_of_area = 0
    for gender, ethnicity, area, packed, n in tallies["children"]:
        children += n
        by_gender[gender] += n
        by_ethnicity[ethnicity] += n
        by_area[area or "Not recorded"] += n
        camhs += n if int(packed) & 1 else 0
        repeat += n if int(packed) & 2 else 0
        placed_by_other += n if int(packed) & 4 else 0
        placed_out_of_area += n if int(packed) & 8 else 0
    children_by_status, repeat_by_status = Counter[str](), Counter[str]()
    for status, repeated, _, _, n in tallies["children_by_status"]:
        children_by_status[status] += n
        if int(repeated):
            repeat_by_status[status] += n
    monthly: dict[str, Counter[str]] = {month: Counter() for month in period.months()}
    for year, month, key, _, n in tallies["monthly"]:
        monthly[f"{int(year):04d}-{int(month):02d}"][key] += n
    rhi = {key: flagged[f"rhi_{key}"] for key in RHI_KEYS}
    days = dict(zip(WEEKDAYS, weekdays, strict=True))
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "episodes": episodes,
        "children": children,
        "episodes_by_legal_status": {s: by_status.get(s, 0) for s in STATUSES},
        "children_by_legal_status": {s: children_by_status.get(s, 0) for s in STATUSES},
        "pct_episodes_by_legal_status": {s: pct(by_status.get(s, 0), episodes) for s in STATUSES},
        "children_with_more_than_one_episode": repeat,
        "pct_children_with_more_than_one_episode": pct(repeat, children),
        "children_with_more_than_one_episode_by_legal_status": {
            s: repeat_by_status.get(s, 0) for s in STATUSES
        },
        "episodes_18h_or_less": short,
        "pct_episodes_18h_or_less": pct(short, ended),
        "episodes_over_18h": ended - short,
        "found": ended,
        "still_missing": episodes - ended,
        "episodes_by_hour_started": hours,
        "episodes_by_day_started": days,
        "peak_hour": max(range(24), key=lambda h: (hours[h], -h)) if episodes else None,
        "peak_day": max(WEEKDAYS, key=lambda d: days[d]) if episodes else None,
        "by_gender": {g: by_gender.get(g, 0) for g in GENDERS},
        "episodes_by_gender": {g: episode_genders.get(g, 0) for g in GENDERS},
        "episodes_in_association": flagged["with_other_children"],
        "episodes_from_care_in_association": from_care_in_association,
        "children_placed_by_other_authorities": placed_by_other,
        "children_placed_out_of_area": placed_out_of_area,
        "episodes_from_care_by_placement_type": dict(sorted(placements.items())),
        "episodes_by_age": {
            label: ages.get(label, 0) for label, *_ in [*AGE_BANDS, ("unknown", 0, 0)]
        },
        "children_by_ethnicity": dict(sorted(by_ethnicity.items())),
        "children_by_area": dict(sorted(by_area.items())),
        "children_known_to_camhs": camhs,
        "monthly": [
            {
                "month": month,
                "missing_from_home": counts["missing_from_home"],
                "missing_from_care": counts["missing_from_care"],
                "away_from_placement": counts["away_from_placement"],
            }
            for month, counts in monthly.items()
        ],
        "rhi": rhi,
        "pct_rhi_offered_within_72h": pct(rhi["offered_within_72h"], ended),
        "pct_rhi_completed_within_72h": pct(rhi["completed_within_72h"], ended),
        "push_pull_factors": dict(sorted(factors.items(), key=lambda item: (-item[1], item[0]))),
        "exploitation": exploitation(period),
    }


def exploitation(period: Period) -> dict[str, Any]:
    """Children assessed in the period: their latest level and type, gender, ethnicity and
    area (the child's as held now), age and legal status at that assessment, where the
    concern came from and what is known of the suspects (both as the latest assessment
    records them; a child may have several suspect facts, or none), each child once under
    every type of exploitation assessed in the period (`children_by_every_type_assessed`,
    not only the latest's), the indicators answered yes, whether suspects were named, how
    many also went missing, ceased to be at risk (an open risk before, none now) or were
    re-referred (no open risk before, one now), and the disruption outcomes. No intelligence:
    persons of concern, hotspots and outcomes naming them are restricted and are not in this
    report (the dataset counts them for those cleared)."""
    first, after = period.bounds
    in_period = Assessment.objects.filter(assessed_at__gte=first, assessed_at__lt=after)
    assessed_children = in_period.values("child_id")
    # Whether each assessed child's assessment before their latest showed an open risk: the
    # last before the period, unless another in the period came between.
    earlier_open: dict[int, bool] = {}
    for child_id, override, computed in (
        Assessment.objects.filter(assessed_at__lt=first, child_id__in=assessed_children)
        .order_by("assessed_at", "pk")
        .values_list("child_id", "override_level", "computed_level")
    ):
        earlier_open[child_id] = (override or computed) in OPEN_RISK_LEVELS
    # Each child's latest assessment of the period, as plain values.
    latest: dict[int, Latest] = {}
    for (
        pk,
        child_id,
        kind,
        assessed_at,
        computed,
        override,
        offenders,
        gender,
        born,
        ethnicity,
        area,
        source,
        suspects,
    ) in in_period.order_by("assessed_at", "pk").values_list(*ASSESSMENT_FIELDS):
        if child_id in latest:
            earlier_open[child_id] = latest[child_id].level in OPEN_RISK_LEVELS
        level = override or computed
        latest[child_id] = Latest(
            pk,
            kind,
            assessed_at,
            level,
            offenders,
            gender,
            born,
            ethnicity,
            area,
            source or NOT_RECORDED,
            list(suspects or ()),
        )
    # Each child once under every type they were assessed for in the period, not only the
    # type of their latest assessment.
    every_type = Counter(
        kind
        for _, kind in in_period.order_by().values_list("child_id", "exploitation_type").distinct()
    )
    statuses: dict[int, list[tuple[datetime.date, datetime.date | None, str]]] = defaultdict(list)
    for child_id, start, end, status in (
        LegalStatus.objects.filter(child_id__in=assessed_children)
        .order_by("start_date", "pk")
        .values_list("child_id", "start_date", "end_date", "status")
    ):
        statuses[child_id].append((start, end, status))

    def status_on(child_id: int, moment: datetime.datetime) -> str:
        """`Child.legal_status_on` over each child's few rows, read once: in start order, so
        the last in force is the latest to start, then the latest recorded."""
        day = day_of(moment)
        found = LegalStatusKind.NONE.value
        for start, end, status in statuses.get(child_id, ()):
            if in_force_on(day, start, end):
                found = status
        return found

    # Disruption outcomes naming a person or place are restricted intelligence: not here.
    outcomes = Counter(
        DisruptionOutcome.objects.filter(
            occurred_on__range=(period.start, period.end),
            person__isnull=True,
            location__isnull=True,
        ).values_list("kind", flat=True)
    )
    # Each assessment's age band and legal status worked out once, then counted.
    ages = Counter[str]()
    legal = Counter[str]()
    for child_id, row in latest.items():
        ages[_band(age_on(row.born, day_of(row.assessed_at)))] += 1
        legal[status_on(child_id, row.assessed_at)] += 1
    levels = Counter(row.level for row in latest.values())
    types = Counter(row.kind for row in latest.values())
    genders = Counter(row.gender for row in latest.values())
    ethnicities = Counter(row.ethnicity for row in latest.values())
    areas = Counter(row.area or "Not recorded" for row in latest.values())
    sources = Counter(row.source for row in latest.values())
    suspects = Counter(fact for row in latest.values() for fact in row.suspects)
    named = sum(1 for row in latest.values() if row.offenders.strip())
    open_now = {child_id: row.level in OPEN_RISK_LEVELS for child_id, row in latest.items()}
    return {
        "children_assessed": len(latest),
        "by_level": {level.value: levels.get(level.value, 0) for level in RiskLevel},
        "by_type": {kind.value: types.get(kind.value, 0) for kind in ExploitationType},
        "children_by_every_type_assessed": {
            kind.value: every_type.get(kind.value, 0) for kind in ExploitationType
        },
        "by_gender": {g: genders.get(g, 0) for g in GENDERS},
        "by_ethnicity": dict(sorted(ethnicities.items())),
        "by_area": dict(sorted(areas.items())),
        "by_source_of_identification": {
            source: sources.get(source, 0)
            for source in [*SourceOfIdentification.values, NOT_RECORDED]
        },
        "by_age": {label: ages.get(label, 0) for label, *_ in [*AGE_BANDS, ("unknown", 0, 0)]},
        "by_legal_status": {s: legal.get(s, 0) for s in STATUSES},
        # Counted in the database: the latest assessments answer some 400,000 questions a
        # national year, and only a few dozen counts need to come back.
        "indicators_answered_yes": dict(
            Answer.objects.filter(assessment__in=[row.pk for row in latest.values()], yes=True)
            .values("indicator__code")
            .annotate(n=Count("pk"))
            .order_by("indicator__code")
            .values_list("indicator__code", "n")
        ),
        "suspects_named": named,
        "suspects_not_named": len(latest) - named,
        "suspects": {fact: suspects.get(fact, 0) for fact in SuspectFact.values},
        "also_missing": EpisodeFact.objects.filter(
            last_seen_at__gte=first, last_seen_at__lt=after, child_id__in=assessed_children
        )
        .values("child_id")
        .distinct()
        .count(),
        "ceased": sum(
            1 for child, now in open_now.items() if not now and earlier_open.get(child) is True
        ),
        "re_referred": sum(
            1 for child, now in open_now.items() if now and earlier_open.get(child) is False
        ),
        "disruption_outcomes": {
            kind.value: outcomes.get(kind.value, 0) for kind in DisruptionOutcome.Kind
        },
    }
