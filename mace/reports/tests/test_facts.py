"""The reporting table (issue 9) stays in step with the records through the services that
change them: a reported episode, a return, an interview's referral and offers, the child's
details, a merge and an import. After each, every row is what `facts.source` gives, and the
annual report shows the change."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mace.accounts.models import Role
from mace.accounts.tests.factories import AgencyFactory
from mace.bench.management.commands.bench import write_tracker_files
from mace.episodes import services as episodes
from mace.episodes.models import Episode
from mace.imports.importer import import_tracker
from mace.interviews import services as interviews
from mace.people import services as people
from mace.people.tests.factories import ChildFactory
from mace.reports import annual
from mace.reports import facts as report_facts
from mace.reports.models import EpisodeFact

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def row(episode: Episode) -> EpisodeFact:
    return EpisodeFact.objects.get(episode=episode)


def this_year() -> annual.Period:
    today = timezone.localdate()
    return annual.Period(today - datetime.timedelta(days=30), today)


def in_step() -> None:
    assert report_facts.differences() == 0


def report_missing(users, child, hours_ago: int, **details) -> Episode:
    """A police officer reports the child missing from home, last seen `hours_ago`."""
    seen = timezone.now().replace(microsecond=0) - hours_ago * HOUR
    return episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=seen,
        reported_at=seen + HOUR,
        **details,
    )


@pytest.fixture
def worker(users):
    return users[Role.SOCIAL_WORKER]


@pytest.fixture
def child(worker, team):
    born = timezone.localdate() - datetime.timedelta(days=int(365.25 * 14) + 30)
    return ChildFactory(
        allocated_worker=worker, team=team, date_of_birth=born, gender="female", area="Eastfield"
    )


def test_an_episode_and_its_return_interview_are_in_the_table_as_they_happen(
    users, worker, child, settings
):
    AgencyFactory(name=settings.RHI_PROVIDER_13_AND_OVER_FROM_HOME, kind="youth")
    episode = report_missing(users, child, 30, push_pull_factors=["bullying"])
    seen = episode.last_seen_at
    reported = row(episode)
    assert (reported.ended, reported.short, reported.rhi_offered) == (False, False, False)
    assert reported.push_pull_factors == ["bullying"]
    assert reported.age == 14
    in_step()
    assert annual.build(this_year())["still_missing"] == 1

    episode.refresh_from_db()
    episodes.episode_record_return(actor=worker, episode=episode, returned_at=seen + 18 * HOUR)
    returned = row(episode)
    assert (returned.ended, returned.short) == (True, True)  # exactly 18 hours
    in_step()

    interview = interviews.interview_refer(actor=worker, episode=episode)
    assert not row(episode).rhi_offered
    interviews.interview_record_offer(
        actor=worker, interview=interview, offered_at=seen + 20 * HOUR, response="accepted"
    )
    offered = row(episode)
    assert (offered.rhi_offered, offered.rhi_offered_within_72h, offered.rhi_accepted) == (
        True,
        True,
        True,
    )
    in_step()
    report = annual.build(this_year())
    assert report["rhi"]["offered"] == report["rhi"]["accepted"] == 1
    assert report["episodes_18h_or_less"] == 1


def test_a_change_to_the_childs_details_reaches_their_rows(users, worker, child):
    episode = report_missing(users, child, 10)
    child.refresh_from_db()
    people.child_update(
        actor=worker,
        child=child,
        expected_version=child.version,
        gender="male",
        area="Northgate",
        date_of_birth=child.date_of_birth - datetime.timedelta(days=366 * 2),
    )
    changed = row(episode)
    assert (changed.gender, changed.area, changed.age) == ("male", "Northgate", 16)
    in_step()
    report = annual.build(this_year())
    assert report["by_gender"]["male"] == 1
    assert report["children_by_area"] == {"Northgate": 1}
    assert report["episodes_by_age"]["16-17"] == 1


def test_a_merge_moves_the_duplicates_rows_to_the_kept_record(users, worker, child, team):
    duplicate = ChildFactory(allocated_worker=worker, team=team)
    for who in (child, duplicate):
        episode = report_missing(users, who, 10)
    # Found first: two records each missing now are not merged (one open episode a child).
    episodes.episode_record_return(
        actor=worker, episode=episode, returned_at=timezone.now() - 2 * HOUR
    )
    assert annual.build(this_year())["children"] == 2
    people.child_merge(actor=users[Role.MISSING_COORDINATOR], keep=child, duplicate=duplicate)
    assert set(EpisodeFact.objects.values_list("child_id", flat=True)) == {child.pk}
    in_step()
    report = annual.build(this_year())
    assert (report["episodes"], report["children"]) == (2, 1)
    assert report["children_with_more_than_one_episode"] == 1


def test_an_imported_tracker_is_in_the_table(tmp_path):
    children, episodes_csv = write_tracker_files(40, tmp_path, seed=7)
    import_tracker(children=children, episodes=episodes_csv)
    assert EpisodeFact.objects.count() == Episode.objects.count() == 40
    in_step()


def test_a_row_written_around_the_services_is_found_and_rebuilt(users, child):
    episode = report_missing(users, child, 10)
    Episode.objects.filter(pk=episode.pk).update(legal_status="CLA")  # no service, no refresh
    # The stale row, and the row the records would give.
    assert report_facts.differences() == 2
    with pytest.raises(CommandError, match="2 rows of the reporting table differ"):
        call_command("report", "facts", "--check")
    call_command("report", "facts", "--rebuild")
    in_step()
    assert row(episode).legal_status == "CLA"
    call_command("report", "facts", "--check")


def test_repair_rebuilds_only_the_children_out_of_step(users, child, capsys):
    episode = report_missing(users, child, 10)
    report_missing(users, ChildFactory(), 5)  # in step, so left alone
    Episode.objects.filter(pk=episode.pk).update(legal_status="CLA")  # no service, no refresh
    assert report_facts.out_of_step_children() == {child.pk}
    call_command("report", "facts", "--repair")
    assert "Rebuilt the rows of 1 child out of step" in capsys.readouterr().out
    in_step()
    assert row(episode).legal_status == "CLA"
    call_command("report", "facts", "--repair")
    assert "in step with the records" in capsys.readouterr().out
