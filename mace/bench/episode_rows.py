"""Writing the children and their episodes, with each episode's records: risk grades,
notifications, safe-and-well checks, return interviews and offers, strategy meetings,
director-to-director letters, and the recent supervision (mace.bench.national)."""

import bisect
from array import array
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from mace.accounts.models import Agency
from mace.bench.planning import (
    CARE_LEAVER,
    CLA,
    DAY,
    HOUR,
    MINUTE,
    OPEN_END,
    YEAR_OF_DAYS,
    ZONE,
    Kid,
    PlannedPlacement,
    Planner,
    as_datetime,
    day_start,
    pick,
)
from mace.bench.tables import Loader, Table
from mace.demo import episodes as episodes_demo
from mace.demo.management.commands import seed_demo
from mace.documents.models import DirectorLetter
from mace.episodes.models import (
    Episode,
    EpisodeKind,
    EpisodeNotification,
    MissingFrom,
    RiskGrade,
    RiskGrading,
)
from mace.intelligence.models import Confidence, Link
from mace.interviews.models import InterviewOffer, ReturnInterview, SafeAndWellCheck
from mace.lib.days import age_on
from mace.meetings.models import StrategyMeeting, SupervisionDiscussion
from mace.people.models import (
    Child,
    Gender,
    ImmigrationStatus,
    LegalStatus,
    Placement,
)
from mace.worklist.rules import next_weekly_meeting

CHUNK = 20_000
PARENT_NAMES = ("mother", "father")
IMMIGRATION_WEIGHTS = {
    ImmigrationStatus.BRITISH_CITIZEN: 60,
    ImmigrationStatus.SETTLED: 5,
    ImmigrationStatus.LEAVE_TO_REMAIN: 2,
    ImmigrationStatus.NOT_RECORDED: 33,
}


class EpisodeRows(Planner):
    """The plan, written: children, episodes and their records."""

    def open_tables(self, loader: Loader) -> None:
        self.loader = loader
        self.children = loader.table(Child)
        self.statuses = loader.table(LegalStatus)
        self.placements = loader.table(Placement)
        self.episodes = loader.table(Episode)
        self.with_children = loader.table(Episode.with_children.through)
        self.gradings = loader.table(RiskGrading)
        self.interviews = loader.table(ReturnInterview)
        self.offers = loader.table(InterviewOffer)
        self.notifications = loader.table(EpisodeNotification)
        self.safe_and_well = loader.table(SafeAndWellCheck)
        self.meetings = loader.table(StrategyMeeting)
        self.letters = loader.table(DirectorLetter)
        self.supervision = loader.table(SupervisionDiscussion)
        self.links = loader.table(Link)

    @staticmethod
    def _flush(*tables: Table) -> None:
        """Parents before children: foreign keys are checked at the end of each COPY."""
        for table in tables:
            table.flush()

    def _write_children(self) -> None:
        """Children in the order they were first reported, as a live register fills."""
        kids = sorted(self.kids, key=lambda kid: (self.ep_at[kid.start], kid.start))
        for kid in self.progress(kids, desc="Writing children", unit=" children"):
            kid.pk = self.children.next_id()
            self._child(kid)
            for first, last, status in kid.periods:
                self.statuses.add(
                    child_id=kid.pk,
                    status=status,
                    start_date=date.fromordinal(first),
                    end_date=None if last == OPEN_END else date.fromordinal(last),
                    created_at=as_datetime(day_start(date.fromordinal(first)) + 9 * HOUR),
                )
            for placement in kid.placements:
                placement.pk = self.placements.add(
                    child_id=kid.pk,
                    kind=placement.kind,
                    address=placement.address,
                    postcode=placement.postcode,
                    provider=placement.provider,
                    placing_authority_id=placement.placing_id,
                    host_authority_id=placement.host_id,
                    start_date=date.fromordinal(placement.first),
                    end_date=None
                    if placement.last == OPEN_END
                    else date.fromordinal(placement.last),
                    created_at=as_datetime(
                        day_start(date.fromordinal(placement.first)) + 10 * HOUR
                    ),
                )
            if len(self.statuses.rows) >= CHUNK:
                self._flush(self.children, self.statuses, self.placements)
        self._flush(self.children, self.statuses, self.placements)

    def _child(self, kid: Kid) -> None:
        rng, names = self.rng, self.names
        today = self.today
        age_now = age_on(kid.born, today)
        last_seen = self.ep_at[kid.start + kid.count - 1]
        last_day = datetime.fromtimestamp(last_seen, ZONE).date()
        age = min(17, age_on(kid.born, last_day))
        pools: dict[str, list[str]] = {Gender.MALE: names.male, Gender.FEMALE: names.female}
        pool = pools.get(kid.gender, names.any)
        kid.first_name = rng.choice(pool)
        lgbtq = age >= 12 and rng.random() < 0.09
        neet = age >= 16 and rng.random() < 0.15
        current = kid.status_on(today.toordinal())
        placement = kid.placements[-1] if kid.placements else None
        supported = (
            placement is not None
            and placement.last >= today.toordinal()
            and placement.kind == Placement.Kind.SUPPORTED
        ) or (current == CARE_LEAVER and rng.random() < 0.6)
        team = seed_demo.TEAM_FOR_STATUS.get(current)
        if kid.placed_by is not None or age_now >= 18:
            team = None  # another authority's social worker, or no longer a child
        area = rng.choice(seed_demo.WARDS)
        kid.school = self._school(age, neet=neet)
        created = self.ep_at[kid.start] + rng.randint(30, 360) * MINUTE
        self.children.add(
            id=kid.pk,
            public_id=self._uuid(),
            reference=f"MC-{kid.pk:06d}",
            first_name=kid.first_name,
            middle_names=rng.choice(pool) if rng.random() < 0.3 else "",
            last_name=rng.choice(names.last),
            preferred_name=rng.choice(pool) if rng.random() < 0.05 else "",
            date_of_birth=kid.born,
            date_of_birth_estimated=kid.uasc,
            gender=kid.gender,
            sexuality=seed_demo.demo_sexuality(rng, age, lgbtq=lgbtq),
            ethnicity=pick(
                rng,
                seed_demo.UASC_ETHNICITY_WEIGHTS if kid.uasc else seed_demo.ETHNICITY_WEIGHTS,
            ),
            languages=seed_demo.demo_languages(rng, kid.uasc),
            religion=pick(rng, seed_demo.RELIGION_WEIGHTS),
            immigration_status=self._immigration_status(kid.uasc),
            is_uasc=kid.uasc,
            area=area,
            school=kid.school,
            gp=f"{area} {rng.choice(('Surgery', 'Medical Centre', 'Health Centre'))}"
            if rng.random() < 0.75
            else "",
            identifying_information=f"Mobile: 07700 900{rng.randrange(1000):03d}"
            if age >= 12 and rng.random() < 0.4
            else "",
            known_to_camhs=rng.random() < 0.2,
            self_harm=rng.random() < 0.1,
            substance_misuse=age >= 12 and rng.random() < 0.14,
            neet=neet,
            lgbtq=lgbtq,
            supported_accommodation=supported,
            team_id=self.teams[team].pk if team else None,
            is_restricted=rng.random() < 0.01,
            created_at=as_datetime(min(created, self.now)),
            updated_at=as_datetime(min(last_seen + 6 * HOUR, self.now)),
        )

    def _school(self, age: int, *, neet: bool) -> str:
        if neet:
            return ""
        if age < 11:
            return self.rng.choice(seed_demo.PRIMARY_SCHOOLS)
        if age < 16:
            return self.rng.choice(seed_demo.SECONDARY_SCHOOLS)
        return self.rng.choice(seed_demo.COLLEGES)

    def _immigration_status(self, uasc: bool) -> str:
        if uasc:
            return ImmigrationStatus.ASYLUM_SEEKER
        return pick(self.rng, IMMIGRATION_WEIGHTS)

    # Episodes ----------------------------------------------------------------------------

    def _write_episodes(self) -> None:
        """Every episode in the order it happened, with its records, a chunk at a time."""
        rng = self.rng
        count = len(self.ep_at)
        order = sorted(range(count), key=self.ep_at.__getitem__)  # stable: ties by plan
        self.ep_pk = array("l", [0]) * count
        for n in order:
            self.ep_pk[n] = self.episodes.next_id()
        # Police references: unique within each year, so unique altogether.
        per_year = Counter(date.fromordinal(self.ep_day[n]).year for n in order)
        self.references: dict[int, Iterator[int]] = {
            year: iter(rng.sample(range(100_000, 100_000 + max(900_000, 2 * n)), n))
            for year, n in sorted(per_year.items())
        }
        # Each pair of children missing together: their first episode together.
        self.together: dict[tuple[int, int], tuple[int, str]] = {}
        self.ep_reported = array("q", [0]) * count
        # Episodes of each child placed here by another authority, by that authority (T11).
        self.placed_episodes: Counter[tuple[int, int]] = Counter()
        bar = self.progress(total=count, desc="Writing episodes", unit=" episodes")
        for begin in range(0, count, CHUNK):
            chunk = order[begin : begin + CHUNK]
            for n in chunk:
                self._episode(n)
            self._flush(
                self.episodes,
                self.with_children,
                self.gradings,
                self.interviews,
                self.offers,
                self.notifications,
                self.safe_and_well,
                self.meetings,
                self.letters,
            )
            bar.update(len(chunk))
        bar.close()
        self._missing_together()
        self._supervision()
        self.counts["episodes still open"] = sum(1 for m in self.ep_minutes if m < 0)

    def _episode(self, n: int) -> None:
        rng = self.rng
        kid = self.kids[self.ep_kid[n]]
        day = self.ep_day[n]
        status = kid.status_on(day)
        from_care = status == CLA
        placement = kid.placement_on(day) if from_care else None
        at = self.ep_at[n]
        minutes = self.ep_minutes[n]
        returned = None if minutes < 0 else at + minutes * MINUTE
        partner = self.ep_partner[n]
        kind = EpisodeKind.MISSING
        if from_care and partner < 0 and rng.random() < episodes_demo.AWAY_SHARE_FROM_CARE:
            kind = EpisodeKind.AWAY
        report_after = rng.randint(30, 360) * MINUTE
        if returned is not None:
            report_after = min(report_after, max(30 * MINUTE, int(minutes * 0.7) * MINUTE))
        reported = min(at + report_after, self.now)
        self.ep_reported[n] = reported
        words = self._words(kid, placement)
        if kind == EpisodeKind.AWAY:
            circumstances = rng.choice(episodes_demo.CIRCUMSTANCES_AWAY)
        elif from_care:
            circumstances = rng.choice(episodes_demo.CIRCUMSTANCES_CARE)
        else:
            circumstances = rng.choice(episodes_demo.CIRCUMSTANCES_HOME)
        say = episodes_demo.EpisodeSeeder._say
        year = date.fromordinal(day).year
        missing_from = MissingFrom.CARE if from_care else MissingFrom.HOME
        reference = f"MPS-{year}-{next(self.references[year]):06d}"
        values: dict[str, Any] = {
            "id": self.ep_pk[n],
            "public_id": self._uuid(),
            "child_id": kid.pk,
            "kind": kind,
            "missing_from": missing_from,
            "absconded": from_care and rng.random() < 0.45,
            "legal_status": status,
            "placement_id": placement.pk if placement else None,
            "last_seen_at": as_datetime(at),
            "last_seen_location": say(
                rng.choice(
                    episodes_demo.LAST_SEEN_CARE if from_care else episodes_demo.LAST_SEEN_HOME
                ),
                words,
            ),
            "reported_at": as_datetime(reported),
            "reported_by": self._reporter(placement),
            "police_reference": reference,
            "circumstances": say(circumstances, words),
            "with_others": say(rng.choice(episodes_demo.WITH_OTHERS), words)
            if rng.random() < 0.12
            else "",
            "unsafe_to_return_home": not from_care and rng.random() < 0.02,
            "push_pull_factors": self._factors(from_care),
            "created_at": as_datetime(reported),
            "updated_at": as_datetime(min(self.now, max(reported, returned or reported))),
        }
        if returned is not None:
            method = pick(rng, episodes_demo.RETURN_METHOD_WEIGHTS)
            values.update(
                returned_at=as_datetime(returned),
                return_method=method,
                found_by=say(rng.choice(episodes_demo.FOUND_BY[method]), words),
                found_location=say(rng.choice(episodes_demo.FOUND_LOCATIONS), words),
                where_been=say(rng.choice(episodes_demo.WHERE_BEEN), words),
                who_with_while_missing=say(rng.choice(episodes_demo.WHO_WITH), words),
            )
        self.episodes.add(**values)
        if partner >= 0:
            other = self.kids[self.ep_kid[partner]]
            self.with_children.add(episode_id=self.ep_pk[n], child_id=other.pk)
            pair = (min(kid.pk, other.pk), max(kid.pk, other.pk))
            self.together.setdefault(pair, (n, reference))
        self._grading(n, kid, status, reported, returned, words)
        if returned is not None:
            self._interview(n, kid, status, missing_from, placement, returned, words)
        self._notifications(n, kid, status, placement, reported, returned)
        if returned is not None and kind == EpisodeKind.MISSING:
            self._safe_and_well_check(n, returned, values["where_been"])
        if status == CLA and kind == EpisodeKind.MISSING:
            meeting = StrategyMeeting.Reason.LOOKED_AFTER_MISSING
            self._strategy_meeting(kid, meeting, reported, words, episode=n)
        elif values["unsafe_to_return_home"]:
            meeting = StrategyMeeting.Reason.UNSAFE_TO_RETURN
            self._strategy_meeting(kid, meeting, returned or reported, words, episode=n)
        if placement is not None and placement.by_another:
            self._director_letter(n, kid, placement, reported)

    def _words(self, kid: Kid, placement: PlannedPlacement | None) -> dict[str, str]:
        """The blanks of demo.episodes's phrases, drawn once per episode."""
        rng = self.rng
        return {
            "name": kid.first_name,
            "carer": "their carer" if placement is not None else "their mother",
            "home": "the placement" if placement is not None else "home",
            "street": rng.choice(self.names.streets),
            "area": rng.choice(episodes_demo.AREAS),
            "place": rng.choice(episodes_demo.PLACES),
            "school": kid.school or "school",
            "topic": rng.choice(episodes_demo.TOPICS),
            "nickname": rng.choice(episodes_demo.NICKNAMES),
            "curfew": rng.choice(episodes_demo.CURFEWS),
            "surname": rng.choice(self.names.last),
            "provider": (placement.provider if placement else "") or "the placement",
        }

    def _reporter(self, placement: PlannedPlacement | None) -> str:
        rng, names = self.rng, self.names
        name = f"{rng.choice(names.any)} {rng.choice(names.last)}"
        if placement is not None:
            return f"{name}, {episodes_demo.REPORTER_ROLES.get(placement.kind, 'carer')}"
        return f"{name} ({rng.choice(PARENT_NAMES)})"

    def _factors(self, from_care: bool) -> list[str]:
        weights = episodes_demo.FACTORS_CARE if from_care else episodes_demo.FACTORS_HOME
        chosen: set[str] = set()
        for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
            chosen.add(str(pick(self.rng, weights)))
        return sorted(chosen)

    def _grading(
        self,
        n: int,
        kid: Kid,
        status: str,
        reported: int,
        returned: int | None,
        words: dict[str, str],
    ) -> None:
        """demo.episodes's grades: medium, or high for a few, more often in care and from
        the fifth episode on; a few medium grades raised later."""
        rng = self.rng
        chance = episodes_demo.HIGH_RISK
        if status == CLA:
            chance += episodes_demo.HIGH_RISK_CARE
        if n - kid.start >= 4:
            chance += episodes_demo.HIGH_RISK_FREQUENT
        grade = RiskGrade.HIGH if rng.random() < chance else RiskGrade.MEDIUM
        graded = min(self.now, reported + rng.randint(5, 60) * MINUTE)
        reason = ""
        if grade == RiskGrade.HIGH:
            reason = episodes_demo.EpisodeSeeder._say(
                rng.choice(episodes_demo.HIGH_RISK_REASONS), words
            )
        self.gradings.add(
            episode_id=self.ep_pk[n],
            grade=grade,
            graded_at=as_datetime(graded),
            reason=reason,
            created_at=as_datetime(graded),
        )
        if grade == RiskGrade.MEDIUM and rng.random() < episodes_demo.REGRADED:
            regraded = graded + rng.randint(2, 12) * HOUR
            if regraded < (returned or self.now):
                self.gradings.add(
                    episode_id=self.ep_pk[n],
                    grade=RiskGrade.HIGH,
                    graded_at=as_datetime(regraded),
                    reason="Still missing and not answering; new information about who they "
                    "are with.",
                    created_at=as_datetime(regraded),
                )

    def _provider(
        self,
        n: int,
        kid: Kid,
        status: str,
        missing_from: str,
        placement: PlannedPlacement | None,
        returned: int,
    ) -> tuple[Agency | None, str]:
        """interviews.services.choose_provider, as it decides when the interview is referred
        (003 §21-25), from the plan rather than a query for each episode."""
        if placement is not None and placement.by_another:
            name = self.authority_names[placement.placing_id]
            return None, f"Placed here by {name}: they arrange the interview (002 §4.6.3)"
        if status == CLA or missing_from == MissingFrom.CARE:
            return (
                self.provider_looked_after,
                "Looked after: independent advocate provider (003 §24)",
            )
        at = self.ep_at[n]
        if age_on(kid.born, date.fromordinal(self.ep_day[n])) <= 12:
            return (
                self.provider_under_13,
                "12 and under, missing from home: family wellbeing service (003 §21)",
            )
        returned_day = datetime.fromtimestamp(returned, ZONE).date().toordinal()
        long_or_overnight = returned - at > 12 * HOUR or returned_day != self.ep_day[n]
        times = self.ep_at[kid.start : n + 1]
        repeat = len(times) - bisect.bisect_left(times, at - YEAR_OF_DAYS) >= 2
        if long_or_overnight or repeat:
            reason = (
                "missing overnight or over 12 hours"
                if long_or_overnight
                else "gone 2 or more times"
            )
            return (
                self.provider_13_and_over,
                f"13 and over, missing from home, {reason}: targeted youth service (003 §22)",
            )
        return (
            self.provider_13_and_over,
            "13 and over, missing from home: targeted youth service, offered after every "
            "episode (003 §20, §22)",
        )

    def _interview(
        self,
        n: int,
        kid: Kid,
        status: str,
        missing_from: str,
        placement: PlannedPlacement | None,
        returned: int,
        words: dict[str, str],
    ) -> None:
        """demo.episodes's referral, offers and outcome; the record of 003 A4 when done."""
        rng = self.rng
        provider, rule = self._provider(n, kid, status, missing_from, placement, returned)
        referred = returned + rng.randint(60, 20 * 60) * MINUTE
        recent = returned > self.now - episodes_demo.RECENT.total_seconds()
        if referred > self.now or (recent and rng.random() < episodes_demo.RECENTLY_UNDONE / 2):
            return
        pk = self.interviews.next_id()
        values: dict[str, Any] = {
            "id": pk,
            "public_id": self._uuid(),
            "episode_id": self.ep_pk[n],
            "provider_id": provider.pk if provider else None,
            "provider_rule": rule,
            "referred_at": as_datetime(referred),
            "status": ReturnInterview.Status.REFERRED,
            "created_at": as_datetime(referred),
            "updated_at": as_datetime(referred),
        }
        if rng.random() < episodes_demo.OFFERED_WITHIN_72_HOURS:
            first = returned + rng.randint(120, 72 * 60 - 1) * MINUTE
        else:
            first = returned + rng.randint(72 * 60, 10 * 24 * 60) * MINUTE
        first = max(first, referred)
        outcome = pick(rng, episodes_demo.INTERVIEW_OUTCOMES)
        if first <= self.now:
            self._offers(pk, first, outcome, values, kid, words)
            if provider is None:  # T12: offered a health assessment with the interview
                values.setdefault("health_assessment_offered", rng.random() < 0.7)
        self.interviews.add(**values)

    def _offers(
        self,
        pk: int,
        first: int,
        outcome: str,
        values: dict[str, Any],
        kid: Kid,
        words: dict[str, str],
    ) -> None:
        rng = self.rng
        Response, Status = InterviewOffer.Response, ReturnInterview.Status
        values["status"] = Status.OFFERED
        last = first

        def offer(at: int, response: str, notes: str) -> None:
            nonlocal last
            last = max(last, at)
            self.offers.add(
                interview_id=pk,
                offered_at=as_datetime(at),
                method=rng.choice(episodes_demo.OFFER_METHODS),
                response=response,
                notes=notes,
                created_at=as_datetime(at),
            )

        if outcome == "completed":
            offer(first, Response.ACCEPTED, "")
            values["status"] = Status.ACCEPTED
            completed = first + rng.randint(0, 72 * 60) * MINUTE
            if completed <= self.now:
                self._record(values, completed, kid, words)
                last = completed
        elif outcome == "declined":
            offer(first, Response.DECLINED, "Did not want to talk about it")
            second = first + rng.randint(2, 7) * DAY
            if rng.random() < 0.5 and second <= self.now:
                offer(second, Response.DECLINED, "Declined the repeat offer")
            values["status"] = Status.DECLINED
            values["refusal_safeguarding_considered"] = rng.choice(episodes_demo.REFUSAL_CONSIDERED)
        else:
            offer(first, Response.NO_RESPONSE, "No answer; message left")
            at = first
            for _ in range(rng.randint(0, 2)):
                at += rng.randint(1, 4) * DAY
                if at <= self.now:
                    offer(at, Response.NO_RESPONSE, "No answer")
            if last < self.now - 3 * DAY:
                values["status"] = Status.NO_CONTACT
        values["updated_at"] = as_datetime(last)

    def _record(
        self, values: dict[str, Any], completed: int, kid: Kid, words: dict[str, str]
    ) -> None:
        rng = self.rng
        say = episodes_demo.EpisodeSeeder._say
        safe_while, happy_while = rng.randint(1, 7), rng.randint(0, 6)
        up = rng.random() < 0.85  # usually safer and happier since coming back
        completed_day = datetime.fromtimestamp(completed, ZONE).date()
        values.update(
            status=ReturnInterview.Status.COMPLETED,
            completed_at=as_datetime(completed),
            consent_given_by=rng.choice(("Mother", "Social worker", "Carer"))
            if age_on(kid.born, completed_day) < 16
            else "",
            childs_account=say(rng.choice(episodes_demo.CHILDS_ACCOUNT), words),
            parents_views=say(rng.choice(episodes_demo.PARENTS_VIEWS), words),
            interviewer_analysis=say(rng.choice(episodes_demo.INTERVIEWER_ANALYSIS), words),
            safe_before=rng.randint(4, 9),
            safe_while_missing=safe_while,
            safe_since=min(10, safe_while + rng.randint(1, 5))
            if up
            else rng.randint(0, safe_while),
            happy_before=rng.randint(3, 9),
            happy_while_missing=happy_while,
            happy_since=min(10, happy_while + rng.randint(1, 5))
            if up
            else rng.randint(0, happy_while),
            harmed=rng.random() < 0.1,
            victim_of_crime=rng.random() < 0.08,
            perpetrator_of_crime=rng.random() < 0.06,
            harboured_where_by_whom=say(rng.choice(episodes_demo.HARBOURED), words),
            information_to_find_next_time=say(rng.choice(episodes_demo.FIND_NEXT_TIME), words),
            health_assessment_offered=rng.random() < 0.3,
            sexual_health_referral=rng.random() < 0.05,
            referrals_made=say(rng.choice(episodes_demo.REFERRALS), words),
        )

    def _done(self, at: int, after: int) -> bool:
        """Whether a step due after `after` was done by now: the last few days leave some
        undone (demo.episodes's RECENTLY_UNDONE), so the worklist has something to show."""
        if at > self.now:
            return False
        recent = after > self.now - episodes_demo.RECENT.total_seconds()
        return not (recent and self.rng.random() < episodes_demo.RECENTLY_UNDONE)

    def _notifications(
        self,
        n: int,
        kid: Kid,
        status: str,
        placement: PlannedPlacement | None,
        reported: int,
        returned: int | None,
    ) -> None:
        """demo.episodes's: the social worker and parents of a looked-after child (T2), the
        Home Office (T9), the placing authority when missing and found (T10)."""
        rng = self.rng
        Recipient, Stage = EpisodeNotification.Recipient, EpisodeNotification.Stage
        by_another = placement is not None and placement.by_another

        def told(recipient: str, after: int, method: str, stage: str = Stage.MISSING) -> None:
            at = after + rng.randint(2, 180) * MINUTE
            if self._done(at, reported):
                self.notifications.add(
                    episode_id=self.ep_pk[n],
                    recipient=recipient,
                    stage=stage,
                    notified_at=as_datetime(at),
                    method=method,
                    created_at=as_datetime(at),
                )

        def not_told(recipient: str, reason: str) -> None:
            self.notifications.add(
                episode_id=self.ep_pk[n],
                recipient=recipient,
                not_notified_reason=reason,
                created_at=as_datetime(reported + 30 * MINUTE),
            )

        if status == CLA:
            method = "Phoned the duty social worker"
            if placement is not None and by_another:
                name = self.authority_names[placement.placing_id]
                method = f"Phoned the social worker at {name}"
            told(Recipient.ALLOCATED_WORKER, reported, method)
            if kid.uasc:
                not_told(
                    Recipient.PARENTS, "No parent with parental responsibility in the UK to tell."
                )
            elif rng.random() < 0.15:
                not_told(Recipient.PARENTS, rng.choice(episodes_demo.PARENT_NOT_TOLD))
            else:
                told(Recipient.PARENTS, reported, "Phone call")
        if kid.uasc:
            told(Recipient.HOME_OFFICE, reported, "Email to the Home Office missing persons team")
        if by_another:
            told(Recipient.PLACING_AUTHORITY, reported, "Email and phone")
            if returned is not None:
                told(Recipient.PLACING_AUTHORITY, returned, "Email", Stage.FOUND)

    def _safe_and_well_check(self, n: int, returned: int, where_been: str) -> None:
        """003 §4: the police prevention interview after a missing child is found."""
        rng, names = self.rng, self.names
        conducted = returned + rng.randint(20, 240) * MINUTE
        if not self._done(conducted, returned):
            return
        harm, offences = rng.random() < 0.06, rng.random() < 0.05
        self.safe_and_well.add(
            public_id=self._uuid(),
            episode_id=self.ep_pk[n],
            conducted_at=as_datetime(conducted),
            officer_name=f"PC {rng.choice(names.any)} {rng.choice(names.last)}",
            harm_suffered=harm,
            offences_disclosed=offences,
            where_been=where_been,
            findings=rng.choice(episodes_demo.SAFE_AND_WELL_FINDINGS),
            further_police_action="Crime report raised; referral to the MASH."
            if harm or offences
            else "",
            created_at=as_datetime(conducted),
        )

    def _strategy_meeting(
        self,
        kid: Kid,
        reason: str,
        start: int,
        words: dict[str, str],
        episode: int | None = None,
    ) -> None:
        """003 §12 (a looked-after child missing), §5 (unsafe to return), §54 (significant
        harm): held within 24 hours, mostly (demo.episodes)."""
        rng = self.rng
        if rng.random() < episodes_demo.MEETING_WITHIN_24_HOURS:
            held = start + rng.randint(90, 22 * 60) * MINUTE
        else:
            held = start + rng.randint(25 * 60, 72 * 60) * MINUTE
        if held > self.now:
            return
        say = episodes_demo.EpisodeSeeder._say
        people = [
            f"{self._name()}, Team manager (chair), {seed_demo.CSC}",
            f"{self._name()}, Missing coordinator, {seed_demo.CSC}",
            f"{self._name()}, Detective constable, {seed_demo.POLICE}",
        ]
        for role, agency in rng.sample(episodes_demo.ATTENDEE_ROLES, rng.randint(1, 3)):
            people.append(f"{self._name()}, {role}, {say(agency, words)}")
        held_day = datetime.fromtimestamp(held, ZONE).date()
        self.meetings.add(
            public_id=self._uuid(),
            child_id=kid.pk,
            episode_id=self.ep_pk[episode] if episode is not None else None,
            reason=reason,
            held_at=as_datetime(held),
            attendees="\n".join(people),
            information_shared=say(rng.choice(episodes_demo.INFORMATION_SHARED), words),
            s47_enquiry=rng.random() < (0.6 if episode is None else 0.08),
            decision_notes=rng.choice(episodes_demo.DECISION_NOTES),
            safety_plan=say(rng.choice(episodes_demo.SAFETY_PLANS), words),
            follow_up_date=held_day + timedelta(days=rng.randint(7, 28)),
            created_at=as_datetime(held),
        )

    def _director_letter(
        self, n: int, kid: Kid, placement: PlannedPlacement, reported: int
    ) -> None:
        """003 §15 (T11): the letter when a child placed here by another authority reaches
        the third episode, prepared for the next weekly meeting (demo.episodes)."""
        key = (kid.pk, placement.placing_id)
        self.placed_episodes[key] += 1
        if self.placed_episodes[key] != self.th.director_letter_episodes:
            return
        if reported > self.now - episodes_demo.LETTER_AFTER.total_seconds():
            return  # due at the next weekly meeting: the worklist shows it
        meeting = next_weekly_meeting(as_datetime(reported), self.th)
        prepared = max(int(meeting.timestamp()) - 3 * HOUR, reported)
        sent = prepared + self.rng.randint(1, 5) * DAY
        self.letters.add(
            public_id=self._uuid(),
            child_id=kid.pk,
            placing_authority_id=placement.placing_id,
            episode_count=self.th.director_letter_episodes,
            prepared_at=as_datetime(prepared),
            sent_at=as_datetime(sent) if sent <= self.now else None,
        )

    def _supervision(self) -> None:
        """T16 for the children missing lately: discussed every four weeks over the last few
        months, until 90 days after their latest episode; a few have slipped (demo.episodes).
        Older history is not written (the rule counts the first discussion after an episode
        as the cycle done, late)."""
        rng = self.rng
        th = self.th
        active = th.supervision_active_for.total_seconds()
        reach = self.now - active - th.supervision_every.total_seconds()
        today = self.today
        for kid in self.kids:
            last = kid.start + kid.count - 1
            if self.ep_reported[last] < reach:
                continue
            first_day = datetime.fromtimestamp(self.ep_reported[kid.start], ZONE).date()
            until = datetime.fromtimestamp(self.ep_reported[last] + active, ZONE).date()
            until += timedelta(days=1)
            slipped = until > today and rng.random() < episodes_demo.SUPERVISION_GAP
            last_held = today - timedelta(days=rng.randint(35, 60) if slipped else 0)
            day = max(
                first_day + timedelta(days=rng.randint(5, 27)),
                today - timedelta(days=rng.randint(120, 150)),
            )
            while day <= last_held:
                self.supervision.add(
                    child_id=kid.pk,
                    held_on=day,
                    manager_id=self.recorder.pk,
                    notes=rng.choice(episodes_demo.SUPERVISION_NOTES),
                    created_at=as_datetime(day_start(day) + 15 * HOUR),
                )
                if day >= until:
                    break  # discussed past 90 days after the latest episode: done
                gap = rng.randint(21, 28) if rng.random() < 0.85 else rng.randint(29, 45)
                day += timedelta(days=gap)
        self.supervision.flush()

    def _missing_together(self) -> None:
        """One missing-together link for each pair, from their first episode together, as
        intelligence.services.links_from_episodes makes them."""
        for (first, second), (n, reference) in sorted(self.together.items()):
            day = date.fromordinal(self.ep_day[n])
            self.links.add(
                public_id=self._uuid(),
                child_id=first,
                other_child_id=second,
                kind=Link.Kind.MISSING_TOGETHER,
                source=f"Missing episode {reference}",
                observed_on=day,
                confidence=Confidence.CONFIRMED,
                created_at=as_datetime(self.ep_at[n] + HOUR),
            )
        self.links.flush()
        self.counts["missing-together links"] = len(self.together)
