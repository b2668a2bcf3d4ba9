"""The timescales and triggers of SPEC section 4, one named unit each, citing its source.

Each rule looks at the facts about one child (`ChildFacts`) and says what must happen, for
whom and by when (`Due`), and whether it has happened. The engine (worklist.engine) keeps
the DueItem table in step with what the rules say, so editing a fact moves or closes the
item: change a return time and the 72-hour deadline moves with it.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.utils import timezone

from mace.accounts.models import Role, Team, User
from mace.disruption.models import DisruptionAction
from mace.documents.models import DirectorLetter
from mace.education.calendar import SchoolCalendar
from mace.education.models import CMECase
from mace.episodes.models import Episode, EpisodeNotification, RiskGrade
from mace.exploitation.models import Assessment, RiskLevel
from mace.lib.days import add_months, day_of, in_force_on
from mace.meetings.models import (
    MeetingAction,
    PanelAction,
    PanelMeeting,
    StrategyMeeting,
    SupervisionDiscussion,
    TransitionReferral,
)
from mace.people.models import Child, LegalStatusKind, Placement
from mace.worklist.thresholds import Thresholds

Recipient = EpisodeNotification.Recipient
Stage = EpisodeNotification.Stage


@dataclass(frozen=True)
class Due:
    """What a rule says must happen."""

    key: str
    rule: str
    title: str
    due_at: datetime.datetime
    done: bool
    episode: Episode | None = None
    assignee: User | None = None
    team: Team | None = None
    role: str = ""
    # Before go-live (issue 18): created closed as history, never chased (worklist.golive).
    history: bool = False
    # Overtaken (T16): a cycle the records wanted until one recorded later moved it; kept
    # closed as not needed, as it was closed when that record came (worklist.engine).
    superseded: bool = False


@dataclass(frozen=True, slots=True)
class Grading:
    """A police risk grading of an episode, as the rules read it (T1, T4, T5)."""

    pk: int
    grade: str
    graded_at: datetime.datetime


@dataclass
class ChildFacts:
    """Everything the rules need about one child, loaded once."""

    child: Child
    episodes: list[Episode]
    placements: list[Placement]
    strategy_meetings: list[StrategyMeeting]
    director_letters: list[DirectorLetter]
    supervision: list[SupervisionDiscussion]
    now: datetime.datetime = field(default_factory=timezone.now)
    # Exploitation risk assessments, oldest first (T13-T16).
    assessments: list[Assessment] = field(default_factory=list)
    # The actions of the child's disruption plan (A3).
    disruption_actions: list[DisruptionAction] = field(default_factory=list)
    # Actions agreed at panels and strategy meetings (ACT); referrals to adult services (T20).
    panel_actions: list[PanelAction] = field(default_factory=list)
    meeting_actions: list[MeetingAction] = field(default_factory=list)
    transition_referrals: list[TransitionReferral] = field(default_factory=list)
    # Cases on the register of children missing education (T17-T19), and the school
    # calendar their deadlines are counted in (loaded only for a child with cases).
    cme_cases: list[CMECase] = field(default_factory=list)
    school_calendar: SchoolCalendar | None = None
    # What is recorded against each episode, keyed by the episode's pk and held as plain
    # values (loading them as model instances was most of the scheduled checks' time): the
    # police risk gradings, the (recipient, stage) of each notification, and the episodes
    # whose return home interview has an offer recorded, or that have a safe-and-well check.
    gradings: dict[int, list[Grading]] = field(default_factory=dict)
    notifications: dict[int, set[tuple[str, str]]] = field(default_factory=dict)
    offered: set[int] = field(default_factory=set)
    checked_safe_and_well: set[int] = field(default_factory=set)

    def notified(self, episode: Episode, recipient: str, stage: str = Stage.MISSING) -> bool:
        return (recipient, stage) in self.notifications.get(episode.pk, ())

    def gradings_of(self, episode: Episode) -> list[Grading]:
        return self.gradings.get(episode.pk, [])

    def interview_offered(self, episode: Episode) -> bool:
        """An offer of the episode's return home interview is recorded (SPEC section 5)."""
        return episode.pk in self.offered

    def safe_and_well_held(self, episode: Episode) -> bool:
        return episode.pk in self.checked_safe_and_well

    def placement_at(self, moment: datetime.datetime) -> Placement | None:
        """`Child.placement_on` over the loaded placements: they come latest first
        (`Placement`'s ordering), so the first in force is the one that rule chooses."""
        day = day_of(moment)
        return next(
            (p for p in self.placements if in_force_on(day, p.start_date, p.end_date)), None
        )

    def placed_by_other_authority(self, episode: Episode, home_ons_code: str) -> Placement | None:
        placement = episode.placement or self.placement_at(episode.last_seen_at)
        if placement is None:
            return None
        if placement.placing_authority.ons_code == home_ons_code:
            return None
        return placement

    def meetings_for(self, episode: Episode) -> list[StrategyMeeting]:
        return [m for m in self.strategy_meetings if m.episode_id == episode.pk]

    @property
    def latest_assessment(self) -> Assessment | None:
        if not self.assessments:
            return None
        return max(self.assessments, key=lambda a: (a.assessed_at, a.pk))

    @property
    def open_exploitation_risk(self) -> bool:
        """The latest assessment's level is vulnerable, at risk or significant harm."""
        latest = self.latest_assessment
        return latest is not None and latest.is_open_risk

    def newer_assessment_than(self, assessment: Assessment) -> bool:
        key = (assessment.assessed_at, assessment.pk)
        return any((a.assessed_at, a.pk) > key for a in self.assessments)


def _worker(facts: ChildFacts) -> dict[str, object]:
    """The allocated worker, else their team, else the missing coordinators' queue."""
    child = facts.child
    if child.allocated_worker_id:
        return {"assignee": child.allocated_worker}
    if child.team_id:
        return {"team": child.team}
    return {"role": Role.MISSING_COORDINATOR}


def _looked_after(episode: Episode) -> bool:
    return episode.legal_status == LegalStatusKind.CLA


class Rule:
    code = ""
    source = ""

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        raise NotImplementedError

    def changes_at(self, facts: ChildFacts, th: Thresholds) -> datetime.datetime | None:
        """The first instant after `facts.now` at which time alone can change what `due`
        says, or None if it never can: only a rule that reads `facts.now` overrides it."""
        return None


class T1PoliceRiskGrade(Rule):
    """T1. A child is reported missing: the police risk grade is recorded at report, and a
    child is graded no lower than the minimum (setting, default medium).

    003 §2: "A police risk rating is applied ... All children under the age of 18 years
    must be classified as at least Medium risk." The minimum is enforced when a grade is
    recorded (episodes.services.episode_grade_risk); this rule puts the grading on the
    police queue until it is done.
    """

    code, source = "T1", "003 §2"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            yield Due(
                key=f"T1:episode:{episode.pk}",
                rule=self.code,
                title="Record the police risk grade",
                due_at=episode.reported_at,
                done=bool(facts.gradings_of(episode)),
                episode=episode,
                role=Role.POLICE_OFFICER,
            )


class T2LookedAfterNotifications(Rule):
    """T2. A looked-after child is missing: the allocated social worker is notified, and
    the parents where appropriate, immediately.

    003 §11: "this must be reported to the Police and the allocated social worker notified
    immediately. The child's birth parents should also be notified where it is
    appropriate." 003 §13: anyone with parental responsibility should be informed.
    """

    code, source = "T2", "003 §11, §13"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            if not _looked_after(episode):
                continue
            yield Due(
                key=f"T2:worker:{episode.pk}",
                rule=self.code,
                title="Tell the allocated social worker the child is missing",
                due_at=episode.reported_at,
                done=facts.notified(episode, Recipient.ALLOCATED_WORKER),
                episode=episode,
                role=Role.MISSING_COORDINATOR,
            )
            yield Due(
                key=f"T2:parents:{episode.pk}",
                rule=self.code,
                title="Tell the parents, or record why it is not appropriate",
                due_at=episode.reported_at,
                done=facts.notified(episode, Recipient.PARENTS),
                episode=episode,
                **_worker(facts),  # type: ignore[arg-type]
            )


class T3StrategyMeetingLookedAfter(Rule):
    """T3. A looked-after child is missing: a strategy meeting, as soon as possible and
    within 24 hours (setting).

    003 §12: "The strategy meeting will be held as soon as possible and no later than 24
    hours with all relevant professionals working with the child or young person".
    """

    code, source = "T3", "003 §12"

    @staticmethod
    def key_for(episode: Episode) -> str:
        return f"T3:episode:{episode.pk}"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            if episode.kind != "missing" or not _looked_after(episode):
                continue
            yield Due(
                key=self.key_for(episode),
                rule=self.code,
                title="Hold a strategy meeting",
                due_at=episode.reported_at + th.strategy_meeting,
                done=bool(facts.meetings_for(episode)),
                episode=episode,
                **_worker(facts),  # type: ignore[arg-type]
            )


def _grade_when_found(facts: ChildFacts, episode: Episode) -> str | None:
    gradings = facts.gradings_of(episode)
    graded = [g for g in gradings if g.graded_at <= (episode.returned_at or g.graded_at)]
    graded = graded or gradings
    if not graded:
        return None
    return max(graded, key=lambda g: (g.graded_at, g.pk)).grade


def _high_risk_for_safe_and_well(facts: ChildFacts, episode: Episode) -> bool:
    """Whether the safe-and-well interview is a high-risk one (T4, 1 hour) rather than T5's
    3 hours: the grade in force when the child was found is High, or the police re-graded
    the episode High after the return was recorded (issue 19): a re-grade up is never
    ignored. A later grade down does not undo a High that stood when the child was found."""
    if _grade_when_found(facts, episode) == RiskGrade.HIGH:
        return True
    returned_at = episode.returned_at
    return returned_at is not None and any(
        g.grade == RiskGrade.HIGH and g.graded_at > returned_at for g in facts.gradings_of(episode)
    )


class T4SafeAndWellHighRisk(Rule):
    """T4. A child is found, high risk: the police safe-and-well interview within 1 hour.

    003 §4: "For high risk cases this debrief will be conducted within 1 hour".
    """

    code, source = "T4", "003 §4"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        yield from _safe_and_well(self.code, facts, th, high_risk=True)


class T5SafeAndWell(Rule):
    """T5. A child is found, any other grade: the safe-and-well interview within 3 hours.

    003 §4: "... all other cases within 3 hours."
    """

    code, source = "T5", "003 §4"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        yield from _safe_and_well(self.code, facts, th, high_risk=False)


def safe_and_well_key(episode: Episode) -> str:
    """The key of an episode's safe-and-well item: one item, T4's or T5's as the grade says,
    so a re-grade moves its deadline rather than adding another."""
    return f"safe_and_well:episode:{episode.pk}"


def _safe_and_well(
    code: str, facts: ChildFacts, th: Thresholds, *, high_risk: bool
) -> Iterator[Due]:
    for episode in facts.episodes:
        if episode.returned_at is None or episode.kind != "missing":
            continue
        if _high_risk_for_safe_and_well(facts, episode) != high_risk:
            continue
        window = th.safe_and_well_high_risk if high_risk else th.safe_and_well
        yield Due(
            key=safe_and_well_key(episode),
            rule=code,
            title="Safe-and-well interview",
            due_at=episode.returned_at + window,
            done=facts.safe_and_well_held(episode),
            episode=episode,
            role=Role.POLICE_OFFICER,
        )


class T6UnsafeToReturn(Rule):
    """T6. It may be unsafe for the child to return home: a referral to children's social
    care and a strategy meeting, immediately and within 24 hours.

    003 §5: "If it is considered that it may be unsafe for the child or young person to
    return home, a referral must be made to CSC and a strategy meeting held immediately or
    within a maximum period of 24 hours."
    """

    code, source = "T6", "003 §5"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            if not episode.unsafe_to_return_home:
                continue
            start = episode.returned_at or episode.reported_at
            yield Due(
                key=f"T6:episode:{episode.pk}",
                rule=self.code,
                title="Strategy meeting: it may be unsafe to return home",
                due_at=start + th.strategy_meeting,
                done=any(m.held_at >= episode.last_seen_at for m in facts.meetings_for(episode)),
                episode=episode,
                **_worker(facts),  # type: ignore[arg-type]
            )


class T7ReturnInterview(Rule):
    """T7. A child is found or returns: a return home interview offered within 72 hours,
    by the provider of C3.

    003 §20: "The interview should take place within 72 hours of the young person being
    located or returning from absence." Also 001 and 002 §4.6.3. An interview counts as
    offered when an offer is recorded (SPEC section 5). An interview recorded from the
    tracker with the provider not known (no provider agency set up) has no provider's
    worker to offer it: the child's worker does.
    """

    code, source = "T7", "003 §20, 001, 002 §4.6.3"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            if episode.returned_at is None:
                continue
            interview = getattr(episode, "return_interview", None)
            owner: dict[str, object]
            if interview is not None and interview.worker_id:
                owner = {"assignee": interview.worker}
            elif interview is not None and not interview.provider_not_known:
                owner = {"role": Role.RHI_WORKER}
            else:
                owner = _worker(facts)
            title = "Offer the return home interview"
            if facts.placed_by_other_authority(episode, th.home_authority_ons_code):
                title = "Check the placing authority has offered the return home interview"
                owner = {"role": Role.MISSING_COORDINATOR}
            yield Due(
                key=f"T7:episode:{episode.pk}",
                rule=self.code,
                title=title,
                due_at=episode.returned_at + th.return_interview,
                done=facts.interview_offered(episode),
                episode=episode,
                **owner,  # type: ignore[arg-type]
            )


class T8ReferralForLookedAfter(Rule):
    """T8. A looked-after child is found: the social worker refers to the interview
    provider within 24 hours.

    003 §24: "The allocated social worker will need to make a referral to NYAS by
    completing the referral form within 24 hours."
    """

    code, source = "T8", "003 §24"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            if episode.returned_at is None or not _looked_after(episode):
                continue
            if facts.placed_by_other_authority(episode, th.home_authority_ons_code):
                continue  # the placing authority arranges it (002 §4.6.3; T10)
            yield Due(
                key=f"T8:episode:{episode.pk}",
                rule=self.code,
                title="Refer to the return interview provider",
                due_at=episode.returned_at + th.return_interview_referral,
                done=hasattr(episode, "return_interview"),
                episode=episode,
                **_worker(facts),  # type: ignore[arg-type]
            )


class T9HomeOffice(Rule):
    """T9. An unaccompanied asylum-seeking child goes missing: the Home Office is informed
    immediately.

    003 §14: "If one goes missing then UKBA must be informed."
    """

    code, source = "T9", "003 §14"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        if not facts.child.is_uasc:
            return
        for episode in facts.episodes:
            yield Due(
                key=f"T9:episode:{episode.pk}",
                rule=self.code,
                title="Inform the Home Office",
                due_at=episode.reported_at,
                done=facts.notified(episode, Recipient.HOME_OFFICE),
                episode=episode,
                role=Role.MISSING_COORDINATOR,
            )


class T10PlacingAuthority(Rule):
    """T10. A child placed here by another authority is missing or found: the placing
    authority is notified immediately (and the child reviewed at the next weekly meeting).

    003 §15: notifications "sent by MASH to the placing authority"; 002 §4.6.3.
    """

    code, source = "T10", "003 §15, 002 §4.6.3"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            placement = facts.placed_by_other_authority(episode, th.home_authority_ons_code)
            if placement is None:
                continue
            authority = placement.placing_authority.name
            yield Due(
                key=f"T10:missing:{episode.pk}",
                rule=self.code,
                title=f"Tell {authority} the child is missing",
                due_at=episode.reported_at,
                done=facts.notified(episode, Recipient.PLACING_AUTHORITY, Stage.MISSING),
                episode=episode,
                role=Role.MISSING_COORDINATOR,
            )
            if episode.returned_at is not None:
                yield Due(
                    key=f"T10:found:{episode.pk}",
                    rule=self.code,
                    title=f"Tell {authority} the child is found",
                    due_at=episode.returned_at,
                    done=facts.notified(episode, Recipient.PLACING_AUTHORITY, Stage.FOUND),
                    episode=episode,
                    role=Role.MISSING_COORDINATOR,
                )


def next_weekly_meeting(after: datetime.datetime, th: Thresholds) -> datetime.datetime:
    """The first weekly meeting (Tuesday 2pm by default, 003 A5) after a moment."""
    local = timezone.localtime(after)
    days_ahead = (th.weekly_meeting_weekday - local.weekday()) % 7
    candidate = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=days_ahead), th.weekly_meeting_time
    )
    aware = timezone.make_aware(candidate)
    if aware <= after:
        aware = timezone.make_aware(candidate + datetime.timedelta(days=7))
    return aware


class T11DirectorLetter(Rule):
    """T11. A child placed here by another authority reaches 3 episodes (setting): the
    director-to-director letter, by the next weekly meeting.

    003 §15: "if the child is found to have three missing episodes or more, a letter of
    concern is sent to the placing authority's Director of Children's Social Care".
    Episodes are counted while the child is in the placement by that authority.
    """

    code, source = "T11", "003 §15"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        by_placing: dict[int, list[Episode]] = {}
        for episode in sorted(facts.episodes, key=lambda e: e.last_seen_at):
            placement = facts.placed_by_other_authority(episode, th.home_authority_ons_code)
            if placement is not None:
                by_placing.setdefault(placement.placing_authority_id, []).append(episode)
        for authority_id, episodes in by_placing.items():
            if len(episodes) < th.director_letter_episodes:
                continue
            reached = episodes[th.director_letter_episodes - 1]
            yield Due(
                key=f"T11:child:{facts.child.pk}:authority:{authority_id}",
                rule=self.code,
                title="Prepare the director-to-director letter",
                due_at=next_weekly_meeting(reached.reported_at, th),
                done=any(
                    letter.placing_authority_id == authority_id for letter in facts.director_letters
                ),
                episode=reached,
                role=Role.MISSING_COORDINATOR,
            )


class T12HealthAssessment(Rule):
    """T12. A child placed here by another authority returns: a health assessment offered
    with the return interview.

    003 §16: "Any child or young person placed in Bexley by another authority who has
    returned from a period of being missing should also be offered a health assessment".
    Done when the offer is recorded as made; a record that it was not made (with its
    reason) keeps the item open.
    """

    code, source = "T12", "003 §16"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for episode in facts.episodes:
            if episode.returned_at is None:
                continue
            if not facts.placed_by_other_authority(episode, th.home_authority_ons_code):
                continue
            interview = getattr(episode, "return_interview", None)
            yield Due(
                key=f"T12:episode:{episode.pk}",
                rule=self.code,
                title="Offer a health assessment",
                due_at=episode.returned_at + th.return_interview,
                # Offered, as recorded on the episode (whoever arranges the interview) or
                # in the interview's record; "not offered" keeps it open (issue 18).
                done=episode.health_assessment_offered is True
                or (interview is not None and interview.health_assessment_offered is True),
                episode=episode,
                role=Role.MISSING_COORDINATOR,
            )


class T13SignificantHarm(Rule):
    """T13. A risk assessment says at risk of significant harm: a referral to the police
    and a strategy meeting, immediately and within 24 hours (setting).

    003 §54: "A referral needs to be made to the Police using the 87a referral form and a
    child protection strategy meeting needs to be held immediately or within a maximum
    period of 24 hours, involving all the agencies that know the child or young person."
    Done by a strategy meeting for the child held at or after the assessment.
    """

    code, source = "T13", "003 §54"

    @staticmethod
    def key_for(assessment: Assessment) -> str:
        """The key of the item an assessment of significant harm puts on the worklist."""
        return f"T13:assessment:{assessment.pk}"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for assessment in facts.assessments:
            if assessment.level != RiskLevel.SIGNIFICANT_HARM:
                continue
            yield Due(
                key=self.key_for(assessment),
                rule=self.code,
                title="Refer to police and hold a strategy meeting",
                due_at=assessment.assessed_at + th.strategy_meeting,
                # Meeting times are typed to the minute: one in the assessment's minute counts.
                done=any(
                    m.held_at >= assessment.assessed_at.replace(second=0, microsecond=0)
                    for m in facts.strategy_meetings
                ),
                **_worker(facts),  # type: ignore[arg-type]
            )


class T14FrontDoorReferral(Rule):
    """T14. An exploitation concern about a child not open to children's social care: a
    referral to the front door, for a decision within 24 hours.

    003 §51: "If a child or young person is believed to be at risk of, or experiencing
    child sexual exploitation and they are not currently open to Children's Social Care
    (CSC), the person with concerns should refer the child or young person to the
    Front-Door MASH service ... within 24 hours of receiving the information."
    Applies to an assessment at any level but not at risk; done when the referral is
    recorded on the assessment.
    """

    code, source = "T14", "003 §51"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for assessment in facts.assessments:
            if assessment.open_to_csc or not assessment.is_open_risk:
                continue
            yield Due(
                key=f"T14:assessment:{assessment.pk}",
                rule=self.code,
                title="Refer to the front door for a decision",
                due_at=assessment.assessed_at + th.front_door_referral,
                done=assessment.front_door_referred_at is not None,
                role=Role.MISSING_COORDINATOR,
            )


class T15RiskAssessmentReview(Rule):
    """T15. An open exploitation risk: the risk assessment reviewed at least every 3
    months (setting, RISK_ASSESSMENT_REVIEW_DAYS).

    003 §59: the risk "should continue to be explicitly reviewed and discussed at each
    Child in Need review meeting, Child Protection Conference and/or Looked After Review";
    SPEC C4: "Review at least every 3 months". One item per assessment with an open risk,
    done when a newer assessment is recorded, so the history shows each review.
    """

    code, source = "T15", "003 §59, national"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for assessment in facts.assessments:
            if not assessment.is_open_risk:
                continue
            yield Due(
                key=f"T15:assessment:{assessment.pk}",
                rule=self.code,
                title="Review the risk assessment",
                due_at=assessment.assessed_at + th.risk_assessment_review,
                done=facts.newer_assessment_than(assessment),
                **_worker(facts),  # type: ignore[arg-type]
            )


class T16Supervision(Rule):
    """T16. A child missing or at risk of exploitation is discussed in supervision at
    least every 4 weeks (setting).

    003 quality assurance: children who go missing "will need to be discussed at minimum
    once every 4 weeks in supervision, between the social worker and manager"; the same
    holds for children at risk of exploitation. A child counts as missing for this rule
    from their first episode until SUPERVISION_ACTIVE_DAYS after their latest one, and
    as at risk of exploitation from their first assessment with an open risk while the
    latest assessment still shows one (until the assessment that closes it). With a go-live
    set, a child still missing or at risk on the day has their first cycle start then.
    """

    code, source = "T16", "003 quality assurance"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        """The cycles the records give, and those overtaken: the episodes in the order they
        were recorded (their ids), each cycle a shorter run of them started that the whole
        run does not have (an earlier episode recorded later moves the first cycle), as
        superseded. So the worklist is the same whether it was brought in step after each
        record or once after many (the tracker import's chunks)."""
        yield from self._everything(facts, th)[0]

    def changes_at(self, facts: ChildFacts, th: Thresholds) -> datetime.datetime | None:
        """When time alone next changes the items (issue 17 point 6): the clock counts only
        while the child is at risk of exploitation (the risk is ongoing to now plus a
        cycle), when it can bring the start of the next cycle, or the go-live, within it."""
        return self._everything(facts, th)[1]

    def _everything(
        self, facts: ChildFacts, th: Thresholds
    ) -> tuple[list[Due], datetime.datetime | None]:
        at_risk = [a.assessed_at for a in facts.assessments if a.is_open_risk]
        in_order = sorted(facts.episodes, key=lambda e: e.pk or 0)
        start = self._start(facts, in_order, at_risk, th)
        if start is None:
            return [], None
        final, change = self._cycles(facts, *start, th)
        changes = [change] if change is not None else []
        keys = {due.key for due in final}
        overtaken: dict[str, Due] = {}
        for count in range(1, len(in_order)):
            earlier = self._start(facts, in_order[:count], at_risk, th)
            if earlier is None or earlier[0] == start[0]:
                # The same first cycle: its cycles are the whole run's, as far as it goes.
                continue
            dues, change = self._cycles(facts, *earlier, th)
            if change is not None:
                changes.append(change)
            for due in dues:
                if due.key not in keys:
                    overtaken[due.key] = replace(due, superseded=True)
        return [*final, *overtaken.values()], min(changes) if changes else None

    @staticmethod
    def _start(
        facts: ChildFacts,
        episodes: list[Episode],
        at_risk: list[datetime.datetime],
        th: Thresholds,
    ) -> tuple[datetime.date, datetime.datetime, datetime.datetime | None] | None:
        """The first cycle's first day, the time the child stops counting, and when the
        clock alone brings the go-live within reach, given these episodes; None when
        neither missing nor at risk."""
        starts = [e.reported_at for e in episodes] + at_risk
        if not starts:
            return None
        first = min(starts)
        ends = [e.reported_at + th.supervision_active_for for e in episodes]
        ongoing = facts.open_exploitation_risk
        if ongoing:
            ends.append(facts.now + th.supervision_every)  # ongoing: the next cycle starts
        elif at_risk and facts.latest_assessment is not None:
            ends.append(facts.latest_assessment.assessed_at)
        active_until = max(ends)
        anchor = day_of(first)
        change = None
        if th.go_live is not None and anchor < th.go_live:
            go_live = timezone.make_aware(datetime.datetime.combine(th.go_live, datetime.time.min))
            still_missing = any(
                e.last_seen_at < go_live and (e.returned_at is None or e.returned_at >= go_live)
                for e in episodes
            )
            if active_until >= go_live or still_missing:
                # Missing or at risk at go-live (issue 18): the tracker kept no record of
                # supervision, so the cycle starts at go-live rather than in the history,
                # and a child still missing then counts as missing from go-live.
                anchor = th.go_live
                if still_missing:
                    active_until = max(active_until, go_live + th.supervision_active_for)
            elif ongoing:
                # `now + every` reaches the go-live then (UTC: absolute time).
                change = go_live.astimezone(datetime.UTC) - th.supervision_every
        return anchor, active_until, change

    def _cycles(
        self,
        facts: ChildFacts,
        anchor: datetime.date,
        active_until: datetime.datetime,
        change: datetime.datetime | None,
        th: Thresholds,
    ) -> tuple[list[Due], datetime.datetime | None]:
        """The cycles from `anchor`, and when time alone next changes them."""
        changes = [change] if change is not None else []
        dues: list[Due] = []
        discussions = sorted(d.held_on for d in facts.supervision)
        while True:
            due_day = anchor + th.supervision_every
            held = [day for day in discussions if day >= anchor]
            done_on = held[0] if held else None
            due_at = timezone.make_aware(datetime.datetime.combine(due_day, datetime.time(17)))
            if done_on is None and due_at - th.supervision_every > active_until:
                if facts.open_exploitation_risk:
                    # Wanted once `now + every` reaches the cycle's start.
                    start = (due_at - th.supervision_every).astimezone(datetime.UTC)
                    changes.append(start - th.supervision_every)
                break
            dues.append(
                Due(
                    key=f"T16:child:{facts.child.pk}:{anchor.isoformat()}",
                    rule=self.code,
                    title="Discuss in supervision",
                    due_at=due_at,
                    done=done_on is not None,
                    **_worker(facts),  # type: ignore[arg-type]
                )
            )
            if done_on is None:
                break
            anchor = done_on + datetime.timedelta(days=1)
        return dues, min(changes) if changes else None


class A3DisruptionAction(Rule):
    """A3. Each action of a child's disruption plan is due on its date, for its owner, or
    for the person who monitors it when the owner has no MACE account.

    003 A3: "This tool identifies which disruption tactics may be used on a single or
    multi-agency basis for the individual child; who is responsible; and who will monitor
    the progress." Done when the outcome of the action is recorded.
    """

    code, source = "A3", "003 A3"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for action in facts.disruption_actions:
            yield Due(
                key=f"A3:action:{action.pk}",
                rule=self.code,
                title=f"Disruption plan ({action.get_heading_display()}): carry out the action"
                if action.owner_id
                else f"Disruption plan ({action.get_heading_display()}): follow up the action",
                due_at=timezone.make_aware(
                    datetime.datetime.combine(action.due_date, datetime.time(17))
                ),
                done=action.outcome_recorded_at is not None,
                assignee=action.owner if action.owner_id else action.monitor,
            )


class T20TransitionToAdultServices(Rule):
    """T20. A young person at risk approaching 18 is listed for transition to adult
    services, from 17 and a half (setting, TRANSITION_AGE_MONTHS).

    SPEC C7: "Young people approaching 18 with ongoing risk are listed for transition to
    adult services (000, 004)." At risk: an open exploitation risk, or a missing episode
    within SUPERVISION_ACTIVE_DAYS. Done when a referral to adult services is recorded.
    """

    code, source = "T20", "000, 004"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        child = facts.child
        if child.date_of_birth is None:
            return
        if not (facts.open_exploitation_risk or self._recently_missing(facts, th)):
            return
        day = add_months(child.date_of_birth, th.transition_age_months)
        if day > day_of(facts.now) + th.transition_notice:
            return  # not yet close enough to list
        yield Due(
            key=f"T20:child:{child.pk}",
            rule=self.code,
            title="List for transition to adult services",
            due_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17))),
            done=bool(facts.transition_referrals),
            **_worker(facts),  # type: ignore[arg-type]
        )

    @staticmethod
    def _recently_missing(facts: ChildFacts, th: Thresholds) -> bool:
        recent = facts.now - th.supervision_active_for
        return any(e.reported_at >= recent for e in facts.episodes)

    def changes_at(self, facts: ChildFacts, th: Thresholds) -> datetime.datetime | None:
        """The start of the local day the young person is listed from, and, when only a
        recent episode puts them at risk, the instant that episode stops being recent."""
        child = facts.child
        if child.date_of_birth is None:
            return None
        risk = facts.open_exploitation_risk
        if not (risk or self._recently_missing(facts, th)):
            return None  # time alone never puts a child at risk
        changes: list[datetime.datetime] = []
        if not risk:
            latest = max(e.reported_at for e in facts.episodes)
            changes.append(latest + th.supervision_active_for + _INSTANT)
        day = add_months(child.date_of_birth, th.transition_age_months)
        listed_from = timezone.make_aware(
            datetime.datetime.combine(day - th.transition_notice, datetime.time.min)
        )
        if listed_from > facts.now:
            changes.append(listed_from)
        return min(changes) if changes else None


# The smallest step of a time held (a microsecond, in Python and the databases).
_INSTANT = datetime.timedelta(microseconds=1)


class ACTMeetingAction(Rule):
    """ACT. An action agreed at a panel or a strategy meeting is on its owner's worklist
    until it is done.

    003 A5: "Any actions arising from the meeting will be sent to the allocated social
    worker or family key worker & added to the child's case record"; SPEC C7: actions
    "with owner and due date that land on the owner's worklist and on the child's record".
    Strategy meeting actions owned by someone outside MACE go to the child's worker.
    """

    code, source = "ACT", "003 A5, §55"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for action in facts.panel_actions:
            yield Due(
                key=f"ACT:panel:{action.pk}",
                rule=self.code,
                title=f"Panel action: {_cut(action.description)}",
                due_at=_end_of(action.due_date),
                done=action.completed_at is not None,
                assignee=action.owner,
            )
        for meeting_action in facts.meeting_actions:
            owner = (
                {"assignee": meeting_action.owner} if meeting_action.owner_id else _worker(facts)
            )
            yield Due(
                key=f"ACT:strategy:{meeting_action.pk}",
                rule=self.code,
                title=f"Strategy meeting action ({meeting_action.get_heading_display()}): "
                f"{_cut(meeting_action.description)}",
                due_at=_end_of(meeting_action.due_date),
                done=meeting_action.completed_at is not None,
                **owner,
            )


def _cut(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))


def _inclusion(case: CMECase) -> dict[str, object]:
    """The case's inclusion officer, else the inclusion officers' shared queue."""
    if case.officer_id:
        return {"assignee": case.officer}
    return {"role": Role.INCLUSION_OFFICER}


def _calendar(facts: ChildFacts) -> SchoolCalendar:
    return facts.school_calendar or SchoolCalendar()


class T17SchoolNotification(Rule):
    """T17. A school notifies the authority of a pupil absent without permission for 10
    continuous school days (SCHOOL_NOTIFY_DAYS).

    003 §31: "All schools must inform the local authority of any pupil who ... has been absent
    without the school's permission for a continuous period of 10 school days or more." When
    the register learns of an absence before the school's notification (from admissions, a
    partner or the school informally), the inclusion officer chases the notification: due at
    the end of the 10th school day after the first day of absence; done when the school has
    notified. Counted in school days: weekends, half-terms, holidays and bank holidays do not
    count.
    """

    code, source = "T17", "003 §31"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for case in facts.cme_cases:
            if case.reason not in {"absent_10_days", "left_suddenly", "twenty_day_rule"}:
                continue
            if not case.is_open and case.notified_on is None:
                continue  # closed without it: no longer needed
            day = _calendar(facts).add_school_days(case.absent_since, th.school_notify_days)
            yield Due(
                key=f"T17:cme:{case.pk}",
                rule=self.code,
                title=f"School to notify the absence ({case.school or 'school not known'})",
                due_at=_end_of(day),
                done=case.notified_on is not None,
                **_inclusion(case),  # type: ignore[arg-type]
            )


class T18ReasonableEnquiries(Rule):
    """T18. Where a pupil's whereabouts are unknown, reasonable enquiries are made within 10
    school days (ENQUIRY_DAYS).

    003 §34: "Where the family/pupil's whereabouts are unknown the school should make
    reasonable attempts to try to establish their whereabouts within 10 school days";
    003 §37 and §41: the Inclusion Team confirms the enquiries and makes its own checks.
    Due at the end of the 10th school day after the notification (or the first day of
    absence, if not yet notified); done when the enquiries are recorded as complete; no
    longer needed if the destination becomes known or the case closes first.
    """

    code, source = "T18", "003 §34"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for case in facts.cme_cases:
            if (
                case.destination != CMECase.Destination.UNKNOWN
                and case.enquiries_completed_on is None
            ):
                continue
            if not case.is_open and case.enquiries_completed_on is None:
                continue
            start = case.notified_on or case.absent_since
            day = _calendar(facts).add_school_days(start, th.enquiry_days)
            yield Due(
                key=f"T18:cme:{case.pk}",
                rule=self.code,
                title="Make reasonable enquiries: whereabouts unknown",
                due_at=_end_of(day),
                done=case.enquiries_completed_on is not None,
                **_inclusion(case),  # type: ignore[arg-type]
            )


class T19FairAccessPanel(Rule):
    """T19. A child missing education for 2 months (FAIR_ACCESS_MONTHS), or with 3 rejected
    school applications (FAIR_ACCESS_REJECTIONS), is referred to the Fair Access Panel.

    003 §43: "The child will be referred to Bexley Fair Access Panel (FAP) when they remain
    missing education for over two months or have had three school applications rejected."
    Due at the end of the first school day on or after whichever comes first: two calendar
    months after the child started missing education, or the day of the third rejection.
    Done when the referral is recorded; no longer needed if the case closes without one.
    """

    code, source = "T19", "003 §43"

    def due(self, facts: ChildFacts, th: Thresholds) -> Iterator[Due]:
        for case in facts.cme_cases:
            trigger = add_months(case.absent_since, th.fair_access_months)
            if case.rejected_applications >= th.fair_access_rejections and case.third_rejection_on:
                trigger = min(trigger, case.third_rejection_on)
            if (
                not case.is_open
                and case.fap_referred_on is None
                and case.closed_on
                and case.closed_on < trigger
            ):
                continue  # resolved before a referral was ever due
            day = _calendar(facts).next_school_day(trigger)
            yield Due(
                key=f"T19:cme:{case.pk}",
                rule=self.code,
                title="Refer to the Fair Access Panel",
                due_at=_end_of(day),
                done=case.fap_referred_on is not None,
                **_inclusion(case),  # type: ignore[arg-type]
            )


class T21Minutes:
    """T21. The minutes of a panel meeting are agreed by the chair and circulated within
    2 weeks (setting, MINUTES_DAYS).

    003 A5: "Minutes will be agreed by the chair and circulated no later than 2 weeks after
    the meeting." An item about the meeting, not a child: the chair's, else the managers'
    queue; done when the minutes are circulated (they must be agreed first).
    """

    code, source = "T21", "003 A5"

    def due(self, meeting: PanelMeeting, th: Thresholds) -> Due | None:
        if not meeting.held:
            return None
        chair = meeting.series.chair
        owner: dict[str, object] = {"assignee": chair} if chair else {"role": Role.MANAGER}
        return Due(
            key=f"T21:meeting:{meeting.pk}",
            rule=self.code,
            title="Agree and circulate the minutes",
            due_at=meeting.starts_at + th.minutes,
            done=meeting.minutes_circulated_at is not None,
            **owner,  # type: ignore[arg-type]
        )


RULES: list[Rule] = [
    T1PoliceRiskGrade(),
    T2LookedAfterNotifications(),
    T3StrategyMeetingLookedAfter(),
    T4SafeAndWellHighRisk(),
    T5SafeAndWell(),
    T6UnsafeToReturn(),
    T7ReturnInterview(),
    T8ReferralForLookedAfter(),
    T9HomeOffice(),
    T10PlacingAuthority(),
    T11DirectorLetter(),
    T12HealthAssessment(),
    T13SignificantHarm(),
    T14FrontDoorReferral(),
    T15RiskAssessmentReview(),
    T16Supervision(),
    T17SchoolNotification(),
    T18ReasonableEnquiries(),
    T19FairAccessPanel(),
    T20TransitionToAdultServices(),
    A3DisruptionAction(),
    ACTMeetingAction(),
]
T21 = T21Minutes()


def next_change(facts: ChildFacts, th: Thresholds) -> datetime.datetime | None:
    """The first instant after `facts.now` at which time alone can change what the rules
    want for the child (None: never); until then only a change of the records or the
    settings can. Early is safe (a check that finds nothing changed), late is not."""
    changes = [when for rule in RULES if (when := rule.changes_at(facts, th)) is not None]
    return min(changes) if changes else None


RULES_BY_CODE: dict[str, Rule | T21Minutes] = {rule.code: rule for rule in RULES}
RULES_BY_CODE[T21.code] = T21
