"""Planning the national dataset (mace.bench.national): who goes missing in which years,
how often, on which days and for how long, with which legal status and placement. Nothing
is written here but the reference data; the plan is arrays and small objects, so ten years
at national scale fit in memory."""

import bisect
import math
import random
import uuid
import zoneinfo
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from faker import Faker

from mace.accounts.models import Agency, Role, Team, User
from mace.demo import episodes as episodes_demo
from mace.demo.management.commands import seed_demo
from mace.lib.days import add_months, age_on
from mace.people.authorities import (
    DEMO_HOME_AUTHORITY,
    LONDON_BOROUGHS,
    ensure_local_authorities,
)
from mace.people.models import (
    Gender,
    LegalStatusKind,
    LocalAuthority,
)
from mace.worklist.thresholds import thresholds

K = TypeVar("K")
ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
NONE, CLA, CARE_LEAVER = LegalStatusKind.NONE.value, LegalStatusKind.CLA.value, "CARE_LEAVER"
OPEN_END = date.max.toordinal()
MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEAR_OF_DAYS = 365 * DAY

# Who goes missing, and again ----------------------------------------------------------------

# Age at the first year missing; children who go on being missing fill the older years.
FIRST_AGE_WEIGHTS = {10: 4, 11: 6, 12: 9, 13: 14, 14: 18, 15: 19, 16: 17, 17: 13}
# The chance of being missing again the next year, by status.
CONTINUES: dict[str, float] = {CLA: 0.45, CARE_LEAVER: 0.4}
CONTINUES_OTHERS = 0.3
# Of a child's years missing, the share with more than one episode, by status: children in
# and leaving care go missing repeatedly (000, 002 §4.6.5).
REPEAT_CHANCE: dict[str, float] = {
    CLA: 0.6,
    CARE_LEAVER: 0.5,
    LegalStatusKind.CP.value: 0.35,
    LegalStatusKind.CIN.value: 0.3,
    LegalStatusKind.EH.value: 0.25,
    NONE: 0.2,
}
# demo.episodes's repeat counts (2 to 20), with the longer tail of the most frequently
# missing children that a national count holds (up to 40 a year).
REPEATS: dict[int, float] = {
    **episodes_demo.REPEAT_EPISODES,
    **{n: 0.3 * 0.9 ** (n - 20) for n in range(21, 41)},
}
MOST_A_YEAR = 150
CHANGES_STATUS = 0.2
UASC_CHANCE = 0.03  # of the 14 and over in care: unaccompanied children go missing often
LONG_TERM_MISSING = 0.0005
LONG_TERM_MISSING_UASC = 0.05
SHORTEST_GAP = 20 * MINUTE
# Holds the records whose author cannot be empty; inactive, so no one signs in as it.
RECORDER_USERNAME = "generated.records"

_PICKERS: dict[int, tuple[Mapping[Any, float], "Picker"]] = {}


def pick(rng: random.Random, weights: Mapping[K, float]) -> K:
    """One key, by weight. Give only module constants: each gets its Picker once."""
    held = _PICKERS.get(id(weights))
    if held is None or held[0] is not weights:
        held = _PICKERS[id(weights)] = (weights, Picker(weights))
    value: K = held[1](rng)
    return value


class Picker:
    """`rng.choices` over fixed weights, with the cumulative weights worked out once."""

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.values = list(weights)
        total = 0.0
        self.cumulative = []
        for weight in weights.values():
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


def day_start(day: date) -> int:
    """The first instant of a local day, as a Unix time."""
    return int(datetime.combine(day, time(0), tzinfo=ZONE).timestamp())


def as_datetime(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class Settings:
    seed: int
    years: int
    episodes_per_year: int
    children_per_year: int
    end_date: date
    now: datetime


@dataclass(eq=False, slots=True)
class PlannedPlacement:
    first: int  # ordinal days
    last: int
    kind: str
    by_another: bool  # placed here by another authority
    provider: str
    address: str
    postcode: str
    placing_id: int
    host_id: int
    pk: int = 0  # given when written


@dataclass(eq=False, slots=True)
class Kid:
    """A child being planned, with what the episodes are drawn against."""

    gender: str
    born: date
    status: str  # the status they mostly go missing with
    uasc: bool
    first_year: int
    years: int = 1
    counts: list[int] = field(default_factory=list)
    # Their episodes are ep_*[start:start + count] of the Planner, in time order.
    start: int = 0
    count: int = 0
    # (first day, last day, status), by ordinal, not overlapping, in order.
    periods: list[tuple[int, int, str]] = field(default_factory=list)
    placements: list[PlannedPlacement] = field(default_factory=list)
    placed_by: LocalAuthority | None = None
    pk: int = 0
    first_name: str = ""
    school: str = ""

    def status_on(self, day: int) -> str:
        for first, last, status in self.periods:
            if first <= day <= last:
                return status
        return NONE

    def placement_on(self, day: int) -> PlannedPlacement | None:
        for placement in self.placements:
            if placement.first <= day <= placement.last:
                return placement
        return None


class Names:
    """A few hundred fictional names, streets and postcodes, drawn once from Faker."""

    def __init__(self, seed: int) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.male = sorted({fake.first_name_male() for _ in range(400)})
        self.female = sorted({fake.first_name_female() for _ in range(400)})
        self.any = self.male + self.female
        self.last = sorted({fake.last_name() for _ in range(600)})
        self.streets = sorted({fake.street_name() for _ in range(400)})
        self.addresses = sorted({fake.street_address() for _ in range(400)})
        self.postcodes = sorted({fake.postcode() for _ in range(300)})


class Planner:
    """Plans the children and their episodes in memory, compactly: episodes are rows of a
    few arrays (`ep_*`), in each child's order; children are `Kid`s."""

    def __init__(self, options: Settings, progress: Callable[..., Any]) -> None:
        self.o = options
        self.rng = random.Random(options.seed)
        self.names = Names(options.seed)
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.now = int(options.now.timestamp())
        self.today = options.end_date
        self.period_start = add_months(options.end_date, -12 * options.years) + timedelta(days=1)
        self.year_starts = [add_months(self.period_start, 12 * j) for j in range(options.years + 1)]
        # The latest moment an episode can start: two hours before the end of the period.
        self.latest_start = self.now - 2 * HOUR
        self.latest_day = datetime.fromtimestamp(self.latest_start, ZONE).date()
        self.kids: list[Kid] = []
        self.ep_kid = array("l")
        self.ep_at = array("q")  # last seen, Unix time
        self.ep_day = array("l")  # the local day last seen, ordinal
        self.ep_minutes = array("l")  # until found; -1 while still missing
        self.ep_partner = array("l")  # the episode missing with this one, or -1
        # seed_demo's status mix, weighted by how often children of each status go missing.
        missing = episodes_demo.ANNUAL_MISSING_RATE
        weights = {s: w * missing[s] for s, w in seed_demo.STATUS_WEIGHTS.items()}
        self.status_pick = Picker(weights)
        self.status_pick_16 = Picker(
            {**weights, CARE_LEAVER: seed_demo.CARE_LEAVER_WEIGHT_AT_16 * missing[CARE_LEAVER]}
        )
        self.age_pick = Picker(FIRST_AGE_WEIGHTS)
        self.repeat_pick = Picker(REPEATS)
        self.gender_pick = Picker(seed_demo.GENDER_WEIGHTS)
        self.hour_cumulative = episodes_demo.HOUR_CUMULATIVE
        self.th = thresholds()

    # Planning ----------------------------------------------------------------------------

    def plan(self) -> None:
        self._careers()
        self._counts()
        self._days()
        for kid in self.progress(self.kids, desc="Legal status and placements", unit=" children"):
            self._history(kid)
        self._in_association()
        self._fit(self.kids)
        self._missing_now()

    def _careers(self) -> None:
        """Which children are missing in which years: `children_per_year` each year."""
        rng, o = self.rng, self.o
        active: list[Kid] = []
        for year in range(o.years):
            middle = self.year_starts[year] + timedelta(days=182)
            going_on = []
            for kid in active:
                chance = CONTINUES.get(kid.status, CONTINUES_OTHERS)
                if age_on(kid.born, middle) <= 17 and rng.random() < chance:
                    going_on.append(kid)
            if len(going_on) > o.children_per_year:
                going_on = rng.sample(going_on, o.children_per_year)
            for kid in going_on:
                kid.years += 1
            new = [self._new_kid(year, middle) for _ in range(o.children_per_year - len(going_on))]
            self.kids.extend(new)
            active = going_on + new

    def _new_kid(self, year: int, middle: date) -> Kid:
        rng = self.rng
        age = self.age_pick(rng)
        born = add_months(middle, -12 * age) - timedelta(days=rng.randrange(365))
        status = (self.status_pick_16 if age >= 16 else self.status_pick)(rng)
        uasc = status == CLA and age >= 14 and rng.random() < UASC_CHANCE
        gender = self.gender_pick(rng)
        if uasc:  # most unaccompanied children are boys
            gender = Gender.MALE.value if rng.random() < 0.9 else Gender.FEMALE.value
        return Kid(gender=gender, born=born, status=status, uasc=uasc, first_year=year)

    def _counts(self) -> None:
        """Episodes in each of a child's years, brought to `episodes_per_year` a year."""
        rng, o = self.rng, self.o
        by_year: list[list[Kid]] = [[] for _ in range(o.years)]
        for kid in self.kids:
            for n in range(kid.years):
                repeat = rng.random() < REPEAT_CHANCE[kid.status]
                kid.counts.append(self.repeat_pick(rng) if repeat else 1)
                by_year[kid.first_year + n].append(kid)
        for year, kids in enumerate(by_year):
            slots = [(kid, year - kid.first_year) for kid in kids]
            last = min(self.year_starts[year + 1] - timedelta(days=1), self.latest_day)
            most = max(1, min(MOST_A_YEAR, ((last - self.year_starts[year]).days + 1) // 2))
            for kid, n in slots:
                kid.counts[n] = min(kid.counts[n], most)
            total = sum(kid.counts[n] for kid, n in slots)
            # More go to years that are already repeats, so the tail grows; fewer come from
            # them. A slot that can take no more (or give no more) leaves the draw.
            repeaters = [(kid, n) for kid, n in slots if kid.counts[n] > 1]
            room = [slot for slot in repeaters if slot[0].counts[slot[1]] < most]
            while total < o.episodes_per_year:
                if not room:
                    room = [slot for slot in slots if slot[0].counts[slot[1]] < most]
                    if not room:
                        raise ValueError("More episodes a year than the children have days for")
                at = rng.randrange(len(room))
                kid, n = room[at]
                kid.counts[n] += 1
                total += 1
                if kid.counts[n] >= most:
                    room[at] = room[-1]
                    room.pop()
            while total > o.episodes_per_year:
                at = rng.randrange(len(repeaters))
                kid, n = repeaters[at]
                kid.counts[n] -= 1
                total -= 1
                if kid.counts[n] <= 1:
                    repeaters[at] = repeaters[-1]
                    repeaters.pop()

    def _days(self) -> None:
        """The day and time of each episode: one a day at most, runs of repeats close
        together as in demo.episodes, the hour by HOUR_WEIGHTS."""
        rng = self.rng
        for index, kid in enumerate(
            self.progress(self.kids, desc="Planning episodes", unit=" children")
        ):
            kid.start = len(self.ep_at)
            for n, count in enumerate(kid.counts):
                year = kid.first_year + n
                first = self.year_starts[year].toordinal()
                last = min(self.year_starts[year + 1].toordinal() - 1, self.latest_day.toordinal())
                days = last - first + 1
                if count == 1:
                    offsets = [rng.randrange(days)]
                else:
                    span = min(days - 1, max(30, count * rng.randint(12, 40)))
                    begin = rng.randint(0, days - 1 - span)
                    offsets = [begin + d for d in sorted(rng.sample(range(span + 1), count))]
                for offset in offsets:
                    day = first + offset
                    self.ep_kid.append(index)
                    self.ep_day.append(day)
                    self.ep_at.append(self._moment(day))
                    self.ep_minutes.append(self._duration())
                    self.ep_partner.append(-1)
            kid.count = len(self.ep_at) - kid.start

    def _moment(self, day: int) -> int:
        rng = self.rng
        hour = rng.choices(range(24), cum_weights=self.hour_cumulative)[0]
        local = datetime.combine(date.fromordinal(day), time(hour, rng.randrange(60)), tzinfo=ZONE)
        moment = int(local.timestamp())
        if moment > self.latest_start:  # the last day: before the end of the period
            midnight = day_start(date.fromordinal(day))
            moment = midnight + rng.randrange(max(1, self.latest_start - midnight))
        return moment

    def _duration(self) -> int:
        """Minutes until found: demo.episodes's mix, 86% within 18 hours."""
        rng = self.rng
        if rng.random() < episodes_demo.ENDED_WITHIN_18_HOURS:
            hours = rng.lognormvariate(math.log(episodes_demo.MEDIAN_SHORT_HOURS), 0.85)
            if not 1 <= hours <= 18:
                hours = rng.uniform(1, 18)
        else:
            extra = rng.expovariate(1 / episodes_demo.MEAN_LONG_EXTRA_HOURS)
            hours = min(episodes_demo.LONGEST_HOURS, 18.1 + extra)
        return round(hours * 60)

    def _history(self, kid: Kid) -> None:
        """Legal status periods around the days the child went missing, and placements for
        every period in care."""
        rng = self.rng
        first = self.ep_day[kid.start]
        last = self.ep_day[kid.start + kid.count - 1]
        born = kid.born.toordinal()
        sixteenth = add_months(kid.born, 12 * 16).toordinal()
        status = kid.status
        if status == CARE_LEAVER and sixteenth > first:
            status = kid.status = LegalStatusKind.CIN.value  # not 16 yet when first missing
        earliest = born + 30
        periods: list[tuple[int, int, str]] = []
        change = None
        if last - first >= 30 and rng.random() < CHANGES_STATUS:
            change = rng.randint(first + 1, last)
            if status == CARE_LEAVER:
                change = max(change, sixteenth)
        if change is not None:
            before = CLA if status == CARE_LEAVER else rng.choice(seed_demo.PREVIOUS_STATUS[status])
            start = max(earliest, first - rng.randint(14, 1000))
            periods = [(start, change - 1, before), (change, OPEN_END, status)]
        else:
            longest = 700 if kid.uasc else 1400
            start = max(earliest, first - rng.randint(14, longest))
            if status == CARE_LEAVER:
                start = rng.randint(sixteenth, first)
            periods = [(start, OPEN_END, status)]
            if status == CARE_LEAVER or rng.random() < 0.5:
                previous_start = start - rng.randint(90, 900)
                if previous_start > earliest:
                    before = (
                        CLA
                        if status == CARE_LEAVER
                        else rng.choice(seed_demo.PREVIOUS_STATUS[status])
                    )
                    periods.insert(0, (previous_start, start - 1, before))
        # At 18 a child's services end; a looked-after child becomes a care leaver.
        eighteenth = add_months(kid.born, 12 * 18).toordinal()
        start, end, current = periods[-1]
        if current != CARE_LEAVER and start < eighteenth <= self.today.toordinal():
            last_day = max(eighteenth - 1, last)
            periods[-1] = (start, last_day, current)
            if current == CLA:
                periods.append((last_day + 1, OPEN_END, CARE_LEAVER))
        kid.periods = periods
        in_care = [(s, e) for s, e, st in periods if st == CLA]
        if in_care and not kid.uasc and rng.random() < seed_demo.PLACED_BY_ANOTHER_AUTHORITY:
            kid.placed_by = rng.choice(self.boroughs)
        for start, end in in_care:
            self._placements(kid, start, end)

    def _placements(self, kid: Kid, start: int, end: int) -> None:
        rng = self.rng
        last = min(end, self.today.toordinal())
        spans = [(start, end)]
        if last - start >= 60 and rng.random() < 0.35:
            moved = rng.randint(start + 30, last)
            spans = [(start, moved - 1), (moved, end)]
        for first, until in spans:
            age = age_on(kid.born, date.fromordinal(first))
            weights = (
                seed_demo.PLACEMENT_WEIGHTS_16_17
                if age >= 16
                else seed_demo.PLACEMENT_WEIGHTS_UNDER_16
            )
            kind = pick(rng, weights)
            placing = kid.placed_by or self.home
            if placing != self.home or rng.random() < seed_demo.HOSTED_AT_HOME:
                host = self.home
            else:
                host = rng.choice(self.boroughs)
            town = "Northbridge" if host == self.home else f"{host.name}, London"
            surname = rng.choice(self.names.last)
            provider = seed_demo.PLACEMENT_PROVIDERS.get(kind, "").format(surname=surname)
            kid.placements.append(
                PlannedPlacement(
                    first=first,
                    last=until,
                    kind=kind,
                    by_another=placing != self.home,
                    provider=provider,
                    address=f"{rng.choice(self.names.addresses)}\n{town}",
                    postcode=rng.choice(self.names.postcodes),
                    placing_id=placing.pk,
                    host_id=host.pk,
                )
            )

    def _in_association(self) -> None:
        """Pair episodes of children of a similar age and the same care status on the same
        day (000), the companion moved to within 20 minutes of the first."""
        rng = self.rng
        buckets: dict[tuple[int, int, bool], list[int]] = {}
        kids = self.kids
        for n in range(len(self.ep_at)):
            kid = kids[self.ep_kid[n]]
            day = self.ep_day[n]
            key = (day, kid.born.year, kid.status_on(day) == CLA)
            buckets.setdefault(key, []).append(n)
        wanted = round(len(self.ep_at) * episodes_demo.IN_ASSOCIATION / 2)
        keys = [key for key in sorted(buckets) if len(buckets[key]) > 1]
        rng.shuffle(keys)
        paired = 0
        for key in keys:
            if paired >= wanted:
                break
            members = buckets[key]
            rng.shuffle(members)
            for a, b in zip(members[::2], members[1::2], strict=False):
                if paired >= wanted or self.ep_kid[a] == self.ep_kid[b]:
                    continue
                midnight = day_start(date.fromordinal(key[0]))
                next_midnight = day_start(date.fromordinal(key[0] + 1))
                moved = self.ep_at[a] + rng.randint(-20, 20) * MINUTE
                self.ep_at[b] = min(max(moved, midnight), next_midnight - MINUTE, self.latest_start)
                self.ep_minutes[b] = self.ep_minutes[a]
                self.ep_partner[a], self.ep_partner[b] = b, a
                paired += 1
        self.counts["episodes in association"] = 2 * paired

    def _fit(self, kids: Iterable[Kid]) -> None:
        """One episode at a time: each ends before the next starts; the last may still be
        open at the end of the period."""
        rng = self.rng
        at, minutes = self.ep_at, self.ep_minutes
        for kid in kids:
            end = kid.start + kid.count
            for n in range(kid.start, end - 1):
                if at[n + 1] < at[n] + SHORTEST_GAP:
                    at[n + 1] = at[n] + SHORTEST_GAP  # same local day: see _days
                room = (at[n + 1] - at[n] - 10 * MINUTE) * 0.8 / MINUTE
                minutes[n] = max(1, min(minutes[n], int(room)))
            last = end - 1
            long_term = LONG_TERM_MISSING_UASC if kid.uasc else LONG_TERM_MISSING
            if at[last] + minutes[last] * MINUTE > self.now or rng.random() < long_term:
                minutes[last] = -1

    def _missing_now(self) -> None:
        """At least a few children missing at the end of the period, as demo.episodes
        keeps: the latest episode of a frequently missing child, in the last few days."""
        rng = self.rng
        wanted = rng.randint(*episodes_demo.OPEN_EPISODES)
        recent = self.now - 4 * DAY
        lasts = [(kid, kid.start + kid.count - 1) for kid in self.kids]
        open_now = sum(1 for _, n in lasts if self.ep_minutes[n] < 0 and self.ep_at[n] >= recent)
        candidates = [
            (kid, n)
            for kid, n in lasts
            if self.ep_at[n] >= recent and self.ep_minutes[n] >= 0 and self.ep_partner[n] < 0
        ]
        candidates.sort(key=lambda pair: (-pair[0].count, pair[1]))  # the frequent ones first
        candidates = candidates[: wanted * 3]
        rng.shuffle(candidates)
        for _, n in candidates[: max(0, wanted - open_now)]:
            self.ep_minutes[n] = -1

    def reference_data(self) -> None:
        """The home authority, the other authorities that place and host, the agencies and
        teams, and the one account that records assessments and supervision."""
        authorities = ensure_local_authorities()
        home_code = settings.HOME_AUTHORITY_ONS_CODE
        name = DEMO_HOME_AUTHORITY.name if home_code == DEMO_HOME_AUTHORITY.ons_code else ""
        self.home, _ = LocalAuthority.objects.get_or_create(
            ons_code=home_code, defaults={"name": name or f"Home authority {home_code}"}
        )
        self.authority_names = {a.pk: a.name for a in LocalAuthority.objects.all()}
        self.boroughs = [
            authorities[ref.ons_code]
            for ref in LONDON_BOROUGHS[1:]
            if ref.ons_code != self.home.ons_code
        ]
        kinds = dict(seed_demo.AGENCIES)
        for setting, kind in (
            (settings.RHI_PROVIDER_LOOKED_AFTER, Agency.Kind.RETURN_INTERVIEW_PROVIDER),
            (settings.RHI_PROVIDER_UNDER_13_FROM_HOME, Agency.Kind.CHILDRENS_SOCIAL_CARE),
            (settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME, Agency.Kind.YOUTH_SERVICE),
        ):
            kinds.setdefault(setting, kind)
        agencies = {
            name: Agency.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in kinds.items()
        }
        self.provider_looked_after = agencies[settings.RHI_PROVIDER_LOOKED_AFTER]
        self.provider_under_13 = agencies[settings.RHI_PROVIDER_UNDER_13_FROM_HOME]
        self.provider_13_and_over = agencies[settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME]
        self.teams = {
            name: Team.objects.get_or_create(agency=agencies[seed_demo.CSC], name=name)[0]
            for name in seed_demo.CSC_TEAMS
        }
        # Assessment.assessed_by and SupervisionDiscussion.manager cannot be empty: one
        # account holds them, inactive and with no usable password, so no one signs in as it.
        self.recorder, _ = User.objects.get_or_create(
            username=RECORDER_USERNAME,
            defaults={
                "first_name": "Generated",
                "last_name": "records",
                "role": Role.MANAGER,
                "agency": agencies[seed_demo.CSC],
                "is_active": False,
                "password": make_password(None),
                "job_title": "Holds generated assessments and supervision; cannot sign in",
            },
        )
        self.counts["local authorities"] = LocalAuthority.objects.count()
        self.counts["agencies"] = Agency.objects.count()
        self.counts["teams"] = Team.objects.count()

    def _name(self) -> str:
        return f"{self.rng.choice(self.names.any)} {self.rng.choice(self.names.last)}"

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)
