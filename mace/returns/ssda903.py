"""The SSDA903 return's Header, Episodes and Missing tables (SPEC C9, section 5), in the
Department for Education's CSV layout: dates DD/MM/YYYY, the columns in its order, no others.

The collection year `year` runs from 1 April of the year before to 31 March of `year`.

Looked after at the start of a missing episode is one fact: the episode's `legal_status`,
the child's status when last seen (SPEC C1: "reports count a child by the status at the time
of the event"). It is set when the episode is recorded (`episodes.services.episode_report`,
from the child's legal status history) or imported (the tracker row's legal_status, format
1). The annual report counts it (`episodes_by_legal_status`, through the reporting table's
copy of it, `reports.EpisodeFact.legal_status`), and the Missing table lists every episode
it says CLA: the two cannot disagree about who was looked after.

- Missing: each episode of the year (last seen in it, local time) of a child looked after
  at its start: MISSING M (missing) or A (away from placement without authorisation),
  MIS_START (the local date last seen), MIS_END (the local date found or returned, left
  blank if after the year's end or not yet).
- Header: each child looked after at some time in the year (a CLA legal status overlapping
  it, or a Missing row): CHILD, SEX (1 male, 2 female, else blank), DOB, ETHNIC, UPN (the
  unique pupil number where held), MOTHER and MC_DOB (not held: blank).
- Episodes: each period of care overlapping the year: DECOM (its start) and DEC (its end,
  if in the year); the other columns need data MACE does not hold (legal status codes,
  placement types and providers) and are left blank for the case management system to fill
  in. The periods are the CLA legal statuses MACE holds; a Missing row outside all of them
  (an imported tracker says the child was looked after before MACE's history of their
  legal status begins) starts the child's next period there, or an open one, since the
  DfE's rules (578, 581, 1012) want each Missing row inside a period of care. The export
  says how many it moved or started, for the case system's dates to replace.
- CHILD is the value of the child identifier of the kind SSDA903_CHILD_IDENTIFIER_KIND
  names (the case system's, as the return is merged with its own), else MACE's reference;
  the export says how many children had no such identifier.

What the export leaves out, and what it had to assume, it says (`Export.lines`): counts and
reasons, never a child.
"""

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from mace.episodes.models import Episode, EpisodeKind, MissingFrom
from mace.lib.days import day_of
from mace.lib.spreadsheet import safe_row
from mace.people.models import Child, ChildIdentifier, Gender, LegalStatus, LegalStatusKind

COLUMNS = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": [
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ],
    "missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
}
SEX = {Gender.MALE: "1", Gender.FEMALE: "2"}
NOT_LOOKED_AFTER_AT_START = (
    "missing from care or away from placement, but the legal status at the start of the "
    "episode was not looked after (CLA); correct the episode's legal status if it was"
)


@dataclass(frozen=True)
class CollectionYear:
    year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year - 1, 4, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 3, 31)

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The first instant of the year and of the day after it, local time."""
        first = timezone.make_aware(datetime.datetime.combine(self.start, datetime.time(0)))
        after = timezone.make_aware(
            datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(0))
        )
        return first, after


@dataclass
class Export:
    """The three tables, and what the export left out or assumed, as counts."""

    tables: dict[str, list[list[str]]]
    left_out: Counter[str] = field(default_factory=Counter)
    identifier_kind: str | None = None
    children_without_identifier: int = 0
    periods_from_missing: int = 0
    overlapping: int = 0

    def lines(self) -> list[str]:
        lines = [
            f"Missing episodes left out: {count} ({reason})"
            for reason, count in sorted(self.left_out.items())
        ]
        if self.identifier_kind is not None:
            label = ChildIdentifier.Kind(self.identifier_kind).label
            lines.append(f"CHILD: the child's {label} (SSDA903_CHILD_IDENTIFIER_KIND)")
            if self.children_without_identifier:
                lines.append(
                    f"Children without a {label}: {self.children_without_identifier}; "
                    "MACE's reference is their CHILD. Add the identifier to their records "
                    "for the return to merge with the case system's"
                )
        else:
            lines.append(
                "CHILD: MACE's reference (set SSDA903_CHILD_IDENTIFIER_KIND to use the case "
                "system's identifier)"
            )
        if self.periods_from_missing:
            lines.append(
                f"Periods of care starting at a looked-after missing episode: "
                f"{self.periods_from_missing} (MACE's legal status history begins later, "
                "or shows no care then); DECOM is the episode's start: check it against "
                "the case system"
            )
        if self.overlapping:
            lines.append(
                f"Missing episodes starting before an earlier one of the same child ended, "
                f"or while it has no return recorded in the year: {self.overlapping} (the "
                "DfE's rule 574 will flag them); record the returns"
            )
        return lines


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def child_identifier_kind() -> str | None:
    """The ChildIdentifier kind whose value is CHILD (SSDA903_CHILD_IDENTIFIER_KIND), or None
    for MACE's reference. A value that is no kind is an error that says what to set."""
    kind = settings.SSDA903_CHILD_IDENTIFIER_KIND.strip()
    if not kind:
        return None
    if kind not in ChildIdentifier.Kind.values:
        raise ValueError(
            f"SSDA903_CHILD_IDENTIFIER_KIND is {kind!r}, which is no kind of child "
            f"identifier: set it to one of {', '.join(ChildIdentifier.Kind.values)}, or "
            "leave it empty for MACE's reference"
        )
    return kind


def looked_after_at_start(year: CollectionYear) -> "QuerySet[Episode]":
    """The year's episodes (last seen in it, local time) of children looked after at their
    start: the Missing table's rows."""
    first, after = year.bounds
    return Episode.objects.filter(
        child__merged_into__isnull=True,
        legal_status=LegalStatusKind.CLA,
        last_seen_at__gte=first,
        last_seen_at__lt=after,
    )


@dataclass
class PeriodOfCare:
    start: datetime.date
    end: datetime.date | None
    from_missing: bool = False  # started (or moved) to a looked-after missing episode's day

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def periods_of_care(
    periods: list[LegalStatus], missing: list[tuple[int, datetime.date]]
) -> dict[int, list[PeriodOfCare]]:
    """Each child's periods of care (their CLA legal statuses) with every Missing row's day,
    (child id, day), inside one: a day outside all of them starts the child's next period
    there, or an open one when none follows."""
    care: dict[int, list[PeriodOfCare]] = {}
    for period in periods:
        care.setdefault(period.child_id, []).append(
            PeriodOfCare(period.start_date, period.end_date)
        )
    for child_id, day in missing:
        spans = care.setdefault(child_id, [])
        if any(span.holds(day) for span in spans):
            continue
        later = [span for span in spans if span.start > day]
        if later:
            span = min(later, key=lambda s: s.start)
            span.start, span.from_missing = day, True
        else:
            spans.append(PeriodOfCare(day, None, from_missing=True))
            spans.sort(key=lambda s: s.start)
    return care


def export(year: CollectionYear) -> Export:
    """The year's tables, and what was left out or assumed."""
    first, after = year.bounds
    missing_episodes = list(looked_after_at_start(year).order_by("child_id", "last_seen_at", "id"))
    left_out: Counter[str] = Counter()
    not_looked_after = (
        Episode.objects.filter(
            child__merged_into__isnull=True, last_seen_at__gte=first, last_seen_at__lt=after
        )
        .exclude(legal_status=LegalStatusKind.CLA)
        .filter(Q(missing_from=MissingFrom.CARE) | Q(kind=EpisodeKind.AWAY))
        .count()
    )
    if not_looked_after:
        left_out[NOT_LOOKED_AFTER_AT_START] = not_looked_after

    periods = list(
        LegalStatus.objects.in_force_during(year.start, year.end)
        .filter(status=LegalStatusKind.CLA, child__merged_into__isnull=True)
        .order_by("child_id", "start_date")
    )
    child_ids = {p.child_id for p in periods} | {e.child_id for e in missing_episodes}
    children = {c.pk: c for c in Child.objects.filter(pk__in=child_ids)}
    upns = dict(
        ChildIdentifier.objects.filter(child_id__in=child_ids, kind=ChildIdentifier.Kind.UPN)
        .order_by("pk")
        .values_list("child_id", "value")
    )
    kind = child_identifier_kind()
    identifiers: dict[int, str] = {}
    if kind is not None:
        # The first recorded, should a child hold two of the kind.
        identifiers = dict(
            ChildIdentifier.objects.filter(child_id__in=child_ids, kind=kind)
            .order_by("-pk")
            .values_list("child_id", "value")
        )

    def ref(child_id: int) -> str:
        return identifiers.get(child_id) or children[child_id].reference

    header = [
        [
            ref(child.pk),
            SEX.get(child.gender, ""),  # type: ignore[call-overload]
            _date(child.date_of_birth),
            child.ethnicity,
            upns.get(child.pk, ""),
            "",
            "",
        ]
        for child in sorted(children.values(), key=lambda c: (ref(c.pk), c.pk))
    ]

    missing = []
    days = []
    overlapping = 0
    previous: tuple[int, datetime.date | None] | None = None
    for episode in missing_episodes:
        child = children[episode.child_id]
        started = day_of(episode.last_seen_at)
        ended = day_of(episode.returned_at) if episode.returned_at else None
        shown_end = ended if ended and ended <= year.end else None
        if (
            previous is not None
            and previous[0] == episode.child_id
            and (previous[1] is None or started < previous[1])
        ):
            overlapping += 1
        previous = (episode.child_id, shown_end)
        days.append((episode.child_id, started))
        missing.append(
            [
                ref(child.pk),
                _date(child.date_of_birth),
                "A" if episode.kind == EpisodeKind.AWAY else "M",
                _date(started),
                _date(shown_end),
            ]
        )

    care = periods_of_care(periods, days)
    episodes = [
        [
            ref(child_id),
            _date(span.start),
            "S",
            "",
            "",
            "",
            "",
            _date(span.end if span.end and span.end <= year.end else None),
            "",
            "",
            "",
            "",
            "",
        ]
        for child_id in sorted(care, key=lambda pk: (ref(pk), pk))
        for span in care[child_id]
    ]
    return Export(
        tables={"header": header, "episodes": episodes, "missing": missing},
        left_out=left_out,
        identifier_kind=kind,
        children_without_identifier=(
            sum(1 for pk in child_ids if pk not in identifiers) if kind is not None else 0
        ),
        periods_from_missing=sum(s.from_missing for spans in care.values() for s in spans),
        overlapping=overlapping,
    )


def tables(year: CollectionYear) -> dict[str, list[list[str]]]:
    return export(year).tables


def as_csv(name: str, rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[name])
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8")
