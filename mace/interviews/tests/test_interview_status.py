"""One status for the same facts, whether a page or the tracker import records them
(interviews.domain.status_for), and where the tracker holds a fact the pages do not."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import AgencyFactory
from mace.episodes import services as episodes
from mace.interviews import services
from mace.interviews.domain import status_for
from mace.interviews.models import InterviewOffer, ReturnInterview
from mace.people.tests.factories import ChildFactory

Status = ReturnInterview.Status
Response = InterviewOffer.Response
NOW = timezone.now()
HELD = NOW - datetime.timedelta(hours=2)


@pytest.mark.parametrize(
    ("current", "facts", "status"),
    [
        (Status.REFERRED, {}, Status.REFERRED),
        (Status.REFERRED, {"response": Response.NO_RESPONSE}, Status.OFFERED),
        (Status.REFERRED, {"response": Response.ACCEPTED}, Status.ACCEPTED),
        (Status.OFFERED, {"response": Response.DECLINED}, Status.DECLINED),
        # A new offer not yet answered after a refusal: offered again (003 §20, §22).
        (Status.DECLINED, {"response": Response.NO_RESPONSE}, Status.OFFERED),
        # The tracker's "no contact" is a fact the pages do not record: the offer has no
        # answer, and the interview is no contact, not offered.
        (
            Status.REFERRED,
            {"response": Response.NO_RESPONSE, "no_contact": True},
            Status.NO_CONTACT,
        ),
        (Status.ACCEPTED, {"completed_at": HELD}, Status.COMPLETED),
        (Status.OFFERED, {"response": Response.ACCEPTED, "completed_at": HELD}, Status.COMPLETED),
        # Held is held: a later offer or answer does not undo it.
        (Status.COMPLETED, {"response": Response.DECLINED}, Status.COMPLETED),
        (Status.COMPLETED, {"no_contact": True}, Status.COMPLETED),
        (Status.DECLINED, {}, Status.DECLINED),
    ],
)
def test_status_for_the_facts(current, facts, status):
    assert status_for(current=current, **facts) == status


@pytest.fixture
def referred(users, team):
    """A child of 14 back from a night missing from home, referred to the targeted youth
    service (003 §22)."""
    for name in (
        settings.RHI_PROVIDER_UNDER_13_FROM_HOME,
        settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME,
        settings.RHI_PROVIDER_LOOKED_AFTER,
    ):
        AgencyFactory.create(name=name, kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER)
    child = ChildFactory(
        allocated_worker=users[Role.SOCIAL_WORKER],
        team=team,
        date_of_birth=timezone.localdate() - datetime.timedelta(days=14 * 366),
    )
    officer = users[Role.POLICE_OFFICER]
    episode = episodes.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - datetime.timedelta(hours=30),
        reported_at=NOW - datetime.timedelta(hours=29),
    )
    episodes.episode_record_return(
        actor=officer,
        episode=episode,
        returned_at=NOW - datetime.timedelta(hours=20),
        return_method="self",
    )
    return services.interview_refer(actor=users[Role.SOCIAL_WORKER], episode=episode)


@pytest.mark.django_db
def test_a_new_offer_not_yet_answered_after_a_refusal_leaves_the_interview_offered(users, referred):
    worker = users[Role.SOCIAL_WORKER]
    services.interview_record_offer(
        actor=worker,
        interview=referred,
        offered_at=NOW - datetime.timedelta(hours=10),
        response=Response.DECLINED,
        refusal_safeguarding_considered="Not a concern: the child speaks to their teacher",
    )
    assert referred.status == Status.DECLINED

    services.interview_record_offer(
        actor=worker,
        interview=referred,
        offered_at=NOW - datetime.timedelta(hours=5),
        response=Response.NO_RESPONSE,
    )

    referred.refresh_from_db()
    assert referred.status == Status.OFFERED
    assert list(referred.offers.values_list("response", flat=True)) == [
        Response.DECLINED,
        Response.NO_RESPONSE,
    ]


@pytest.mark.django_db
def test_an_interview_held_is_completed_with_the_offer_it_was_held_at(users, referred):
    services.interview_record(
        actor=users[Role.SOCIAL_WORKER],
        interview=referred,
        expected_version=referred.version,
        completed_at=HELD,
    )

    referred.refresh_from_db()
    assert referred.status == Status.COMPLETED
    offer = referred.offers.get()
    assert (offer.offered_at, offer.response) == (HELD, Response.ACCEPTED)
