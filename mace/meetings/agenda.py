"""The agenda of a panel meeting, built from the records as they stood at the meeting's
start (SPEC C7, 003 A5): who is missing now, who went missing since the last meeting,
repeat missing, children placed here by other authorities, return interviews overdue or
refused; exploitation cases by the cadence's sections; young people approaching
adulthood (T20); and, of the children on the agenda, those whose supervision is overdue
(T16), so the chair sees where oversight has lapsed.

Worklist facts (interviews overdue, T16, T20) are read as they are now: an agenda is
built for a meeting about to happen, not re-created for one long past.

`build(series, day)` returns, per section, the children and why each is there. It reads
every child (the panel's business), so only services call it; pages read AgendaItems
through selectors that apply the access rules.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from mace.education.models import CMECase, MissingOutEntry
from mace.episodes.models import Episode
from mace.exploitation.models import Assessment, ExploitationType, RiskLevel
from mace.interviews.models import ReturnInterview
from mace.lib.days import day_of
from mace.meetings import cadence
from mace.meetings.models import PanelSeries, Section
from mace.people.models import Child
from mace.worklist.models import DueItem
from mace.worklist.thresholds import thresholds

REPEAT_WINDOW = datetime.timedelta(days=365)
REPEAT_EPISODES = 2  # "repeat missing": more than one episode (SPEC C9, seeds 000-004)
SECTION_TYPES: dict[str, list[str]] = {
    Section.SEXUAL_EXPLOITATION: [ExploitationType.SEXUAL],
    Section.GANGS_PREVENT: [ExploitationType.CRIMINAL, ExploitationType.RADICALISATION],
}


@dataclass(frozen=True)
class Window:
    """The meeting's start, and the start of the last meeting before it."""

    at: datetime.datetime
    since: datetime.datetime


def window(series: PanelSeries, day: datetime.date) -> Window:
    at = cadence.starts_at(day, series.time)
    before = cadence.previous_meeting(series, day)
    since = cadence.starts_at(before, series.time) if before else at - datetime.timedelta(days=7)
    return Window(at=at, since=since)


Reasons = dict[int, list[str]]  # child pk -> why they are on the agenda


def _add(reasons: Reasons, child_id: int, reason: str) -> None:
    if reason not in reasons[child_id]:
        reasons[child_id].append(reason)


def missing(w: Window, home_ons_code: str) -> Reasons:
    reasons: Reasons = defaultdict(list)
    episodes = Episode.objects.filter(child__merged_into__isnull=True).select_related(
        "placement__placing_authority"
    )
    now_missing = episodes.filter(last_seen_at__lte=w.at).filter(
        Q(returned_at__isnull=True) | Q(returned_at__gt=w.at)
    )
    recent = episodes.filter(reported_at__gt=w.since, reported_at__lte=w.at)
    for episode in now_missing:
        _add(reasons, episode.child_id, "Missing now")
    for episode in recent:
        _add(reasons, episode.child_id, "Missing since the last meeting")
    for episode in [*now_missing, *recent]:
        placement = episode.placement
        if placement and placement.placing_authority.ons_code != home_ons_code:
            _add(
                reasons,
                episode.child_id,
                f"Placed here by {placement.placing_authority.name}",
            )
    counts = (
        Episode.objects.filter(
            child_id__in=list(reasons), reported_at__gt=w.at - REPEAT_WINDOW, reported_at__lte=w.at
        )
        .values("child_id")
        .annotate(n=Count("id"))
    )
    for row in counts:
        if row["n"] >= REPEAT_EPISODES:
            _add(reasons, row["child_id"], f"Repeat missing: {row['n']} episodes in 12 months")
    # Interviews overdue now and already due at the meeting (an item closed since was done).
    overdue = DueItem.objects.filter(
        rule="T7", status=DueItem.Status.OPEN, due_at__lt=w.at, child__isnull=False
    )
    for item in overdue:
        _add(reasons, item.child_id, "Return interview overdue")  # type: ignore[arg-type]
    refused = ReturnInterview.objects.filter(
        status=ReturnInterview.Status.DECLINED, referred_at__gt=w.since, referred_at__lte=w.at
    ).values_list("episode__child_id", flat=True)
    for child_id in refused:
        _add(reasons, child_id, "Return interview refused")
    return reasons


def exploitation(w: Window, types: list[str]) -> Reasons:
    """Children whose latest assessment before the meeting shows an open risk of one of
    these types of exploitation: each such case is reviewed by the cadence."""
    latest: dict[int, Assessment] = {}
    for assessment in Assessment.objects.filter(assessed_at__lte=w.at).order_by(
        "assessed_at", "pk"
    ):
        latest[assessment.child_id] = assessment
    reasons: Reasons = defaultdict(list)
    for child_id, assessment in latest.items():
        if assessment.is_open_risk and assessment.exploitation_type in types:
            _add(
                reasons,
                child_id,
                f"{assessment.get_exploitation_type_display()}: "
                f"{RiskLevel(assessment.level).label.lower()}, assessed "
                f"{assessment.assessed_at:%-d %b %Y}",
            )
    return reasons


def worklist(w: Window, rule: str, reason: str, among: set[int] | None = None) -> Reasons:
    """Children with an item of this rule open and falling due by the meeting (within four
    weeks of it for T20), or only those `among` the children already on the agenda."""
    horizon = w.at + (datetime.timedelta(weeks=4) if rule == "T20" else datetime.timedelta(0))
    items = DueItem.objects.filter(
        rule=rule, child__isnull=False, due_at__lte=horizon, status=DueItem.Status.OPEN
    )
    if among is not None:
        items = items.filter(child_id__in=among)
    reasons: Reasons = defaultdict(list)
    for item in items:
        _add(reasons, item.child_id, f"{reason} {item.due_at:%-d %b %Y}")  # type: ignore[arg-type]
    return reasons


def build(series: PanelSeries, day: datetime.date) -> dict[str, Reasons]:
    """Section code -> {child pk: reasons}, for the sections of the meeting on that day."""
    w = window(series, day)
    home = thresholds().home_authority_ons_code
    out: dict[str, Reasons] = {}
    for section in cadence.sections_on(series, day):
        if section == Section.MISSING:
            out[section] = missing(w, home)
        elif section in SECTION_TYPES:
            out[section] = exploitation(w, SECTION_TYPES[section])
        elif section == Section.TRANSITION:
            out[section] = worklist(w, "T20", "Turns 17 and a half, listed for transition by")
        elif section == Section.SUPERVISION:
            continue  # after the others: it lists only children already on the agenda
        elif section == Section.EDUCATION:
            out[section] = education(w)
    if Section.SUPERVISION in cadence.sections_on(series, day):
        on_agenda = {pk for reasons in out.values() for pk in reasons}
        out[Section.SUPERVISION] = worklist(w, "T16", "Supervision was due", among=on_agenda)
    live = set(Child.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    return {
        section: {pk: why for pk, why in reasons.items() if pk in live}
        for section, reasons in out.items()
    }


def education(w: Window) -> Reasons:
    """Children on the register of children missing education at the meeting (003 A5: the
    3rd Tuesday), and pupils missing out on education who meet a criterion of concern
    (003 §47) and were not resolved by then."""
    reasons: Reasons = defaultdict(list)
    day = day_of(w.at)
    cases = CMECase.objects.filter(absent_since__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )
    for case in cases:
        where = "unknown" if case.destination == CMECase.Destination.UNKNOWN else "known"
        _add(
            reasons,
            case.child_id,
            f"Missing education since {case.absent_since:%-d %b %Y}, destination {where}",
        )
    entries = (
        MissingOutEntry.objects.exclude(concerns=[])
        .filter(termly_return__received_on__lte=day)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=day))
        .select_related("termly_return")
    )
    for entry in entries:
        _add(
            reasons,
            entry.child_id,
            f"Missing out on education ({entry.termly_return.school}): "
            + "; ".join(label.lower() for label in entry.concern_labels()),
        )
    return reasons
