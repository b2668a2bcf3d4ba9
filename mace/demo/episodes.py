"""Years of missing episodes for the demonstration authority, in the shape the seeds report.

`seed_demo` calls `seed_episodes` after the children. The shapes:

- the peak time for going missing is the school day, noon to 2pm (000), with a second,
  evening hump;
- 86% of episodes last 18 hours or less, the rest longer (001);
- just over a quarter of the children reported missing go more than once (001), and the
  most vulnerable looked-after children go many times (000);
- looked-after children go missing more often than others (000, 002 §4.6.5), many of them
  in association with other looked-after children (000);
- about 250 to 400 episodes a year for our 2,000 children: 002 §4.6.4 reports 568 episodes
  by 302 children in a year for a whole authority.

Every episode then has what the procedures ask for (003): a police risk grade, the
notifications, a safe-and-well check, a return home interview from the provider the rules
choose, a strategy meeting for a looked-after child, supervision every four weeks. Older
episodes have them all; the last few days leave some undone, so the worklist has
something to show. Everything is planned in memory, written with bulk_create, and the
worklist brought in step with `sync_child` at the end. Nothing is audited: seeding is not
the work of a user. The same rng and Faker state give the same episodes.
"""

import math
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.utils import timezone
from faker import Faker

from mace.accounts.models import User
from mace.documents.models import DirectorLetter
from mace.episodes.factors import PushPullFactor
from mace.episodes.models import (
    Episode,
    EpisodeKind,
    EpisodeNotification,
    MissingFrom,
    ReturnMethod,
    RiskGrade,
    RiskGrading,
)
from mace.interviews.models import (
    InterviewOffer,
    InterviewTheme,
    InterviewThemeCoding,
    ReturnInterview,
    SafeAndWellCheck,
)
from mace.interviews.services import choose_provider
from mace.lib.days import add_months, day_of, in_force_on, month_end, month_starts
from mace.meetings.models import MeetingAction, StrategyMeeting, SupervisionDiscussion
from mace.people.models import (
    Child,
    Involvement,
    LegalStatus,
    LegalStatusKind,
    Placement,
    RelatedPerson,
)
from mace.worklist.engine import children_maybe_due, sync_child
from mace.worklist.models import DueItem
from mace.worklist.rules import next_weekly_meeting
from mace.worklist.thresholds import thresholds

T = TypeVar("T")

CSC = "Northbridge Children's Social Care"

# Who goes missing -----------------------------------------------------------------------

# The youngest age at which the demonstration children go missing.
MIN_AGE = 10
# The chance of going missing in any one year, by the child's status now. About 8% of all
# the children go missing in a year, looked-after children three or four times as often.
ANNUAL_MISSING_RATE: dict[str, float] = {
    LegalStatusKind.CLA: 0.2,
    LegalStatusKind.CARE_LEAVER: 0.18,
    LegalStatusKind.CP: 0.13,
    LegalStatusKind.CIN: 0.11,
    LegalStatusKind.EH: 0.09,
    LegalStatusKind.NONE: 0.07,
}
# Of the children who go missing, the share who go more than once: "just over a quarter"
# overall (001), mostly children in or leaving care (000).
REPEAT_CHANCE_CARE = 0.5
REPEAT_CHANCE_OTHERS = 0.18
# How many episodes a repeat child has: mostly two or three, a few many (frequent MISPERs).
REPEAT_EPISODES: dict[int, float] = {
    2: 30,
    3: 18,
    4: 12,
    5: 9,
    6: 7,
    7: 5,
    8: 4,
    9: 3,
    10: 3,
    11: 2,
    12: 2,
    13: 1.5,
    14: 1,
    15: 1,
    16: 0.8,
    17: 0.6,
    18: 0.5,
    19: 0.4,
    20: 0.3,
}
# A single episode of a looked-after child is most often while in care.
SINGLE_IN_CARE = 0.65
# Episodes in association: the share of episodes that have a companion (000).
IN_ASSOCIATION = 0.12
OPEN_EPISODES = (3, 6)
DEMO_CASELOADS = ("social.worker", "social.worker2")
# How hard _spread_day leans away from crowded months (1: in proportion).
CROWD_WEIGHT = 2

# When and for how long --------------------------------------------------------------------

# Local hour last seen: the school-day peak, noon to 2pm (000), and an evening hump.
HOUR_WEIGHTS = (
    2.0, 1.3, 0.9, 0.6, 0.4, 0.4, 0.6, 1.0, 1.6, 2.2, 3.0, 4.2,
    10.0, 9.5, 5.2, 4.4, 4.6, 5.0, 5.6, 6.0, 5.6, 4.8, 3.6, 2.6,
)  # fmt: skip
HOUR_CUMULATIVE = tuple(sum(HOUR_WEIGHTS[: hour + 1]) for hour in range(24))
# "86% of the episodes were for 18 hours or less, the rest were over 18 hours" (001).
ENDED_WITHIN_18_HOURS = 0.86
MEDIAN_SHORT_HOURS = 4.5
MEAN_LONG_EXTRA_HOURS = 30
LONGEST_HOURS = 8 * 24
AWAY_SHARE_FROM_CARE = 0.22
HIGH_RISK = 0.08
HIGH_RISK_CARE = 0.06  # added for a looked-after child
HIGH_RISK_FREQUENT = 0.08  # added from the fifth episode on
REGRADED = 0.03

# What is left undone, recently, for the worklist to show -----------------------------------

RECENT = timedelta(days=10)
RECENTLY_UNDONE = 0.3
OFFERED_WITHIN_72_HOURS = 0.8
INTERVIEW_OUTCOMES: dict[str, float] = {"completed": 0.6, "declined": 0.2, "no_contact": 0.2}
MEETING_WITHIN_24_HOURS = 0.9
SUPERVISION_GAP = 0.15
LETTER_AFTER = timedelta(days=14)

# Words --------------------------------------------------------------------------------------

PLACES = (
    "Croydon",
    "Lewisham",
    "Brixton",
    "Stratford",
    "Camden Town",
    "Wembley",
    "Romford",
    "Peckham",
    "central London",
)
AREAS = (
    "Ashdown Vale",
    "Bramwell",
    "Cressfield",
    "Dunmere",
    "Eastwick Park",
    "Fenwood",
    "Kestrel Heath",
    "Millbrook Green",
    "Northbridge Central",
    "Riverside North",
)
NICKNAMES = ("'T'", "'Kay'", "'Junior'", "'Boss'", "'Skinny'", "'Dee'", "'Smokey'")
TOPICS = ("coming home late", "their phone", "school", "the friends they see", "money")
LAST_SEEN_HOME = (
    "Home address",
    "Outside {school}",
    "{street}, {area}",
    "{area} shopping parade",
    "Northbridge bus station",
    "A friend's address on {street}",
)
LAST_SEEN_CARE = (
    "The placement",
    "The placement",
    "Outside {school}",
    "{street}, {area}",
    "Northbridge bus station",
)
CIRCUMSTANCES_HOME = (
    "Left home after an argument with {carer} about {topic} and did not come back by the "
    "agreed time.",
    "Went out after school saying they were meeting friends; phone switched off since.",
    "Did not come home from school. Friends say they got into a car with older young people.",
    "Left the house during the night; {carer} found the bedroom window open.",
    "Went to the shops and did not come back; not answering calls or messages.",
)
CIRCUMSTANCES_CARE = (
    "Did not come back to the placement by the agreed time of {curfew}.",
    "Left the placement after being told they could not go out; carers followed the "
    "missing protocol.",
    "Walked out of school at lunchtime and did not return to the placement.",
    "Left with another young person from the home; believed to be heading to {place}.",
    "Said they were going to see family in {place}; not there when carers called.",
)
CIRCUMSTANCES_AWAY = (
    "Known to be at a friend's address on {street}; refused to come back by the agreed time.",
    "Staying with their mother in {place} against the care plan; whereabouts known.",
    "Texted carers to say they are at a party in {area} and will not come back tonight.",
)
WITH_OTHERS = (
    "Believed to be with an older male known as {nickname}.",
    "Seen getting into a car with two adult males.",
    "With a group of older young people from {area}.",
)
FOUND_LOCATIONS = (
    "A friend's address on {street}",
    "{place} railway station",
    "{area} park",
    "A fast-food restaurant on {street}",
    "Walked back in at {home}",
    "A relative's address in {place}",
    "{street}, {place}",
    "On a bus in {place}",
)
WHERE_BEEN = (
    "Said they stayed at a friend's flat on {street} and spent the day in {place}.",
    "Moved between friends' houses overnight; would not give the addresses.",
    "Went to see family in {place} and stayed over.",
    "With friends in {area} park until late, then slept at a friend's.",
    "Went to {place} by train with older young people; would not say why.",
    "Says they rode night buses to stay warm.",
)
WHO_WITH = (
    "Friends from school",
    "An older male known to them as {nickname}",
    "Another young person from the placement",
    "Their older brother",
    "A group of young people from {area}",
    "Would not say",
)
FOUND_BY: dict[str, tuple[str, ...]] = {
    ReturnMethod.RETURNED_THEMSELVES: ("",),
    ReturnMethod.FOUND_BY_POLICE: ("PC {surname}", "Response officers", "British Transport Police"),
    ReturnMethod.FOUND_BY_FAMILY: ("{carer}", "Their aunt", "Their older sister"),
    ReturnMethod.FOUND_BY_PROFESSIONAL: ("Their social worker", "A youth worker", "School staff"),
    ReturnMethod.OTHER: ("A member of the public", "A friend's parent"),
}
RETURN_METHOD_WEIGHTS: dict[str, float] = {
    ReturnMethod.RETURNED_THEMSELVES: 50,
    ReturnMethod.FOUND_BY_POLICE: 20,
    ReturnMethod.FOUND_BY_FAMILY: 18,
    ReturnMethod.FOUND_BY_PROFESSIONAL: 8,
    ReturnMethod.OTHER: 4,
}
FACTORS_CARE: dict[str, float] = {
    PushPullFactor.PLACEMENT_CONFLICT: 10,
    PushPullFactor.RUNNING_HOME: 8,
    PushPullFactor.PEER_INFLUENCE: 9,
    PushPullFactor.ADULT_INFLUENCE: 5,
    PushPullFactor.SUBSTANCE_MISUSE: 4,
    PushPullFactor.BOUNDARIES: 6,
    PushPullFactor.GANG: 2,
    PushPullFactor.OFFENDING: 2,
    PushPullFactor.SCHOOL: 2,
}
FACTORS_HOME: dict[str, float] = {
    PushPullFactor.CONFLICT: 10,
    PushPullFactor.FAMILY_RELATIONSHIPS: 8,
    PushPullFactor.BOUNDARIES: 8,
    PushPullFactor.PEER_INFLUENCE: 7,
    PushPullFactor.SCHOOL: 4,
    PushPullFactor.BULLYING: 3,
    PushPullFactor.SUBSTANCE_MISUSE: 3,
    PushPullFactor.ADULT_INFLUENCE: 2,
    PushPullFactor.ABUSE_OR_NEGLECT: 1.5,
    PushPullFactor.GANG: 1,
    PushPullFactor.OFFENDING: 1,
}
HIGH_RISK_REASONS = (
    "Known to associate with adults suspected of exploitation.",
    "Threatened self-harm before leaving.",
    "Believed to be in {place} with older males; phone off.",
    "Previous episodes included a disclosure of being given drugs to carry.",
)
SAFE_AND_WELL_FINDINGS = (
    "Spoke openly. No injuries seen. Advised about keeping safe and who to call.",
    "Reluctant to talk; confirmed they were not hurt. Information shared with CSC.",
    "Tired and hungry but well. Gave the names of friends they were with.",
    "Had new clothes and a phone they could not account for; passed to the MACE coordinator.",
)
CHILDS_ACCOUNT = (
    "{name} said they left because they had argued with {carer} about {topic}. They stayed "
    "at a friend's and felt safe, but knows their phone being off worried everyone.",
    "{name} said friends asked them to come out and they did not want to say no. They went "
    "to {place} and came back when their money ran out.",
    "{name} said they wanted to see their family in {place}. They would like more contact "
    "and feel nobody listens when they ask.",
    "{name} said they are fed up with the rules and being told what to do. They spent the "
    "night at {street} with people they met recently.",
    "{name} said they are being picked on at school and did not want to talk about it at "
    "home, so they stayed out.",
)
PARENTS_VIEWS = (
    "{carer} was very worried and says {name} has been more withdrawn lately.",
    "{carer} thinks the friendships {name} has made in {area} are a bad influence.",
    "{carer} says things have been calmer since the family support worker started.",
    "Carers would like more help with boundaries and a clearer plan for evenings.",
)
INTERVIEWER_ANALYSIS = (
    "Push factors at home are the main concern; pull factors seem limited. Recommend family "
    "support and a review in four weeks.",
    "Concern about older associates and unexplained money: CSE screening tool to be "
    "completed and shared with the MACE panel.",
    "{name} engaged well and knows how to get help. Safety plan agreed; no further action "
    "beyond it.",
    "Repeated episodes linked to conflict in the placement: raise at the placement stability "
    "meeting and consider a change of key worker.",
)
HARBOURED = (
    "",
    "",
    "Stayed at a flat on {street}; the adult there is not known to services.",
    "At a friend's; the friend's mother knew they were there and did not call anyone.",
)
FIND_NEXT_TIME = (
    "Check {street} and {area} park first; friends' names shared with police.",
    "Call their cousin in {place}; they usually go there.",
    "Usually at the fast-food places on {street} in the evening.",
    "Ask the school's designated safeguarding lead: friends talk to her.",
)
REFERRALS = (
    "",
    "",
    "CAMHS referral discussed with {name} and their carer.",
    "Referral to the targeted youth service for weekly sessions.",
    "School nurse, with {name}'s consent.",
)
REFUSAL_CONSIDERED = (
    "Declined the interview; the social worker will talk it through at the next visit. Not a "
    "safeguarding concern in itself: the reason for going missing is known.",
    "Refused again after a repeat offer. With older associates involved this is a "
    "safeguarding concern: raised with the MACE panel.",
    "Did not want to speak to someone new; the key worker will cover the questions instead.",
)
OFFER_METHODS = ("Home visit", "Phone call", "Text message", "Visit at the placement", "At school")
ATTENDEE_ROLES = (
    ("Social worker", "Northbridge Children's Social Care"),
    ("Independent reviewing officer", "Northbridge Children's Social Care"),
    ("Looked-after children nurse", "Northbridge Community Health"),
    ("Designated safeguarding lead", "{school}"),
    ("Key worker", "{provider}"),
    ("Youth worker", "Northbridge Targeted Youth Service"),
)
INFORMATION_SHARED = (
    "Police checks on known associates; placement's account of the days before; school "
    "attendance this term.",
    "Recent pattern of episodes, phone contacts and places found; concerns from school about "
    "new older friends.",
    "Health: missed appointments. Police: intelligence about a flat on {street}.",
)
DECISION_NOTES = (
    "Threshold for a section 47 enquiry not met. Continue missing protocol and review at the "
    "weekly meeting.",
    "Risk of exploitation rising: complete CSE screening, refer to the MACE panel.",
    "Return home interview to be prioritised; placement to agree a clear curfew plan.",
)
SAFETY_PLANS = (
    "Agreed curfew of {curfew}; carers to call police at once if not back. Trusted adult: "
    "key worker.",
    "Phone checks every evening; known addresses passed to police; school to flag absence by 10am.",
    "Weekly sessions with the youth worker; {name} has the Runaway Helpline number.",
)
ACTIONS: dict[str, tuple[str, ...]] = {
    MeetingAction.Heading.PREVENT: (
        "Agree a curfew and contact plan with the placement",
        "Weekly direct work on safe relationships",
    ),
    MeetingAction.Heading.IDENTIFY: (
        "Complete the CSE screening tool",
        "Map friendships and places found with the police",
    ),
    MeetingAction.Heading.SUPPORT: (
        "Refer to CAMHS",
        "Arrange the return home interview",
        "Review education provision with the virtual school",
    ),
    MeetingAction.Heading.DISRUPT: (
        "Police to visit the flat on {street}",
        "Child abduction warning notice to be considered",
    ),
    MeetingAction.Heading.PROSECUTE: ("Police to review evidence of supplying drugs",),
}
ACTION_HEADINGS: dict[str, float] = {
    MeetingAction.Heading.PREVENT: 30,
    MeetingAction.Heading.IDENTIFY: 25,
    MeetingAction.Heading.SUPPORT: 30,
    MeetingAction.Heading.DISRUPT: 12,
    MeetingAction.Heading.PROSECUTE: 3,
}
SUPERVISION_NOTES = (
    "Pattern of missing episodes reviewed with the safety plan. Return interview outcome "
    "discussed.",
    "No episodes since the last discussion. Keep the plan; review again in four weeks.",
    "Episodes increasing: escalate to the MACE panel and ask for a strategy meeting.",
    "Discussed push and pull factors; family work to continue.",
)
REPORTER_ROLES: dict[str, str] = {
    Placement.Kind.FOSTER_CARE: "foster carer",
    Placement.Kind.KINSHIP: "kinship carer",
    Placement.Kind.CHILDRENS_HOME: "residential worker",
    Placement.Kind.SUPPORTED: "support worker",
}
CURFEWS = ("8pm", "9pm", "9:30pm", "10pm")
PARENT_NOT_TOLD = (
    "Not appropriate to tell the birth parents: contact is supervised under the care plan.",
    "The social worker decided not to tell them tonight: it would raise risk at home.",
)


@dataclass
class _Kid:
    """A child, with the history the episodes are planned against."""

    child: Child
    # (start, end or None, status), as recorded.
    statuses: list[tuple[date, date | None, str]]
    placements: list[Placement]
    parents: list[str]
    placed_here_by_another: bool
    # The days on which they could have gone missing (EpisodeSeeder._window).
    window: tuple[date, date] | None = None
    episodes: list["_Plan"] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.child.preferred_name or self.child.first_name

    @property
    def current_status(self) -> str:
        return self.statuses[-1][2] if self.statuses else LegalStatusKind.NONE

    def status_on(self, day: date) -> str:
        """As Child.legal_status_on: the period holding the day, else NONE."""
        holding = [
            (start, status) for start, end, status in self.statuses if in_force_on(day, start, end)
        ]
        return max(holding)[1] if holding else LegalStatusKind.NONE

    def placement_on(self, day: date) -> Placement | None:
        current = [p for p in self.placements if in_force_on(day, p.start_date, p.end_date)]
        return max(current, key=lambda p: p.start_date) if current else None

    def care_period(self) -> tuple[date, date | None] | None:
        """The latest period in care (open when looked after now)."""
        periods = [(s, e) for s, e, status in self.statuses if status == LegalStatusKind.CLA]
        return max(periods, key=lambda period: period[0]) if periods else None


@dataclass
class _Plan:
    """An episode being planned: when it starts and how long it lasts (None: still missing)."""

    kid: _Kid
    last_seen: datetime
    duration: timedelta | None
    partner: "_Plan | None" = None
    episode: Episode = field(init=False)  # once planned
    # The blanks of the phrases, drawn once, so the episode's records tell one story.
    words: dict[str, str] = field(default_factory=dict)

    @property
    def returned(self) -> datetime | None:
        return None if self.duration is None else self.last_seen + self.duration


class EpisodeSeeder:
    """Plans the episodes in memory, writes everything with bulk_create, then syncs."""

    def __init__(
        self,
        *,
        rng: random.Random,
        faker: Faker,
        users: dict[str, User],
        now: datetime,
        years: int,
    ) -> None:
        self.rng = rng
        self.fake = faker
        self.users = users
        self.now = now
        self.today = day_of(now)
        self.first_day = add_months(self.today, -12 * years)
        self.counts: dict[str, int] = {}
        self.home_ons_code = thresholds().home_authority_ons_code
        self.coordinator = users["missing.coordinator"]
        self.police = users["police.officer"]
        self.manager = users["manager"]
        self.rhi_worker = users["rhi.worker"]

    # Planning ---------------------------------------------------------------------------

    def load(self, children: Sequence[Child]) -> list[_Kid]:
        ids = [child.pk for child in children]
        statuses: dict[int, list[tuple[date, date | None, str]]] = {}
        for status in LegalStatus.objects.filter(child_id__in=ids).order_by("start_date", "pk"):
            statuses.setdefault(status.child_id, []).append(
                (status.start_date, status.end_date, status.status)
            )
        placements: dict[int, list[Placement]] = {}
        for placement in (
            Placement.objects.filter(child_id__in=ids)
            .select_related("placing_authority")
            .order_by("start_date", "pk")
        ):
            placements.setdefault(placement.child_id, []).append(placement)
        parents: dict[int, list[str]] = {}
        for child_id, name, relationship in (
            RelatedPerson.objects.filter(child_id__in=ids, parental_responsibility=True)
            .order_by("pk")
            .values_list("child_id", "name", "relationship")
        ):
            parents.setdefault(child_id, []).append(f"{name} ({relationship})")
        kids = []
        for child in children:
            own = placements.get(child.pk, [])
            current = [p for p in own if p.end_date is None]
            placed_by_another = bool(current) and (
                current[0].placing_authority.ons_code != self.home_ons_code
            )
            kids.append(
                _Kid(
                    child=child,
                    statuses=statuses.get(child.pk, []),
                    placements=own,
                    parents=parents.get(child.pk, []),
                    placed_here_by_another=placed_by_another,
                )
            )
        return kids

    def plan(self, kids: Sequence[_Kid]) -> list[_Plan]:
        for kid in kids:
            kid.window = self._window(kid)
        self._count_the_crowd(kids)
        for kid in kids:
            self._plan_child(kid)
        self._fit_durations(kids)
        self._in_association(kids)
        self._missing_now(kids)
        return sorted(
            (plan for kid in kids for plan in kid.episodes),
            key=lambda plan: (plan.last_seen, plan.kid.child.reference),
        )

    def _window(self, kid: _Kid) -> tuple[date, date] | None:
        """The days on which this child could have gone missing, seen from here."""
        child = kid.child
        first = max(self.first_day, add_months(child.date_of_birth, 12 * MIN_AGE))
        care = kid.care_period()
        if care is not None and (kid.placed_here_by_another or child.is_uasc):
            first = max(first, care[0])  # not known here before they were placed here
        last = self.today - timedelta(days=1)
        if (last - first).days < 14:
            return None
        return first, last

    def _plan_child(self, kid: _Kid) -> None:
        rng = self.rng
        window = kid.window
        if window is None:
            return
        years = (window[1] - window[0]).days / 365.25
        chance = 1 - (1 - ANNUAL_MISSING_RATE[kid.current_status]) ** years
        if rng.random() >= chance:
            return
        care = kid.care_period()
        repeat_chance = REPEAT_CHANCE_CARE if care else REPEAT_CHANCE_OTHERS
        count = 1
        if rng.random() < repeat_chance:
            count = rng.choices(list(REPEAT_EPISODES), weights=list(REPEAT_EPISODES.values()))[0]
        first, last = window
        in_care = None
        if care is not None:
            care_first, care_last = max(first, care[0]), min(last, care[1] or last)
            if care_first <= care_last:
                in_care = (care_first, care_last)
        if count == 1:
            if in_care and rng.random() < SINGLE_IN_CARE:
                first, last = in_care
            days = [self._spread_day(first, last)]
        else:
            span = min((last - first).days, max(30, count * rng.randint(12, 40)))
            earliest, latest = first, last - timedelta(days=span)
            if in_care is not None:
                # A run of episodes while in care, sometimes starting just before it.
                earliest = max(first, min(in_care[0] - timedelta(days=180), latest))
                latest = max(earliest, min(latest, in_care[1]))
            start = self._spread_day(earliest, latest)
            count = min(count, span + 1)
            days = [start + timedelta(days=d) for d in sorted(rng.sample(range(span + 1), count))]
        for day in days:
            kid.episodes.append(_Plan(kid, self._moment(day), self._duration()))

    def _count_the_crowd(self, kids: Sequence[_Kid]) -> None:
        """How many children could go missing each month, weighted by how often they do."""
        self.crowd: dict[tuple[int, int], float] = {}
        for kid in kids:
            window = kid.window
            if window is None:
                continue
            usual = ANNUAL_MISSING_RATE[kid.current_status]
            if kid.current_status == LegalStatusKind.CLA:
                usual = ANNUAL_MISSING_RATE[LegalStatusKind.CIN]  # before coming into care
            for month in month_starts(*window):
                in_care = kid.status_on(month + timedelta(days=14)) == LegalStatusKind.CLA
                key = (month.year, month.month)
                rate = ANNUAL_MISSING_RATE[LegalStatusKind.CLA] if in_care else usual
                self.crowd[key] = self.crowd.get(key, 0.0) + rate

    def _spread_day(self, first: date, last: date) -> date:
        """A day between the two, each month weighed against the crowd that could go missing
        then. Today's children were younger in the early years and fewer of them could go
        missing; without this the years would rise steeply towards today."""
        spans: list[tuple[date, date]] = []
        weights: list[float] = []
        start = first
        while start <= last:
            end = min(last, month_end(start))
            spans.append((start, end))
            crowd = self.crowd.get((start.year, start.month), 1.0)
            weights.append(((end - start).days + 1) / crowd**CROWD_WEIGHT)
            start = end + timedelta(days=1)
        start, end = self.rng.choices(spans, weights=weights)[0]
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def _moment(self, day: date) -> datetime:
        hour = self.rng.choices(range(24), cum_weights=HOUR_CUMULATIVE)[0]
        minute = self.rng.randrange(60)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def _duration(self) -> timedelta:
        rng = self.rng
        if rng.random() < ENDED_WITHIN_18_HOURS:
            hours = rng.lognormvariate(math.log(MEDIAN_SHORT_HOURS), 0.85)
            if not 1 <= hours <= 18:
                hours = rng.uniform(1, 18)
        else:
            hours = min(LONGEST_HOURS, 18.1 + rng.expovariate(1 / MEAN_LONG_EXTRA_HOURS))
        return timedelta(minutes=round(hours * 60))

    def _fit_durations(self, kids: Iterable[_Kid]) -> None:
        """One episode at a time: each ends before the next starts, and before now."""
        latest_return = self.now - timedelta(hours=1)
        for kid in kids:
            kept: list[_Plan] = []
            for plan in sorted(kid.episodes, key=lambda p: p.last_seen):
                previous = kept[-1] if kept else None
                if previous is not None and not self._ends_before(previous, plan.last_seen):
                    continue  # too close to the one before: drop it
                kept.append(plan)
            last = kept[-1] if kept else None
            if last is not None and last.returned and last.returned > latest_return:
                last.duration = (self.now - last.last_seen) / 2
            kid.episodes = kept

    def _ends_before(self, plan: _Plan, moment: datetime) -> bool:
        """Shorten the episode so it ends an hour before the moment, if there is room."""
        room = moment - plan.last_seen - timedelta(hours=1)
        if room < timedelta(hours=1):
            return False
        if plan.duration is not None and plan.duration > room:
            plan.duration = timedelta(minutes=round(room.total_seconds() / 60 * 0.8))
        return True

    def _in_association(self, kids: Sequence[_Kid]) -> None:
        """Pair episodes of children of a similar age who went missing together (000).

        One of the companion's own episodes from within six weeks moves to the same time,
        so each child keeps their number of episodes.
        """
        rng = self.rng
        missing = [kid for kid in kids if kid.episodes]
        plans = [plan for kid in missing for plan in kid.episodes]
        wanted = round(len(plans) * IN_ASSOCIATION / 2)
        paired = 0
        for _ in range(wanted * 20):
            if paired >= wanted or not plans:
                break
            plan = rng.choice(plans)
            if plan.partner is not None:
                continue
            other = self._companion(plan, missing)
            if other is None:
                continue
            other.last_seen = plan.last_seen + timedelta(minutes=rng.randint(-20, 20))
            other.duration = plan.duration
            other.kid.episodes.sort(key=lambda p: p.last_seen)
            plan.partner, other.partner = other, plan
            paired += 1

    def _companion(self, plan: _Plan, missing: Sequence[_Kid]) -> _Plan | None:
        kid = plan.kid
        day = day_of(plan.last_seen)
        in_care = kid.status_on(day) == LegalStatusKind.CLA
        candidates: list[tuple[bool, _Plan]] = []
        for other in missing:
            if other is kid:
                continue
            if abs((other.child.date_of_birth - kid.child.date_of_birth).days) > 400:
                continue
            window = other.window
            if window is None or not window[0] <= day <= window[1]:
                continue
            for index, episode in enumerate(other.episodes):
                if episode.partner is not None or abs(episode.last_seen - plan.last_seen) > (
                    timedelta(days=45)
                ):
                    continue
                if self._fits(other.episodes, index, plan):
                    same_care = (other.status_on(day) == LegalStatusKind.CLA) == in_care
                    candidates.append((same_care, episode))
        if not candidates:
            return None
        # Looked-after children go missing with other looked-after children (000).
        best = [episode for same, episode in candidates if same] or [e for _, e in candidates]
        return self.rng.choice(best)

    @staticmethod
    def _fits(episodes: Sequence[_Plan], index: int, plan: _Plan) -> bool:
        """Whether episode `index` can move to the time of `plan` without overlapping."""
        start = plan.last_seen - timedelta(hours=1)
        end = (plan.returned or plan.last_seen) + timedelta(hours=2)
        for other_index, other in enumerate(episodes):
            if other_index == index:
                continue
            other_end = other.returned or other.last_seen
            if other.last_seen - timedelta(hours=12) < end and start < other_end + timedelta(
                hours=12
            ):
                return False
        return True

    def _missing_now(self, kids: Sequence[_Kid]) -> None:
        """A few children missing right now: their latest episode, in the last few days."""
        rng = self.rng
        wanted = rng.randint(*OPEN_EPISODES)
        candidates = [kid for kid in kids if kid.episodes and kid.episodes[-1].partner is None]
        # The frequent ones first: they are the children most likely to be missing today.
        candidates.sort(key=lambda kid: -len(kid.episodes))
        # One from each demonstration social worker's caseload, for their worklist.
        chosen: list[_Kid] = []
        for username in DEMO_CASELOADS:
            worker = self.users.get(username)
            theirs = [kid for kid in candidates if worker and kid.child.allocated_worker == worker]
            chosen.extend(theirs[:1])
        others = [kid for kid in candidates if kid not in chosen][: wanted * 3]
        rng.shuffle(others)
        chosen.extend(others)
        opened = 0
        for kid in chosen:
            if opened == wanted:
                break
            moment = self._moment(self.today - timedelta(days=rng.randint(0, 4)))
            while moment > self.now - timedelta(hours=2):
                moment -= timedelta(days=1)
            plan = kid.episodes[-1]
            previous = kid.episodes[-2] if len(kid.episodes) > 1 else None
            if previous is not None and not self._ends_before(previous, moment):
                continue
            plan.last_seen, plan.duration = moment, None
            opened += 1

    # Writing ----------------------------------------------------------------------------

    def write(self, plans: Sequence[_Plan]) -> None:
        self._episodes(plans)
        self._risk_gradings(plans)
        self._notifications(plans)
        self._safe_and_well(plans)
        self._return_interviews(plans)
        self._strategy_meetings(plans)
        self._supervision(plans)
        self._director_letters(plans)

    def _episodes(self, plans: Sequence[_Plan]) -> None:
        rng = self.rng
        numbers = iter(rng.sample(range(100_000, 1_000_000), len(plans)))
        for plan in plans:
            plan.episode = self._episode(plan, next(numbers))
        episodes = Episode.objects.bulk_create([plan.episode for plan in plans])
        through = Episode.with_children.through
        links = [
            through(episode_id=plan.episode.pk, child_id=plan.partner.kid.child.pk)
            for plan in plans
            if plan.partner is not None
        ]
        through.objects.bulk_create(links)
        self.counts["episodes"] = len(episodes)
        self.counts["children missing"] = len({plan.kid.child.pk for plan in plans})
        self.counts["episodes still open"] = sum(plan.duration is None for plan in plans)
        self.counts["episodes in association"] = len(links)

    def _episode(self, plan: _Plan, number: int) -> Episode:
        rng, kid = self.rng, plan.kid
        day = day_of(plan.last_seen)
        status = kid.status_on(day)
        from_care = status == LegalStatusKind.CLA
        placement = kid.placement_on(day) if from_care else None
        kind = EpisodeKind.MISSING
        if from_care and plan.partner is None and rng.random() < AWAY_SHARE_FROM_CARE:
            kind = EpisodeKind.AWAY
        report_after = timedelta(minutes=rng.randint(30, 360))
        if plan.duration is not None:
            report_after = min(report_after, max(timedelta(minutes=30), plan.duration * 0.7))
        reported = min(plan.last_seen + report_after, self.now)
        words = plan.words = self._words(kid, placement)
        if kind == EpisodeKind.AWAY:
            circumstances = rng.choice(CIRCUMSTANCES_AWAY)
        else:
            circumstances = rng.choice(CIRCUMSTANCES_CARE if from_care else CIRCUMSTANCES_HOME)
        episode = Episode(
            public_id=self._uuid(),
            child=kid.child,
            kind=kind,
            missing_from=MissingFrom.CARE if from_care else MissingFrom.HOME,
            absconded=from_care and rng.random() < 0.45,
            legal_status=status,
            placement=placement,
            last_seen_at=plan.last_seen,
            last_seen_location=self._say(
                rng.choice(LAST_SEEN_CARE if from_care else LAST_SEEN_HOME), words
            ),
            reported_at=reported,
            reported_by=self._reporter(kid, placement),
            police_reference=f"MPS-{day.year}-{number:06d}",
            circumstances=self._say(circumstances, words),
            with_others=(self._say(rng.choice(WITH_OTHERS), words) if rng.random() < 0.12 else ""),
            unsafe_to_return_home=not from_care and rng.random() < 0.02,
            push_pull_factors=self._factors(from_care),
            created_by=self.coordinator,
        )
        if plan.returned is not None:
            method = self._pick(RETURN_METHOD_WEIGHTS)
            episode.returned_at = plan.returned
            episode.return_method = method
            episode.found_by = self._say(rng.choice(FOUND_BY[method]), words)
            episode.found_location = self._say(rng.choice(FOUND_LOCATIONS), words)
            episode.where_been = self._say(rng.choice(WHERE_BEEN), words)
            episode.who_with_while_missing = self._say(rng.choice(WHO_WITH), words)
        return episode

    def _words(self, kid: _Kid, placement: Placement | None) -> dict[str, str]:
        """The blanks the phrases above fill, drawn once per record."""
        rng, fake = self.rng, self.fake
        carer = "their carer" if placement is not None else "their mother"
        return {
            "name": kid.name,
            "carer": carer,
            "home": "the placement" if placement is not None else "home",
            "street": fake.street_name(),
            "area": rng.choice(AREAS),
            "place": rng.choice(PLACES),
            "school": kid.child.school or "school",
            "topic": rng.choice(TOPICS),
            "nickname": rng.choice(NICKNAMES),
            "curfew": rng.choice(CURFEWS),
            "surname": fake.last_name(),
            "provider": (placement.provider if placement else "") or "the placement",
        }

    @staticmethod
    def _say(phrase: str, words: dict[str, str]) -> str:
        text = phrase.format(**words)
        return text[:1].upper() + text[1:]

    def _reporter(self, kid: _Kid, placement: Placement | None) -> str:
        if placement is not None:
            role = REPORTER_ROLES.get(placement.kind, "carer")
            return f"{self.fake.first_name()} {self.fake.last_name()}, {role}"
        if kid.parents:
            return self.rng.choice(kid.parents)
        return f"{self.fake.first_name()} {self.fake.last_name()}, relative"

    def _factors(self, from_care: bool) -> list[str]:
        weights = FACTORS_CARE if from_care else FACTORS_HOME
        chosen: set[str] = set()
        for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
            chosen.add(str(self._pick(weights)))
        return sorted(chosen)

    def _risk_gradings(self, plans: Sequence[_Plan]) -> None:
        rng = self.rng
        rows = []
        for plan in plans:
            episode = plan.episode
            chance = HIGH_RISK
            if episode.legal_status == LegalStatusKind.CLA:
                chance += HIGH_RISK_CARE
            if plan.kid.episodes.index(plan) >= 4:
                chance += HIGH_RISK_FREQUENT
            # 003 §2: every child is at least medium risk; low grades are left out.
            grade = RiskGrade.HIGH if rng.random() < chance else RiskGrade.MEDIUM
            graded_at = min(self.now, episode.reported_at + timedelta(minutes=rng.randint(5, 60)))
            reason = ""
            if grade == RiskGrade.HIGH:
                reason = self._say(rng.choice(HIGH_RISK_REASONS), plan.words)
            rows.append(
                RiskGrading(
                    episode=episode,
                    grade=grade,
                    graded_at=graded_at,
                    graded_by=self.police,
                    reason=reason,
                )
            )
            if grade == RiskGrade.MEDIUM and rng.random() < REGRADED:
                regraded_at = graded_at + timedelta(hours=rng.randint(2, 12))
                if regraded_at < (episode.returned_at or self.now):
                    rows.append(
                        RiskGrading(
                            episode=episode,
                            grade=RiskGrade.HIGH,
                            graded_at=regraded_at,
                            graded_by=self.police,
                            reason="Still missing and not answering; new information about "
                            "who they are with.",
                        )
                    )
        self.counts["risk gradings"] = len(RiskGrading.objects.bulk_create(rows))

    def _notifications(self, plans: Sequence[_Plan]) -> None:
        """C8: the allocated worker, parents, placing authority and Home Office (T2, T9, T10)."""
        rng = self.rng
        Recipient, Stage = EpisodeNotification.Recipient, EpisodeNotification.Stage
        rows: list[EpisodeNotification] = []

        def told(
            episode: Episode,
            recipient: str,
            after: datetime,
            method: str,
            stage: str = Stage.MISSING,
        ) -> None:
            at = after + timedelta(minutes=rng.randint(2, 180))
            recent = episode.reported_at > self.now - RECENT
            if at > self.now or (recent and rng.random() < RECENTLY_UNDONE):
                return  # not done yet: the worklist shows it
            rows.append(
                EpisodeNotification(
                    episode=episode,
                    recipient=recipient,
                    stage=stage,
                    notified_at=at,
                    method=method,
                    recorded_by=self.coordinator,
                )
            )

        for plan in plans:
            episode, child = plan.episode, plan.kid.child
            looked_after = episode.legal_status == LegalStatusKind.CLA
            placement = episode.placement
            by_another = placement is not None and (
                placement.placing_authority.ons_code != self.home_ons_code
            )
            if child.allocated_worker is not None:
                told(
                    episode,
                    Recipient.ALLOCATED_WORKER,
                    episode.reported_at,
                    "MACE notification and email",
                )
            elif looked_after:
                method = "Phoned the duty social worker"
                if by_another and placement is not None:
                    method = f"Phoned the social worker at {placement.placing_authority.name}"
                told(episode, Recipient.ALLOCATED_WORKER, episode.reported_at, method)
            if looked_after:
                if child.is_uasc or not plan.kid.parents:
                    rows.append(
                        EpisodeNotification(
                            episode=episode,
                            recipient=Recipient.PARENTS,
                            not_notified_reason="No parent with parental responsibility in "
                            "the UK to tell.",
                            recorded_by=self.coordinator,
                        )
                    )
                elif rng.random() < 0.15:
                    rows.append(
                        EpisodeNotification(
                            episode=episode,
                            recipient=Recipient.PARENTS,
                            not_notified_reason=rng.choice(PARENT_NOT_TOLD),
                            recorded_by=self.coordinator,
                        )
                    )
                else:
                    told(episode, Recipient.PARENTS, episode.reported_at, "Phone call")
            if child.is_uasc:
                told(
                    episode,
                    Recipient.HOME_OFFICE,
                    episode.reported_at,
                    "Email to the Home Office missing persons team",
                )
            if by_another:
                told(episode, Recipient.PLACING_AUTHORITY, episode.reported_at, "Email and phone")
                if episode.returned_at is not None:
                    told(
                        episode,
                        Recipient.PLACING_AUTHORITY,
                        episode.returned_at,
                        "Email",
                        Stage.FOUND,
                    )
        self.counts["notifications"] = len(EpisodeNotification.objects.bulk_create(rows))

    def _safe_and_well(self, plans: Sequence[_Plan]) -> None:
        """003 §4: the police prevention interview after a missing child is found."""
        rng = self.rng
        rows = []
        for plan in plans:
            episode = plan.episode
            if episode.returned_at is None or episode.kind != EpisodeKind.MISSING:
                continue
            conducted = episode.returned_at + timedelta(minutes=rng.randint(20, 240))
            recent = episode.returned_at > self.now - RECENT
            if conducted > self.now or (recent and rng.random() < RECENTLY_UNDONE):
                continue
            harm = rng.random() < 0.06
            offences = rng.random() < 0.05
            rows.append(
                SafeAndWellCheck(
                    public_id=self._uuid(),
                    episode=episode,
                    conducted_at=conducted,
                    officer=self.police if rng.random() < 0.3 else None,
                    officer_name=f"PC {self.fake.first_name()} {self.fake.last_name()}",
                    harm_suffered=harm,
                    offences_disclosed=offences,
                    where_been=episode.where_been,
                    findings=rng.choice(SAFE_AND_WELL_FINDINGS),
                    further_police_action=(
                        "Crime report raised; referral to the MASH." if harm or offences else ""
                    ),
                )
            )
        self.counts["safe-and-well checks"] = len(SafeAndWellCheck.objects.bulk_create(rows))

    def _return_interviews(self, plans: Sequence[_Plan]) -> None:
        """003 §20-25: referred to the provider the rules choose, offered within 72 hours."""
        rng = self.rng
        interviews: list[ReturnInterview] = []
        offers: list[tuple[ReturnInterview, list[InterviewOffer]]] = []
        access: dict[tuple[int, int, int | None], date] = {}
        for plan in plans:
            episode = plan.episode
            if episode.returned_at is None:
                continue
            choice = choose_provider(episode)
            if choice.provider is None:
                continue  # placed here by another authority: they arrange it
            referred = episode.returned_at + timedelta(minutes=rng.randint(60, 20 * 60))
            recent = episode.returned_at > self.now - RECENT
            if referred > self.now or (recent and rng.random() < RECENTLY_UNDONE / 2):
                continue
            worker = None
            if choice.provider.pk == self.rhi_worker.agency_id and rng.random() < 0.45:
                worker = self.rhi_worker
            interview = ReturnInterview(
                public_id=self._uuid(),
                episode=episode,
                provider=choice.provider,
                provider_rule=choice.rule,
                worker=worker,
                referred_at=referred,
                referred_by=plan.kid.child.allocated_worker or self.coordinator,
            )
            interviews.append(interview)
            offers.append((interview, self._offers(plan, interview)))
            key = (plan.kid.child.pk, choice.provider.pk, worker.pk if worker else None)
            access.setdefault(key, day_of(referred))
        ReturnInterview.objects.bulk_create(interviews)
        self._themes([i for i in interviews if i.completed_at is not None])
        rows = [offer for _, made in offers for offer in made]
        for interview, made in offers:
            for offer in made:
                offer.interview = interview
        self.counts["return interviews"] = len(interviews)
        self.counts["interview offers"] = len(InterviewOffer.objects.bulk_create(rows))
        self._provider_access(access)

    def _themes(self, interviews: Sequence[ReturnInterview]) -> None:
        """What the child told us (issue 20 point 4): one to three of the partnership's
        themes for each interview held, the first of the list coming up more often, so the
        quarters' collation has a shape. Their own generator, so the draws of the rest of
        the demonstration are as they were."""
        themes = list(InterviewTheme.objects.filter(retired_at__isnull=True))
        if not themes:
            return
        rng = random.Random(len(interviews))
        weights = [len(themes) - n for n in range(len(themes))]
        rows = []
        for interview in interviews:
            chosen = {rng.choices(themes, weights)[0].pk for _ in range(rng.randint(1, 3))}
            rows += [
                InterviewThemeCoding(interview=interview, theme_id=pk) for pk in sorted(chosen)
            ]
        self.counts["interview themes coded"] = len(InterviewThemeCoding.objects.bulk_create(rows))

    def _offers(self, plan: _Plan, interview: ReturnInterview) -> list[InterviewOffer]:
        """The offers and the outcome; fills the record of 003 A4 when it was completed."""
        rng = self.rng
        episode = plan.episode
        assert episode.returned_at is not None
        if rng.random() < OFFERED_WITHIN_72_HOURS:
            first = episode.returned_at + timedelta(minutes=rng.randint(120, 72 * 60 - 1))
        else:
            first = episode.returned_at + timedelta(minutes=rng.randint(72 * 60, 10 * 24 * 60))
        first = max(first, interview.referred_at)
        outcome = self._pick(INTERVIEW_OUTCOMES)
        recorded_by = interview.worker
        if first > self.now:
            return []  # referred, not offered yet
        interview.status = ReturnInterview.Status.OFFERED

        def offer(at: datetime, response: str, notes: str = "") -> InterviewOffer:
            return InterviewOffer(
                offered_at=at,
                method=rng.choice(OFFER_METHODS),
                response=response,
                notes=notes,
                recorded_by=recorded_by,
            )

        Response = InterviewOffer.Response
        if outcome == "completed":
            made = [offer(first, Response.ACCEPTED)]
            interview.status = ReturnInterview.Status.ACCEPTED
            completed = first + timedelta(minutes=rng.randint(0, 72 * 60))
            if completed <= self.now:
                self._record(plan, interview, completed)
            return made
        if outcome == "declined":
            made = [offer(first, Response.DECLINED, "Did not want to talk about it")]
            second = first + timedelta(days=rng.randint(2, 7))
            if rng.random() < 0.5 and second <= self.now:
                made.append(offer(second, Response.DECLINED, "Declined the repeat offer"))
            interview.status = ReturnInterview.Status.DECLINED
            interview.refusal_safeguarding_considered = rng.choice(REFUSAL_CONSIDERED)
            return made
        made = [offer(first, Response.NO_RESPONSE, "No answer; message left")]
        at = first
        for _ in range(rng.randint(0, 2)):
            at += timedelta(days=rng.randint(1, 4))
            if at <= self.now:
                made.append(offer(at, Response.NO_RESPONSE, "No answer"))
        if made[-1].offered_at < self.now - timedelta(days=3):
            interview.status = ReturnInterview.Status.NO_CONTACT
        return made

    def _record(self, plan: _Plan, interview: ReturnInterview, completed: datetime) -> None:
        rng, kid, words = self.rng, plan.kid, plan.words

        def scale(low: int, high: int) -> int:
            return rng.randint(low, high)

        safe_while, happy_while = scale(1, 7), scale(0, 6)
        # Usually safer and happier since coming back than while away.
        up = rng.random() < 0.85
        interview.status = ReturnInterview.Status.COMPLETED
        interview.completed_at = completed
        interview.consent_given_by = (
            rng.choice(("Mother", "Social worker", "Carer"))
            if kid.child.age_on(day_of(completed)) < 16
            else ""
        )
        interview.childs_account = self._say(rng.choice(CHILDS_ACCOUNT), words)
        interview.parents_views = self._say(rng.choice(PARENTS_VIEWS), words)
        interview.interviewer_analysis = self._say(rng.choice(INTERVIEWER_ANALYSIS), words)
        interview.safe_before = scale(4, 9)
        interview.safe_while_missing = safe_while
        interview.safe_since = min(10, safe_while + scale(1, 5)) if up else scale(0, safe_while)
        interview.happy_before = scale(3, 9)
        interview.happy_while_missing = happy_while
        interview.happy_since = min(10, happy_while + scale(1, 5)) if up else scale(0, happy_while)
        interview.harmed = rng.random() < 0.1
        interview.victim_of_crime = rng.random() < 0.08
        interview.perpetrator_of_crime = rng.random() < 0.06
        interview.harboured_where_by_whom = self._say(rng.choice(HARBOURED), words)
        interview.information_to_find_next_time = self._say(rng.choice(FIND_NEXT_TIME), words)
        # T12 (003 §16): offered nearly always, so the demo worklist shows the rare miss.
        interview.health_assessment_offered = rng.random() < 0.9
        interview.sexual_health_referral = rng.random() < 0.05
        interview.referrals_made = self._say(rng.choice(REFERRALS), words)

    def _provider_access(self, referrals: dict[tuple[int, int, int | None], date]) -> None:
        """As interview_refer does: the provider, and its worker, see the child (C3, C11)."""
        existing = set(
            Involvement.objects.filter(
                kind=Involvement.Kind.RHI_PROVIDER, end_date__isnull=True
            ).values_list("child_id", "agency_id", "user_id")
        )
        made = Involvement.objects.bulk_create(
            Involvement(
                child_id=child_id,
                kind=Involvement.Kind.RHI_PROVIDER,
                agency_id=agency_id,
                user_id=user_id,
                start_date=start,
            )
            for (child_id, agency_id, user_id), start in referrals.items()
            if (child_id, agency_id, user_id) not in existing
        )
        self.counts["return interview provider involvements"] = len(made)

    def _strategy_meetings(self, plans: Sequence[_Plan]) -> None:
        """003 §12: a looked-after child missing; 003 §5: it may be unsafe to return home."""
        rng = self.rng
        meetings: list[StrategyMeeting] = []
        actions: list[tuple[StrategyMeeting, list[MeetingAction]]] = []
        for plan in plans:
            episode = plan.episode
            looked_after_missing = (
                episode.legal_status == LegalStatusKind.CLA and episode.kind == EpisodeKind.MISSING
            )
            if looked_after_missing:
                reason = StrategyMeeting.Reason.LOOKED_AFTER_MISSING
                start = episode.reported_at
            elif episode.unsafe_to_return_home:
                reason = StrategyMeeting.Reason.UNSAFE_TO_RETURN
                start = episode.returned_at or episode.reported_at
            else:
                continue
            if rng.random() < MEETING_WITHIN_24_HOURS:
                held = start + timedelta(minutes=rng.randint(90, 22 * 60))
            else:
                held = start + timedelta(minutes=rng.randint(25 * 60, 72 * 60))
            if held > self.now:
                continue
            meeting = self._meeting(plan, reason, held)
            meetings.append(meeting)
            actions.append((meeting, self._actions(plan, meeting)))
        StrategyMeeting.objects.bulk_create(meetings)
        for meeting, made in actions:
            for action in made:
                action.meeting = meeting
        self.counts["strategy meetings"] = len(meetings)
        self.counts["meeting actions"] = len(
            MeetingAction.objects.bulk_create(a for _, made in actions for a in made)
        )

    def _meeting(self, plan: _Plan, reason: str, held: datetime) -> StrategyMeeting:
        rng, child = self.rng, plan.kid.child
        episode = plan.episode
        words = plan.words
        chair = self.manager
        people = [
            f"{chair.display_name}, Team manager (chair), Northbridge Children's Social Care",
            f"{self.coordinator.display_name}, Missing coordinator, "
            "Northbridge Children's Social Care",
            f"{self.police.display_name}, Detective constable, "
            "Northbridge Police Public Protection",
        ]
        worker = child.allocated_worker
        roles = list(ATTENDEE_ROLES)
        if worker is not None:
            people.append(f"{worker.display_name}, Social worker (allocated), {CSC}")
            roles = roles[1:]
        for role, agency in rng.sample(roles, rng.randint(1, 3)):
            name = f"{self.fake.first_name()} {self.fake.last_name()}"
            people.append(f"{name}, {role}, {self._say(agency, words)}")
        return StrategyMeeting(
            public_id=self._uuid(),
            child=child,
            episode=episode,
            reason=reason,
            held_at=held,
            attendees="\n".join(people),
            information_shared=self._say(rng.choice(INFORMATION_SHARED), words),
            s47_enquiry=rng.random() < 0.08,
            decision_notes=rng.choice(DECISION_NOTES),
            safety_plan=self._say(rng.choice(SAFETY_PLANS), words),
            follow_up_date=day_of(held) + timedelta(days=rng.randint(7, 28)),
            recorded_by=self.coordinator,
        )

    def _actions(self, plan: _Plan, meeting: StrategyMeeting) -> list[MeetingAction]:
        rng, words = self.rng, plan.words
        owners: list[User | None] = [
            self.coordinator,
            self.police,
            plan.kid.child.allocated_worker,
            None,
        ]
        made = []
        for _ in range(rng.randint(1, 3)):
            heading = self._pick(ACTION_HEADINGS)
            owner = rng.choice(owners)
            due = day_of(meeting.held_at) + timedelta(days=rng.randint(3, 28))
            done = due < self.today and rng.random() < 0.9
            completed = None
            if done:
                at = timezone.make_aware(datetime.combine(due, time(rng.randint(9, 17))))
                completed = min(at, self.now)
            made.append(
                MeetingAction(
                    heading=heading,
                    description=self._say(rng.choice(ACTIONS[heading]), words),
                    owner=owner,
                    owner_name="" if owner else "Placement manager",
                    due_date=due,
                    completed_at=completed,
                )
            )
        return made

    def _supervision(self, plans: Sequence[_Plan]) -> None:
        """T16: each child who went missing is discussed every four weeks, until 90 days
        after their latest episode; a few recent children have slipped."""
        rng = self.rng
        th = thresholds()
        by_kid: dict[int, list[_Plan]] = {}
        for plan in plans:
            by_kid.setdefault(plan.kid.child.pk, []).append(plan)
        rows = []
        for kid_plans in by_kid.values():
            kid = kid_plans[0].kid
            reported = [p.episode.reported_at for p in kid_plans]
            first = day_of(min(reported))
            until = day_of(max(reported) + th.supervision_active_for) + timedelta(1)
            # A few children recently missing have slipped from supervision.
            slipped = until > self.today and rng.random() < SUPERVISION_GAP
            last_held = self.today - timedelta(days=rng.randint(35, 60) if slipped else 0)
            day = first + timedelta(days=rng.randint(5, 27))
            while day <= last_held:
                rows.append(
                    SupervisionDiscussion(
                        child=kid.child,
                        held_on=day,
                        manager=self.manager,
                        worker=kid.child.allocated_worker,
                        notes=rng.choice(SUPERVISION_NOTES),
                    )
                )
                if day >= until:
                    break  # discussed past 90 days after the latest episode: done
                gap = rng.randint(21, 28) if rng.random() < 0.85 else rng.randint(29, 45)
                day += timedelta(days=gap)
        self.counts["supervision discussions"] = len(
            SupervisionDiscussion.objects.bulk_create(rows)
        )

    def _director_letters(self, plans: Sequence[_Plan]) -> None:
        """003 §15 (T11): the third episode of a child placed here by another authority."""
        rng = self.rng
        th = thresholds()
        by_authority: dict[tuple[int, int], list[Episode]] = {}
        for plan in plans:
            episode = plan.episode
            placement = episode.placement
            if placement is None:
                continue
            if placement.placing_authority.ons_code == self.home_ons_code:
                continue
            key = (plan.kid.child.pk, placement.placing_authority_id)
            by_authority.setdefault(key, []).append(episode)
        letters: list[tuple[DirectorLetter, datetime]] = []
        for (_, authority_id), episodes in by_authority.items():
            if len(episodes) < th.director_letter_episodes:
                continue
            reached = sorted(episodes, key=lambda e: e.last_seen_at)[
                th.director_letter_episodes - 1
            ]
            if reached.reported_at > self.now - LETTER_AFTER:
                continue  # due at the next weekly meeting: the worklist shows it
            prepared = next_weekly_meeting(reached.reported_at, th) - timedelta(hours=3)
            sent = prepared + timedelta(days=rng.randint(1, 5))
            letter = DirectorLetter(
                public_id=self._uuid(),
                child=reached.child,
                placing_authority_id=authority_id,
                episode_count=th.director_letter_episodes,
                prepared_by=self.coordinator,
                sent_at=sent if sent <= self.now else None,
            )
            letters.append((letter, max(prepared, reached.reported_at)))
        DirectorLetter.objects.bulk_create(letter for letter, _ in letters)
        for letter, prepared in letters:
            # prepared_at is set on insert; the demonstration dates it to the meeting.
            DirectorLetter.objects.filter(pk=letter.pk).update(prepared_at=prepared)
        self.counts["director letters"] = len(letters)

    # The worklist -----------------------------------------------------------------------

    def sync(self, plans: Sequence[_Plan]) -> None:
        """Bring the worklist in step for the children the scheduled check looks after: an
        episode in the last four months (T16's reach), or an open item.

        Older episodes have everything done, so their items would all be closed; leaving
        them out keeps the seed fast (sync_child is about 40ms a child). A child's items
        are made whenever sync_child next runs for them.
        """
        wanted = set(children_maybe_due(self.now))
        children = {plan.kid.child.pk: plan.kid.child for plan in plans}
        for child_id, child in children.items():
            if child_id in wanted:
                sync_child(child)
        items = DueItem.objects.filter(child_id__in=list(children))
        self.counts["worklists brought in step"] = len(wanted & set(children))
        self.counts["worklist items"] = items.count()
        self.counts["worklist items open"] = items.filter(status=DueItem.Status.OPEN).count()

    # Small draws ------------------------------------------------------------------------

    def _pick(self, weights: dict[T, float]) -> T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def seed_episodes(
    rng: random.Random,
    faker: Faker,
    children: Sequence[Child],
    users: dict[str, User],
    now: datetime,
    years: int = 5,
) -> dict[str, int]:
    """Plan and write `years` of episodes for the children, and sync their worklists.

    `users` are seed_demo's accounts by username. Returns the counts of what was made.
    """
    seeder = EpisodeSeeder(rng=rng, faker=faker, users=users, now=now, years=years)
    plans = seeder.plan(seeder.load(children))
    seeder.write(plans)
    seeder.sync(plans)
    return seeder.counts
