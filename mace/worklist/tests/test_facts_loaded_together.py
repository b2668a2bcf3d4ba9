"""`engine.load_facts_for` reads several children's facts together: what is recorded against
their episodes (gradings, notifications, offers, safe-and-well checks) is read by the
episodes' ids, a few thousand a query, and each child gets their own episodes' records and
no one else's, however the ids are split (issue 17 point 7)."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Agency, Role
from mace.accounts.tests.factories import AgencyFactory
from mace.episodes import services as episodes
from mace.episodes.models import Episode, RiskGrading
from mace.interviews import services as interviews
from mace.interviews.models import InterviewOffer
from mace.people.tests.factories import ChildFactory
from mace.worklist import engine

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def history(officer, worker, team, *, episodes_held):
    """A child with `episodes_held` episodes, each graded and returned; the first also
    notified, checked and offered an interview."""
    child = ChildFactory(allocated_worker=worker, team=team)
    now = timezone.now().replace(microsecond=0)
    for n in range(episodes_held):
        seen = now - (100 - 10 * n) * HOUR
        episode = episodes.episode_report(
            actor=officer,
            child=child,
            kind="missing",
            missing_from="home",
            last_seen_at=seen,
            reported_at=seen + HOUR,
        )
        episodes.episode_grade_risk(actor=officer, episode=episode, grade="high" if n else "medium")
        episode = episodes.episode_record_return(
            actor=officer, episode=episode, returned_at=seen + 3 * HOUR
        )
        if n == 0:
            episodes.episode_record_notification(
                actor=officer, episode=episode, recipient="parents", notified_at=seen + 2 * HOUR
            )
            interviews.safe_and_well_record(
                actor=officer, episode=episode, conducted_at=seen + 4 * HOUR
            )
            interview = interviews.interview_refer(actor=worker, episode=episode)
            interviews.interview_record_offer(
                actor=worker, interview=interview, offered_at=seen + 5 * HOUR, response="accepted"
            )
    return child


def providers() -> None:
    """The return interview providers of the settings (003 §21-25)."""
    AgencyFactory(
        name="Northbridge Targeted Youth Service", kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER
    )
    AgencyFactory(name="Northbridge Family Wellbeing Service", kind="csc")
    AgencyFactory(name="Independent Advocacy Service", kind=Agency.Kind.RETURN_INTERVIEW_PROVIDER)


def recorded(facts):
    """What the facts hold against the episodes, by the episodes' police references."""
    by_pk = {episode.pk: episode.public_id for episode in facts.episodes}
    return {
        "gradings": {
            by_pk[pk]: sorted((g.grade, g.graded_at) for g in held)
            for pk, held in facts.gradings.items()
        },
        "notifications": {by_pk[pk]: held for pk, held in facts.notifications.items()},
        "offered": {by_pk[pk] for pk in facts.offered},
        "checked": {by_pk[pk] for pk in facts.checked_safe_and_well},
    }


def test_each_child_gets_their_own_episodes_records_however_the_ids_are_split(
    users, team, monkeypatch
):
    providers()
    officer, worker = users[Role.POLICE_OFFICER], users[Role.SOCIAL_WORKER]
    children = [
        history(officer, worker, team, episodes_held=3),
        history(officer, worker, team, episodes_held=2),
        ChildFactory(allocated_worker=worker, team=team),  # no episodes: nothing recorded
    ]
    one_by_one = {child.pk: recorded(engine.load_facts(child)) for child in children}

    together = engine.load_facts_for(children)
    monkeypatch.setattr(engine, "EPISODES_A_QUERY", 2)  # the ids in parts of two
    in_parts = engine.load_facts_for(children)

    for child in children:
        assert recorded(together[child.pk]) == recorded(in_parts[child.pk]) == one_by_one[child.pk]
    first = one_by_one[children[0].pk]
    assert len(first["gradings"]) == 3
    assert len(first["offered"]) == 1
    assert len(first["checked"]) == 1
    # The allocated worker is told of each episode as it is reported; the parents of one.
    assert sorted(len(held) for held in first["notifications"].values()) == [1, 1, 2]
    assert one_by_one[children[2].pk] == {
        "gradings": {},
        "notifications": {},
        "offered": set(),
        "checked": set(),
    }


def test_episodes_written_stand_for_a_childs_only_when_they_are_all_the_child_holds(users, team):
    """`engine.Written`: the episodes a writer has just written are taken as they are only
    when they are every episode the child holds; one held before, or recorded by someone
    else since, has the child's episodes read from the database."""
    providers()
    officer, worker = users[Role.POLICE_OFFICER], users[Role.SOCIAL_WORKER]
    child = history(officer, worker, team, episodes_held=2)
    read = engine.load_facts(child)
    held = list(
        Episode.objects.filter(child=child)
        .select_related("placement", "return_interview")
        .order_by("last_seen_at")
    )

    written = engine.Written()
    written.episodes[child.pk].append(held[-1])  # the other is not among those written
    facts = engine.load_facts_for([child], written=written)[child.pk]
    assert [e.pk for e in facts.episodes] == [e.pk for e in held]
    assert all(e is not held[-1] for e in facts.episodes)  # read from the database
    assert recorded(facts) == recorded(read)

    written.episodes[child.pk] = list(reversed(held))  # every episode the child holds
    written.gradings = list(RiskGrading.objects.filter(episode__child=child))
    written.offers = list(InterviewOffer.objects.filter(interview__episode__child=child))
    taken = engine.load_facts_for([child], written=written)[child.pk]
    assert taken.episodes == held
    assert all(a is b for a, b in zip(taken.episodes, held, strict=True))  # as written
    for what in ("gradings", "offered"):
        assert recorded(taken)[what] == recorded(read)[what]
