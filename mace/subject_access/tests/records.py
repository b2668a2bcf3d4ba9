"""A child with a record of every kind MACE holds (`sources.SOURCES`), for the export's tests.

Episodes go through the services (so the worklist, the reporting table and the scheduled
checks' row come with them, as they do in use); the rest is written straight, one of each,
with fictional values. A new source fails `test_every_section_has_the_childs_records` until
a record of it is added here."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from mace.access.models import RestrictedAccessGrant
from mace.accounts.models import Role, User
from mace.disruption.models import DisruptionAction, DisruptionOutcome, StrategicAim
from mace.documents.models import DirectorLetter
from mace.education.models import CMECase, CMECheck, MissingOutEntry, TermlyReturn
from mace.episodes.models import EpisodeNotification
from mace.episodes.services import episode_record_return, episode_report
from mace.exploitation.models import Answer, Assessment, AssessmentDraft, Instrument
from mace.intelligence.models import IntelligenceNote
from mace.intelligence.tests.factories import LinkFactory, LocationFactory, PersonOfConcernFactory
from mace.interviews.models import (
    InterviewOffer,
    InterviewTheme,
    InterviewThemeCoding,
    ReturnInterview,
    SafeAndWellCheck,
)
from mace.meetings.models import (
    AgencyRiskView,
    AgendaItem,
    MeetingAction,
    PanelAction,
    PanelMeeting,
    PanelSeries,
    StrategyMeeting,
    SupervisionDiscussion,
    TransitionReferral,
)
from mace.people.models import (
    Child,
    ChildAddress,
    ChildAlias,
    ChildDescription,
    ChildIdentifier,
    DuplicateReview,
    Involvement,
    LegalStatus,
    LocalAuthority,
    Placement,
    RelatedPerson,
)
from mace.people.services import photograph_add
from mace.people.tests import photos
from mace.people.tests.factories import ChildFactory
from mace.retention.models import RetentionReview, Rule
from mace.worklist.models import Notification

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
PARENT = "Gwendolyn Testparent"
OTHER_CHILD = ("Rowan", "Testfriend")
PERSON_OF_CONCERN = ("Dorian", "Testconcern")
INFORMANT = "Covert source 7 (test)"
INTELLIGENCE_TEXT = "Seen getting into a grey car outside the test arcade"


def first(model: type[models.Model], name: str) -> Any:
    """The first choice of a field, so the data does not depend on any one choice's code."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.choices[0][0]  # type: ignore[index]


@dataclass
class Everything:
    child: Child
    other: Child


def child_with_everything(users: dict[str, User]) -> Everything:
    manager = users[Role.MANAGER]
    officer = users[Role.POLICE_OFFICER]
    worker = users[Role.SOCIAL_WORKER]
    agency = manager.agency
    now = timezone.now()
    today = timezone.localdate()
    child = ChildFactory.create(first_name="Skye", last_name="Testsubject", allocated_worker=worker)
    other = ChildFactory.create(first_name=OTHER_CHILD[0], last_name=OTHER_CHILD[1])
    home = LocalAuthority.objects.create(name="Test Home Council", ons_code="E10999100")
    placing = LocalAuthority.objects.create(name="Test Placing Council", ons_code="E10999101")

    ChildAlias.objects.create(child=child, name="Sky T")
    ChildIdentifier.objects.create(child=child, kind=first(ChildIdentifier, "kind"), value="X-1")
    ChildAddress.objects.create(child=child, address="1 Test Street, Testtown")
    LegalStatus.objects.create(child=child, status="CLA", start_date=today - 400 * DAY)
    Placement.objects.create(
        child=child,
        kind=first(Placement, "kind"),
        placing_authority=placing,
        host_authority=home,
        start_date=today - 300 * DAY,
    )
    RelatedPerson.objects.create(
        child=child, name=PARENT, relationship=first(RelatedPerson, "relationship")
    )
    Involvement.objects.create(child=child, kind="social_worker", user=worker, start_date=today)
    DuplicateReview.objects.create(
        new_child=other,
        matched_child=child,
        score=80,
        same_date_of_birth=False,
        source=first(DuplicateReview, "source"),
    )
    RestrictedAccessGrant.objects.create(
        user=officer, child=child, reason="Test reason", expires_at=now + HOUR
    )

    episode = episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="care",
        last_seen_at=now - 30 * HOUR,
        reported_at=now - 29 * HOUR,
        with_children=[other],
        risk_grade="medium",
        push_pull_factors=["peer_influence"],
        reported_by="Night manager at the home",
        circumstances=f"Left after a call from {PARENT}",
    )
    episode = episode_record_return(actor=officer, episode=episode, returned_at=now - 20 * HOUR)
    EpisodeNotification.objects.create(
        episode=episode, recipient=first(EpisodeNotification, "recipient"), notified_at=now
    )
    SafeAndWellCheck.objects.create(episode=episode, conducted_at=now - 19 * HOUR)
    interview = ReturnInterview.objects.filter(episode=episode).first() or (
        ReturnInterview.objects.create(
            episode=episode, provider_rule="test", referred_at=now - 18 * HOUR
        )
    )
    interview.parents_views = "Worried about the friends"
    interview.childs_account = f"Stayed with {OTHER_CHILD[0]} {OTHER_CHILD[1]}"
    interview.save()
    InterviewOffer.objects.create(
        interview=interview, offered_at=now - 17 * HOUR, response=first(InterviewOffer, "response")
    )

    instrument = Instrument.objects.first()
    assert instrument is not None, "the default instrument (data migration)"
    assessment = Assessment.objects.create(
        child=child,
        instrument=instrument,
        exploitation_type=first(Assessment, "exploitation_type"),
        assessed_at=now - 10 * HOUR,
        assessed_by=worker,
        computed_level=first(Assessment, "computed_level"),
        open_to_csc=True,
        offenders="An older male known as D",
    )
    indicator = instrument.indicators.first()
    assert indicator is not None
    Answer.objects.create(
        assessment=assessment,
        indicator=indicator,
        yes=True,
        evidence="Test evidence",
    )
    AssessmentDraft.objects.create(
        child=child, author=worker, fields={"offenders": ["Test draft: an older male"]}
    )

    person = PersonOfConcernFactory.create(
        first_name=PERSON_OF_CONCERN[0], last_name=PERSON_OF_CONCERN[1]
    )
    place = LocationFactory.create(name="Test arcade")
    LinkFactory.create(child=child, person=person, source=INFORMANT)
    LinkFactory.create(child=child, location=place)
    first_id, second_id = sorted([child, other], key=lambda c: c.pk)
    LinkFactory.create(child=first_id, other_child=second_id, kind="peer")
    IntelligenceNote.objects.create(
        child=child, text=INTELLIGENCE_TEXT, source=INFORMANT, recorded_by=officer
    )
    aim = StrategicAim.objects.first()
    assert aim is not None, "the A3 library (data migration)"
    DisruptionAction.objects.create(
        child=child,
        heading=first(DisruptionAction, "heading"),
        aim=aim,
        description="Visit the test arcade",
        owner=worker,
        agency=agency,
        due_date=today,
        monitor=manager,
        created_by=manager,
    )
    DisruptionOutcome.objects.create(
        child=child,
        person=person,
        kind=first(DisruptionOutcome, "kind"),
        occurred_on=today,
        agency=officer.agency,
        recorded_by=officer,
    )

    case = CMECase.objects.create(
        child=child,
        reason=first(CMECase, "reason"),
        absent_since=today - 30 * DAY,
        destination=first(CMECase, "destination"),
        created_by=manager,
    )
    CMECheck.objects.create(
        case=case,
        kind=first(CMECheck, "kind"),
        checked_on=today,
        result=first(CMECheck, "result"),
        recorded_by=manager,
    )
    termly = TermlyReturn.objects.create(
        school="Test Academy",
        school_year=2026,
        term=first(TermlyReturn, "term"),
        received_on=today,
        recorded_by=manager,
    )
    MissingOutEntry.objects.create(
        termly_return=termly,
        child=child,
        reason=first(MissingOutEntry, "reason"),
        hours_per_week=Decimal("5.0"),
        concerns=[first(MissingOutEntry, "reason")],
    )

    strategy = StrategyMeeting.objects.create(
        child=child,
        reason=first(StrategyMeeting, "reason"),
        held_at=now - 5 * HOUR,
        attendees="Test police, test social care",
        s47_enquiry=False,
    )
    MeetingAction.objects.create(
        meeting=strategy,
        heading=first(MeetingAction, "heading"),
        description="Test",
        due_date=today,
    )
    SupervisionDiscussion.objects.create(child=child, held_on=today, manager=manager)
    series = PanelSeries.objects.create(
        name="Test panel", frequency=first(PanelSeries, "frequency"), first_date=today
    )
    meeting = PanelMeeting.objects.create(series=series, date=today, starts_at=now + HOUR)
    item = AgendaItem.objects.create(
        meeting=meeting, section=first(AgendaItem, "section"), child=child
    )
    AgencyRiskView.objects.create(
        item=item, agency=agency, level=first(AgencyRiskView, "level"), recorded_by=manager
    )
    PanelAction.objects.create(
        meeting=meeting,
        child=child,
        description="Test action",
        owner=worker,
        due_date=today,
        created_by=manager,
    )
    TransitionReferral.objects.create(
        child=child, referred_on=today, service="Test adult services", recorded_by=manager
    )
    Notification.objects.create(
        user=worker, child=child, kind=first(Notification, "kind"), title="Test notification"
    )
    DirectorLetter.objects.create(
        child=child, placing_authority=placing, episode_count=3, prepared_by=manager
    )
    theme = InterviewTheme.objects.order_by("pk").first()
    assert theme is not None, "the default interview themes (data migration)"
    InterviewThemeCoding.objects.create(interview=interview, theme=theme)
    photograph_add(
        actor=manager,
        child=child,
        image=io.BytesIO(photos.jpeg(400, 300)),
        taken_on=today,
        taken_by="Test foster carer",
    )
    ChildDescription.objects.create(child=child, height="150 cm", clothing="A grey hooded top")
    RetentionReview.objects.create(child=child, rule=Rule.CHILD, due_on=today, listed_on=today)
    return Everything(child=child, other=other)
