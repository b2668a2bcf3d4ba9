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
"""

import datetime
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from mace.disruption.models import DisruptionOutcome
from mace.episodes.models import Episode, EpisodeKind, MissingFrom
from mace.exploitation.models import Answer, Assessment, ExploitationType, RiskLevel
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.people.models import Gender, LegalStatus, LegalStatusKind

EIGHTEEN_HOURS = datetime.timedelta(hours=18)
SEVENTY_TWO_HOURS = datetime.timedelta(hours=72)
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


def episodes_in(period: Period) -> list[Episode]:
    first, after = period.bounds
    interviews = ReturnInterview.objects.prefetch_related(
        Prefetch("offers", queryset=InterviewOffer.objects.order_by("offered_at"))
    )
    return list(
        Episode.objects.filter(
            last_seen_at__gte=first, last_seen_at__lt=after, child__merged_into__isnull=True
        )
        .select_related("child", "placement")
        .prefetch_related(Prefetch("return_interview", queryset=interviews))
        .order_by("last_seen_at", "pk")
    )


def _interview(episode: Episode) -> ReturnInterview | None:
    try:
        return episode.return_interview
    except ReturnInterview.DoesNotExist:
        return None


def build(period: Period) -> dict[str, Any]:
    """Every figure, as the JSON of `report annual` gives it."""
    episodes = episodes_in(period)
    children = {e.child_id: e.child for e in episodes}
    per_child = Counter(e.child_id for e in episodes)
    by_status = Counter(e.legal_status for e in episodes)
    child_statuses = {(e.child_id, e.legal_status) for e in episodes}
    ended = [e for e in episodes if e.returned_at is not None]
    short = [e for e in ended if e.returned_at - e.last_seen_at <= EIGHTEEN_HOURS]  # type: ignore[operator]
    local = {e.pk: timezone.localtime(e.last_seen_at) for e in episodes}

    monthly: dict[str, dict[str, set[int]]] = {month: defaultdict(set) for month in period.months()}
    for episode in episodes:
        month = f"{local[episode.pk]:%Y-%m}"
        if episode.kind == EpisodeKind.AWAY:
            key = "away_from_placement"
        elif episode.missing_from == MissingFrom.CARE:
            key = "missing_from_care"
        else:
            key = "missing_from_home"
        monthly[month][key].add(episode.child_id)

    rhi = Counter[str]()
    for episode in episodes:
        interview = _interview(episode)
        if interview is None:
            continue
        offers = list(interview.offers.all())
        if offers:
            rhi["offered"] += 1
            if (
                episode.returned_at
                and offers[0].offered_at <= episode.returned_at + SEVENTY_TWO_HOURS
            ):
                rhi["offered_within_72h"] += 1
        if interview.status in {
            ReturnInterview.Status.ACCEPTED,
            ReturnInterview.Status.COMPLETED,
        } or any(o.response == InterviewOffer.Response.ACCEPTED for o in offers):
            rhi["accepted"] += 1
        if interview.status == ReturnInterview.Status.COMPLETED:
            rhi["completed"] += 1
        if interview.status == ReturnInterview.Status.DECLINED:
            rhi["declined"] += 1

    repeat = sum(1 for n in per_child.values() if n > 1)
    hours = [sum(1 for e in episodes if local[e.pk].hour == hour) for hour in range(24)]
    days = {
        day: sum(1 for e in episodes if local[e.pk].weekday() == n)
        for n, day in enumerate(WEEKDAYS)
    }
    factors = Counter(f for e in episodes for f in (e.push_pull_factors or []))
    ages = Counter(_band(_age(e.child.date_of_birth, local[e.pk].date())) for e in episodes)
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "episodes": len(episodes),
        "children": len(children),
        "episodes_by_legal_status": {s: by_status.get(s, 0) for s in STATUSES},
        "children_by_legal_status": {
            s: sum(1 for _, status in child_statuses if status == s) for s in STATUSES
        },
        "pct_episodes_by_legal_status": {
            s: pct(by_status.get(s, 0), len(episodes)) for s in STATUSES
        },
        "children_with_more_than_one_episode": repeat,
        "pct_children_with_more_than_one_episode": pct(repeat, len(children)),
        "episodes_18h_or_less": len(short),
        "pct_episodes_18h_or_less": pct(len(short), len(ended)),
        "episodes_over_18h": len(ended) - len(short),
        "found": len(ended),
        "still_missing": len(episodes) - len(ended),
        "episodes_by_hour_started": hours,
        "episodes_by_day_started": days,
        "peak_hour": max(range(24), key=lambda h: (hours[h], -h)) if episodes else None,
        "peak_day": max(WEEKDAYS, key=lambda d: days[d]) if episodes else None,
        "by_gender": {g: sum(1 for c in children.values() if c.gender == g) for g in GENDERS},
        "episodes_from_care_by_placement_type": dict(
            sorted(
                Counter(
                    e.placement.get_kind_display() if e.placement else "Not recorded"
                    for e in episodes
                    if e.missing_from == MissingFrom.CARE
                ).items()
            )
        ),
        "episodes_by_age": {
            label: ages.get(label, 0) for label, *_ in [*AGE_BANDS, ("unknown", 0, 0)]
        },
        "children_by_ethnicity": dict(
            sorted(Counter(c.ethnicity for c in children.values()).items())
        ),
        "children_by_area": dict(
            sorted(Counter(c.area or "Not recorded" for c in children.values()).items())
        ),
        "children_known_to_camhs": sum(1 for c in children.values() if c.known_to_camhs),
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
        "pct_rhi_offered_within_72h": pct(rhi.get("offered_within_72h", 0), len(ended)),
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
    latest: dict[int, Assessment] = {}
    earlier: dict[int, Assessment] = {}  # each child's assessment before their latest
    for assessment in (
        Assessment.objects.filter(assessed_at__lt=after)
        .select_related("child")
        .order_by("assessed_at", "pk")
    ):
        if assessment.assessed_at < first:
            earlier[assessment.child_id] = assessment
            continue
        if assessment.child_id in latest:
            earlier[assessment.child_id] = latest[assessment.child_id]
        latest[assessment.child_id] = assessment
    assessed = list(latest.values())
    statuses = list(LegalStatus.objects.filter(child_id__in=latest).order_by("start_date", "pk"))

    def status_on(child_id: int, moment: datetime.datetime) -> str:
        day = timezone.localdate(moment)
        found = LegalStatusKind.NONE.value
        for row in statuses:
            if (
                row.child_id == child_id
                and row.start_date <= day
                and (row.end_date is None or row.end_date >= day)
            ):
                found = row.status
        return found

    # Disruption outcomes naming a person or place are restricted intelligence: not here.
    outcomes = Counter(
        DisruptionOutcome.objects.filter(
            occurred_on__range=(period.start, period.end),
            person__isnull=True,
            location__isnull=True,
        ).values_list("kind", flat=True)
    )
    return {
        "children_assessed": len(assessed),
        "by_level": {
            level.value: sum(1 for a in assessed if a.level == level) for level in RiskLevel
        },
        "by_type": {
            kind.value: sum(1 for a in assessed if a.exploitation_type == kind)
            for kind in ExploitationType
        },
        "by_gender": {g: sum(1 for a in assessed if a.child.gender == g) for g in GENDERS},
        "by_age": {
            label: sum(
                1
                for a in assessed
                if _band(_age(a.child.date_of_birth, timezone.localdate(a.assessed_at))) == label
            )
            for label, *_ in [*AGE_BANDS, ("unknown", 0, 0)]
        },
        "by_legal_status": {
            s: sum(1 for a in assessed if status_on(a.child_id, a.assessed_at) == s)
            for s in STATUSES
        },
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
            1
            for a in assessed
            if not a.is_open_risk and a.child_id in earlier and earlier[a.child_id].is_open_risk
        ),
        "re_referred": sum(
            1
            for a in assessed
            if a.is_open_risk and a.child_id in earlier and not earlier[a.child_id].is_open_risk
        ),
        "disruption_outcomes": {
            kind.value: outcomes.get(kind.value, 0) for kind in DisruptionOutcome.Kind
        },
    }
