"""Reading panels as far as the user may see them: the panels, a meeting's agenda with each
child's discussion, a child's actions, and the MASE borough profile (003 A6), in which
persons of concern and hotspots are restricted intelligence."""

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from mace.access import policy
from mace.accounts.models import Agency, User
from mace.exploitation.models import Assessment, ExploitationType, RiskLevel
from mace.intelligence.models import AgeGroup, Location, PersonOfConcern
from mace.meetings import cadence
from mace.meetings.models import (
    AgencyRiskView,
    AgendaItem,
    Attendance,
    MeetingAction,
    PanelAction,
    PanelMeeting,
    PanelSeries,
    Section,
)
from mace.people.models import Child, Gender


def panels_for(*, actor: User) -> list[PanelSeries]:
    return [s for s in PanelSeries.objects.filter(is_active=True) if policy.can_see_panel(actor, s)]


def series_get(*, actor: User, public_id: str) -> PanelSeries:
    series = PanelSeries.objects.filter(public_id=public_id).first()
    if series is None:
        raise Http404
    policy.require(policy.can_see_panel(actor, series))
    return series


def meeting_get(*, actor: User, public_id: str) -> PanelMeeting:
    meeting = (
        PanelMeeting.objects.select_related("series__chair", "minutes_agreed_by")
        .filter(public_id=public_id)
        .first()
    )
    if meeting is None:
        raise Http404
    policy.require(policy.can_see_panel(actor, meeting.series))
    return meeting


@dataclass(frozen=True)
class ScheduleRow:
    """A date of the panel. `is_next` marks the first date from today; a date that has
    passed without the meeting being opened is `passed_unopened`: its agenda can no longer
    be built from the records, so it is not offered."""

    day: datetime.date
    sections: list[str]
    meeting: PanelMeeting | None
    is_next: bool = False
    passed_unopened: bool = False


def schedule(series: PanelSeries, around: datetime.date) -> list[ScheduleRow]:
    """The series' meetings from four weeks back to eight ahead, with any already opened."""
    days = cadence.meeting_dates(
        series, around - datetime.timedelta(weeks=4), around + datetime.timedelta(weeks=8)
    )
    if series.kind == PanelSeries.Kind.MASE:
        days = cadence.meeting_dates(
            series, around - datetime.timedelta(days=120), around + datetime.timedelta(days=200)
        )
    opened = {m.date: m for m in series.meetings.filter(date__in=days)}
    labels = dict(Section.choices)
    upcoming = [day for day in days if day >= around]
    return [
        ScheduleRow(
            day=day,
            sections=[labels[s] for s in cadence.sections_on(series, day) if s in labels],
            meeting=opened.get(day),
            is_next=bool(upcoming) and day == upcoming[0],
            passed_unopened=day < around and day not in opened,
        )
        for day in days
    ]


@dataclass
class AgendaRow:
    """One child on the agenda, as far as the user may see them (policy.AgendaDisclosure):
    `child` is None while the record is restricted to them, and then only `reference`
    and `public_id` are shown, with "Restricted"."""

    item: AgendaItem
    reference: str
    public_id: uuid.UUID
    shows: policy.AgendaDisclosure
    child: Child | None
    views: list[AgencyRiskView] = field(default_factory=list)
    actions: list[PanelAction] = field(default_factory=list)
    priority: str = "discuss"  # one of PRIORITY_MINUTES
    also_under: list[str] = field(default_factory=list)  # earlier sections listing the child


# How long the plan gives each child (issue 19 point 9): a child missing now, at high risk,
# missing repeatedly or refusing their interview is discussed first and at more length; a
# child already discussed in an earlier section of the same meeting is noted, not
# discussed again.
PRIORITY_MINUTES = {"first": 5, "discuss": 3, "noting": 1}
PRIORITY_LABELS = {"first": "Discuss first", "discuss": "Discuss", "noting": "For noting"}
_FIRST_REASONS = ("Missing now", "Repeat missing", "Return interview refused")


def _priority(reasons: list[str]) -> str:
    urgent = any(
        reason.startswith(_FIRST_REASONS) or ": high, assessed" in reason for reason in reasons
    )
    return "first" if urgent else "discuss"


@dataclass
class AgendaSection:
    code: str
    label: str
    rows: list[AgendaRow]

    @property
    def minutes(self) -> int:
        return sum(PRIORITY_MINUTES[row.priority] for row in self.rows)

    @property
    def priority_counts(self) -> dict[str, int]:
        found = Counter(row.priority for row in self.rows)
        return {key: found[key] for key in PRIORITY_MINUTES}


@dataclass(frozen=True)
class AgendaPlan:
    """The time the agenda needs against the length of the meeting."""

    sections: list[AgendaSection]
    length: int  # minutes the meeting lasts (PanelSeries.length_minutes)

    @property
    def minutes(self) -> int:
        return sum(section.minutes for section in self.sections)

    @property
    def over(self) -> int:
        return max(0, self.minutes - self.length)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.priority for section in self.sections for row in section.rows)
        return {label: found[key] for key, label in PRIORITY_LABELS.items()}


def agencies_present(*, meeting: PanelMeeting) -> list[Agency]:
    """The agencies with someone present at the meeting (not apologies), by name: the
    discussion form offers a row for each one's view of the risk."""
    return list(
        Agency.objects.filter(
            pk__in=meeting.attendance.filter(status=Attendance.Status.PRESENT).values("agency")
        ).order_by("name")
    )


def agenda_plan(*, meeting: PanelMeeting, sections: list[AgendaSection]) -> AgendaPlan:
    return AgendaPlan(sections=sections, length=meeting.series.length_minutes)


def agenda(*, actor: User, meeting: PanelMeeting) -> list[AgendaSection]:
    """The meeting's agenda by section, in the order of 003 A5, for the meeting pages and
    the pack. A restricted child the user has not opened with a reason comes last in its
    section, by reference (their place among the names would hint at the name)."""
    policy.require(policy.can_see_panel(actor, meeting.series))
    items = list(
        meeting.items.select_related("child__allocated_worker")
        .prefetch_related(
            Prefetch("risk_views", queryset=AgencyRiskView.objects.select_related("agency")),
            Prefetch("actions", queryset=PanelAction.objects.select_related("owner")),
        )
        .order_by("child__last_name", "child__first_name")
    )
    shows = policy.agenda_disclosures(actor, [item.child for item in items])
    sections: dict[str, AgendaSection] = {
        code: AgendaSection(code=code, label=label, rows=[])
        for code, label in Section.choices
        if code in cadence.sections_on(meeting.series, meeting.date)
    }
    for item in items:
        section = sections.setdefault(
            item.section, AgendaSection(item.section, item.get_section_display(), [])
        )
        disclosed = shows[item.child_id]
        section.rows.append(
            AgendaRow(
                item=item,
                reference=item.child.reference,
                public_id=item.child.public_id,
                shows=disclosed,
                child=item.child if disclosed.summary else None,
                views=list(item.risk_views.all()) if disclosed.summary else [],
                actions=list(item.actions.all()) if disclosed.summary else [],
            )
        )
    # In the order of the sections: a child already listed in an earlier section is noted
    # in the later ones. A restricted child's reasons are not read for the priority (it
    # would say why they are there); the plan gives them the time of a discussion.
    seen: dict[int, str] = {}
    for section in sections.values():
        for row in section.rows:
            if row.child is not None and row.item.child_id in seen:
                row.priority = "noting"
                row.also_under = [seen[row.item.child_id]]
            elif row.child is not None:
                row.priority = _priority(row.item.reasons)
        for row in section.rows:
            seen.setdefault(row.item.child_id, section.label)
        order = list(PRIORITY_MINUTES)
        section.rows.sort(
            key=lambda row: (
                row.child is None,
                order.index(row.priority) if row.child else 0,
                "" if row.child else row.reference,
            )
        )
    return list(sections.values())


@dataclass(frozen=True)
class ChildActions:
    panel: list[PanelAction]
    strategy: list[MeetingAction]


def actions_for_child(*, actor: User, child: Child) -> ChildActions:
    policy.require(bool(policy.can_view_child(actor, child)))
    return ChildActions(
        panel=list(
            PanelAction.objects.filter(child=child).select_related("owner", "meeting__series")
        ),
        strategy=list(
            MeetingAction.objects.filter(meeting__child=child).select_related("owner", "meeting")
        ),
    )


@dataclass
class BoroughProfile:
    """003 A6 responsibility 4: the borough profile the MASE builds, for a period."""

    start: datetime.date
    end: datetime.date
    # Children assessed in the period, by level and by type of exploitation (latest each).
    levels: list[tuple[str, int]]
    types: list[tuple[str, int]]
    genders: list[tuple[str, int]]
    # Intelligence, for cleared users only; others get `restricted` and no numbers.
    restricted: bool
    persons_by_gender: list[tuple[str, int]] = field(default_factory=list)
    persons_by_age: list[tuple[str, int]] = field(default_factory=list)
    hotspots: QuerySet[Location] | None = None


def borough_profile(*, actor: User, start: datetime.date, end: datetime.date) -> BoroughProfile:
    """The borough profile: who is assessed at what level for which exploitation, and (for
    cleared users) the persons of concern and hotspots behind it."""
    policy.require(policy.sees_identifiable_data(actor))
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(assessed_at__date__range=(start, end))
        .select_related("child")
        .order_by("assessed_at", "pk")
    ):
        latest[assessment.child_id] = assessment
    levels = Counter(a.level for a in latest.values())
    types = Counter(a.exploitation_type for a in latest.values())
    genders = Counter(a.child.gender for a in latest.values())
    profile = BoroughProfile(
        start=start,
        end=end,
        levels=[(level.label, levels.get(level.value, 0)) for level in RiskLevel],
        types=[(kind.label, types.get(kind.value, 0)) for kind in ExploitationType],
        genders=[(g.label, genders[g.value]) for g in Gender if genders.get(g.value)],
        restricted=not policy.can_see_intelligence(actor),
    )
    if profile.restricted:
        return profile
    persons = PersonOfConcern.objects.all()
    by_gender = Counter(persons.values_list("gender", flat=True))
    by_age = Counter(persons.values_list("age_group", flat=True))
    profile.persons_by_gender = [
        (g.label, by_gender[g.value]) for g in Gender if by_gender.get(g.value)
    ]
    profile.persons_by_age = [(a.label, by_age[a.value]) for a in AgeGroup if by_age.get(a.value)]
    profile.hotspots = (
        Location.objects.filter(is_hotspot=True)
        .annotate(
            child_links=Count(
                "links",
                filter=Q(links__child__isnull=False, links__observed_on__lte=end),
            )
        )
        .order_by("-child_links", "name")
    )
    return profile
