"""The annual report (SPEC C9 and section 5): the figures of seeds 000, 001, 002 and 004 that
MACE holds data for, with the definitions SPEC section 5 gives.

- Both dates of the period are inclusive, in local (UK) time; an episode belongs to the period
  when its `last_seen_at`, in local time, falls inside it. An episode that began before the
  period belongs to the earlier one, even if it ended inside this one.
- Counts are integers; percentages are numbers rounded to one decimal place (0.0 when there is
  nothing to divide by).
- Legal status is the child's at the start of each episode (recorded on the episode).
- An episode of exactly 18 hours is "18 hours or less"; durations count only episodes that
  have ended. `still_missing` counts the period's episodes with no return recorded.
- A return interview is "offered" when it has an offer time, and "within 72 hours" when its
  first offer is no later than 72 hours after the return.
- `monthly` counts distinct children a month: missing from home (or another setting), missing
  from care, and away from placement without authorisation (004 §2.2).

The episode figures read the reporting table (`mace.reports.models.EpisodeFact`), which holds
each episode's inputs worked out when its records last changed (issue 9).
"""

import datetime
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from mace.disruption.models import DisruptionOutcome
from mace.episodes.models import EpisodeKind, MissingFrom
from mace.exploitation.models import (
    OPEN_RISK_LEVELS,
    Answer,
    Assessment,
    ExploitationType,
    RiskLevel,
)
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
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _age(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return "unknown"


# The columns each episode's figures read, from the reporting table (`EpisodeFact`): plain
# values worked out when the records changed, so a national year (about 200,000 episodes) is
# one pass over tuples of one table (issue 9).
EPISODE_COLUMNS = (
    "child_id",
    "kind",
    "missing_from",
    "legal_status",
    "push_pull_factors",
    "placement_kind",
    "gender",
    "age",
    "ethnicity",
    "area",
    "known_to_camhs",
    "local_year",
    "local_month",
    "local_hour",
    "local_weekday",
    "ended",
    "short",
    "rhi_offered",
    "rhi_offered_within_72h",
    "rhi_accepted",
    "rhi_completed",
    "rhi_declined",
)
PLACEMENT_LABELS = dict(Placement.Kind.choices)
ASSESSMENT_FIELDS = (
    "child_id",
    "exploitation_type",
    "assessed_at",
    "computed_level",
    "override_level",
    "offenders",
    "child__gender",
    "child__date_of_birth",
)


def _episode_rows(period: Period) -> list[tuple[Any, ...]]:
    first, after = period.bounds
    return list(
        EpisodeFact.objects.filter(last_seen_at__gte=first, last_seen_at__lt=after)
        .order_by()
        .values_list(*EPISODE_COLUMNS)
    )


def build(period: Period) -> dict[str, Any]:
    """Every figure, as the JSON of `report annual` gives it."""
    episodes = 0
    per_child = Counter[int]()
    by_status = Counter[str]()
    child_statuses: set[tuple[int, str]] = set()
    ended = short = 0
    hours = [0] * 24
    weekdays = [0] * 7
    factors = Counter[str]()
    ages = Counter[str]()
    placements = Counter[str]()
    children: dict[int, tuple[str, str, str, bool]] = {}
    monthly: dict[str, dict[str, set[int]]] = {month: defaultdict(set) for month in period.months()}
    rhi = Counter[str]()
    for row in _episode_rows(period):
        child_id, kind, missing_from, status, reasons, placement = row[:6]
        gender, age, ethnicity, area, camhs = row[6:11]
        year, month, hour, weekday, has_ended, is_short = row[11:17]
        offered, early, accepted, completed, declined = row[17:]
        episodes += 1
        per_child[child_id] += 1
        by_status[status] += 1
        child_statuses.add((child_id, status))
        children[child_id] = (gender, ethnicity, area, camhs)
        if has_ended:
            ended += 1
            if is_short:
                short += 1
        hours[hour] += 1
        weekdays[weekday - 1] += 1
        if reasons:
            factors.update(reasons)
        ages[_band(age)] += 1
        if missing_from == MissingFrom.CARE:
            placements[PLACEMENT_LABELS.get(placement, "Not recorded")] += 1
        if kind == EpisodeKind.AWAY:
            key = "away_from_placement"
        elif missing_from == MissingFrom.CARE:
            key = "missing_from_care"
        else:
            key = "missing_from_home"
        monthly[f"{year:04d}-{month:02d}"][key].add(child_id)
        rhi["offered"] += offered
        rhi["offered_within_72h"] += early
        rhi["accepted"] += accepted
        rhi["completed"] += completed
        rhi["declined"] += declined

    repeat = sum(1 for n in per_child.values() if n > 1)
    days = dict(zip(WEEKDAYS, weekdays, strict=True))
    by_gender = Counter(gender for gender, *_ in children.values())
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "episodes": episodes,
        "children": len(children),
        "episodes_by_legal_status": {s: by_status.get(s, 0) for s in STATUSES},
        "children_by_legal_status": {
            s: sum(1 for _, status in child_statuses if status == s) for s in STATUSES
        },
        "pct_episodes_by_legal_status": {s: pct(by_status.get(s, 0), episodes) for s in STATUSES},
        "children_with_more_than_one_episode": repeat,
        "pct_children_with_more_than_one_episode": pct(repeat, len(children)),
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
        "episodes_from_care_by_placement_type": dict(sorted(placements.items())),
        "episodes_by_age": {
            label: ages.get(label, 0) for label, *_ in [*AGE_BANDS, ("unknown", 0, 0)]
        },
        "children_by_ethnicity": dict(
            sorted(Counter(ethnicity for _, ethnicity, _, _ in children.values()).items())
        ),
        "children_by_area": dict(
            sorted(Counter(area or "Not recorded" for *_, area, _ in children.values()).items())
        ),
        "children_known_to_camhs": sum(1 for *_, camhs in children.values() if camhs),
        "monthly": [
            {
                "month": month,
                "missing_from_home": len(counts["missing_from_home"]),
                "missing_from_care": len(counts["missing_from_care"]),
                "away_from_placement": len(counts["away_from_placement"]),
            }
            for month, counts in monthly.items()
        ],
        "rhi": {
            key: rhi.get(key, 0)
            for key in ("offered", "offered_within_72h", "accepted", "completed", "declined")
        },
        "pct_rhi_offered_within_72h": pct(rhi.get("offered_within_72h", 0), ended),
        "push_pull_factors": dict(factors.most_common()),
        "exploitation": exploitation(period, set(children)),
    }


def exploitation(period: Period, missing_children: set[int]) -> dict[str, Any]:
    """Children assessed in the period: their latest level and type, gender, age and legal
    status at that assessment, the indicators answered yes, whether suspects were named, how
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
    latest: dict[int, Assessment] = {}
    for assessment in (
        in_period.select_related("child").only(*ASSESSMENT_FIELDS).order_by("assessed_at", "pk")
    ):
        if assessment.child_id in latest:
            earlier_open[assessment.child_id] = latest[assessment.child_id].is_open_risk
        latest[assessment.child_id] = assessment
    assessed = list(latest.values())
    statuses: dict[int, list[tuple[datetime.date, datetime.date | None, str]]] = defaultdict(list)
    for child_id, start, end, status in (
        LegalStatus.objects.filter(child_id__in=assessed_children)
        .order_by("start_date", "pk")
        .values_list("child_id", "start_date", "end_date", "status")
    ):
        statuses[child_id].append((start, end, status))

    def status_on(child_id: int, moment: datetime.datetime) -> str:
        """The last-begun status in force on the day (each child's few rows, in order)."""
        day = timezone.localdate(moment)
        found = LegalStatusKind.NONE.value
        for start, end, status in statuses.get(child_id, ()):
            if start <= day and (end is None or end >= day):
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
    for a in assessed:
        ages[_band(_age(a.child.date_of_birth, timezone.localdate(a.assessed_at)))] += 1
        legal[status_on(a.child_id, a.assessed_at)] += 1
    levels = Counter(a.level for a in assessed)
    types = Counter(a.exploitation_type for a in assessed)
    genders = Counter(a.child.gender for a in assessed)
    return {
        "children_assessed": len(assessed),
        "by_level": {level.value: levels.get(level.value, 0) for level in RiskLevel},
        "by_type": {kind.value: types.get(kind.value, 0) for kind in ExploitationType},
        "by_gender": {g: genders.get(g, 0) for g in GENDERS},
        "by_age": {label: ages.get(label, 0) for label, *_ in [*AGE_BANDS, ("unknown", 0, 0)]},
        "by_legal_status": {s: legal.get(s, 0) for s in STATUSES},
        "indicators_answered_yes": dict(
            sorted(
                Counter(
                    Answer.objects.filter(assessment__in=assessed, yes=True).values_list(
                        "indicator__code", flat=True
                    )
                ).items()
            )
        ),
        "suspects_named": sum(1 for a in assessed if a.offenders.strip()),
        "suspects_not_named": sum(1 for a in assessed if not a.offenders.strip()),
        "also_missing": sum(1 for a in assessed if a.child_id in missing_children),
        "ceased": sum(
            1 for a in assessed if not a.is_open_risk and earlier_open.get(a.child_id) is True
        ),
        "re_referred": sum(
            1 for a in assessed if a.is_open_risk and earlier_open.get(a.child_id) is False
        ),
        "disruption_outcomes": {
            kind.value: outcomes.get(kind.value, 0) for kind in DisruptionOutcome.Kind
        },
    }
