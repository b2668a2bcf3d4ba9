"""The SSDA903 return's Header, Episodes and Missing tables (SPEC C9, section 5), in the
Department for Education's CSV layout: dates DD/MM/YYYY, the columns in its order, no others.

The collection year `year` runs from 1 April of the year before to 31 March of `year`.

- Header: each child looked after at some time in the year (a CLA legal status overlapping
  it): CHILD (the MACE reference), SEX (1 male, 2 female, else blank), DOB, ETHNIC, UPN (the
  unique pupil number where held), MOTHER and MC_DOB (not held: blank).
- Episodes: each period of care MACE holds (a CLA legal status) overlapping the year: DECOM
  (its start) and DEC (its end, if in the year); the other columns need data MACE does not
  hold (legal status codes, placement types and providers) and are left blank for the case
  management system to fill in.
- Missing: each missing episode or absence of a looked-after child (looked after when last
  seen) that started in the year: MISSING M (missing) or A (away from placement without
  authorisation), MIS_START (the local date last seen), MIS_END (the local date found or
  returned, left blank if after the year's end or not yet).
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils import timezone

from mace.episodes.models import Episode, EpisodeKind
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


@dataclass(frozen=True)
class CollectionYear:
    year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year - 1, 4, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 3, 31)


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def tables(year: CollectionYear) -> dict[str, list[list[str]]]:
    periods = list(
        LegalStatus.objects.in_force_during(year.start, year.end)
        .filter(status=LegalStatusKind.CLA, child__merged_into__isnull=True)
        .order_by("child_id", "start_date")
    )
    child_ids = {p.child_id for p in periods}
    children = {c.pk: c for c in Child.objects.filter(pk__in=child_ids)}
    upns = dict(
        ChildIdentifier.objects.filter(child_id__in=child_ids, kind=ChildIdentifier.Kind.UPN)
        .order_by("pk")
        .values_list("child_id", "value")
    )
    header = [
        [
            child.reference,
            SEX.get(child.gender, ""),  # type: ignore[call-overload]
            _date(child.date_of_birth),
            child.ethnicity,
            upns.get(child.pk, ""),
            "",
            "",
        ]
        for child in sorted(children.values(), key=lambda c: c.reference)
    ]
    episodes = [
        [
            children[p.child_id].reference,
            _date(p.start_date),
            "S",
            "",
            "",
            "",
            "",
            _date(p.end_date if p.end_date and p.end_date <= year.end else None),
            "",
            "",
            "",
            "",
            "",
        ]
        for p in periods
    ]
    first = timezone.make_aware(datetime.datetime.combine(year.start, datetime.time(0)))
    after = timezone.make_aware(
        datetime.datetime.combine(year.end + datetime.timedelta(days=1), datetime.time(0))
    )
    missing = []
    for episode in Episode.objects.filter(
        child_id__in=child_ids,
        legal_status=LegalStatusKind.CLA,
        last_seen_at__gte=first,
        last_seen_at__lt=after,
    ).order_by("child_id", "last_seen_at"):
        child = children[episode.child_id]
        started = timezone.localdate(episode.last_seen_at)
        ended = timezone.localdate(episode.returned_at) if episode.returned_at else None
        missing.append(
            [
                child.reference,
                _date(child.date_of_birth),
                "A" if episode.kind == EpisodeKind.AWAY else "M",
                _date(started),
                _date(ended if ended and ended <= year.end else None),
            ]
        )
    return {"header": header, "episodes": episodes, "missing": missing}


def as_csv(name: str, rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[name])
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8")
