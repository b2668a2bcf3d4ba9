"""Ofsted's Annex A list 8 missing columns and the Standard Safeguarding Dataset's missing
object (SPEC C9), as CSV.

Annex A list 8 (children in care), one row a child looked after on the reference date:
- missing episodes in the 12 months up to the date (kind missing, last seen in the window);
- absences from placement in those 12 months (kind away);
- whether a return interview was offered after the last of those episodes, and accepted:
  "Yes" or "No", blank when the child had none. "Offered" means an offer time is recorded;
  "accepted" means an offer was accepted or the interview was completed.

Standard Safeguarding Dataset, one row a missing episode whose last-seen time (UK) falls in the
period, for every child: start, end (blank while still missing), missing or absent, return
interview offered and accepted (Y or N).
"""

import csv
import datetime
import io

from django.utils import timezone

from mace.episodes.models import Episode, EpisodeKind
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.lib.days import add_months
from mace.lib.spreadsheet import safe_row
from mace.people.models import Child, LegalStatus, LegalStatusKind

ANNEX_A_COLUMNS = [
    "Child Unique ID",
    "Number of missing episodes in the last 12 months",
    "Number of absences from placement in the last 12 months",
    "Offered a return interview after the last missing episode",
    "Accepted a return interview after the last missing episode",
]
SSD_COLUMNS = [
    "missing_table_id",
    "person_id",
    "missing_episode_start_date",
    "missing_episode_end_date",
    "missing_episode_type",
    "missing_rhi_offered",
    "missing_rhi_accepted",
]


def _interview(episode: Episode) -> ReturnInterview | None:
    try:
        return episode.return_interview
    except ReturnInterview.DoesNotExist:
        return None


def offered_and_accepted(episode: Episode) -> tuple[bool, bool]:
    interview = _interview(episode)
    if interview is None:
        return False, False
    offers = list(interview.offers.all())
    accepted = interview.status in {
        ReturnInterview.Status.ACCEPTED,
        ReturnInterview.Status.COMPLETED,
    } or any(o.response == InterviewOffer.Response.ACCEPTED for o in offers)
    return bool(offers), accepted


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))


def annex_a_rows(on: datetime.date) -> list[list[str]]:
    in_care = Child.objects.filter(
        merged_into__isnull=True,
        pk__in=LegalStatus.objects.in_force_on(on)
        .filter(status=LegalStatusKind.CLA)
        .values("child_id"),
    )
    year_ago = add_months(on, -12)
    since = _midnight(year_ago + datetime.timedelta(days=1))
    until = _midnight(on + datetime.timedelta(days=1))
    rows = []
    for child in in_care.order_by("reference"):
        episodes = list(
            Episode.objects.filter(child=child, last_seen_at__gte=since, last_seen_at__lt=until)
            .select_related("return_interview")
            .prefetch_related("return_interview__offers")
            .order_by("last_seen_at", "pk")
        )
        missing = sum(1 for e in episodes if e.kind == EpisodeKind.MISSING)
        away = sum(1 for e in episodes if e.kind == EpisodeKind.AWAY)
        offered = accepted = ""
        if episodes:
            was_offered, was_accepted = offered_and_accepted(episodes[-1])
            offered = "Yes" if was_offered else "No"
            accepted = "Yes" if was_accepted else "No"
        rows.append([child.reference, str(missing), str(away), offered, accepted])
    return rows


def ssd_rows(start: datetime.date, end: datetime.date) -> list[list[str]]:
    rows = []
    for episode in (
        Episode.objects.filter(
            last_seen_at__gte=_midnight(start),
            last_seen_at__lt=_midnight(end + datetime.timedelta(days=1)),
            child__merged_into__isnull=True,
        )
        .select_related("child", "return_interview")
        .prefetch_related("return_interview__offers")
        .order_by("last_seen_at", "pk")
    ):
        offered, accepted = offered_and_accepted(episode)
        rows.append(
            [
                str(episode.public_id),
                episode.child.reference,
                timezone.localtime(episode.last_seen_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(episode.returned_at).strftime("%Y-%m-%d %H:%M")
                if episode.returned_at
                else "",
                "Absent" if episode.kind == EpisodeKind.AWAY else "Missing",
                "Y" if offered else "N",
                "Y" if accepted else "N",
            ]
        )
    return rows


def as_csv(columns: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8-sig")
