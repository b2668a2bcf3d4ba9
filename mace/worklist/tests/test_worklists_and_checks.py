"""Worklists by role, and the scheduled checks: idempotent, warning, escalating (C8)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mace.accounts.models import Role
from mace.accounts.tests.factories import UserFactory
from mace.episodes import services as episodes
from mace.people.models import LegalStatus
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem, Notification
from mace.worklist.scheduled import run_scheduled_checks

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def reported(users, team):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team, first_name="Rowan", last_name="Quist")
    LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
    now = timezone.now()
    episode = episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="care",
        last_seen_at=now - 30 * HOUR,
        reported_at=now - 29 * HOUR,
    )
    return child, episode


@pytest.mark.django_db
def test_my_work_shows_my_items_and_my_roles_queue(users, reported, client_for):
    police_page = client_for(users[Role.POLICE_OFFICER]).get("/worklist/").content.decode()
    assert "Record the police risk grade" in police_page
    assert "Hold a strategy meeting" not in police_page
    worker_page = client_for(users[Role.SOCIAL_WORKER]).get("/worklist/").content.decode()
    assert "Hold a strategy meeting" in worker_page
    assert "Overdue" in worker_page
    assert "T3" in worker_page
    assert "003 §12" in worker_page


@pytest.mark.django_db
def test_an_rhi_worker_does_not_see_children_not_referred_to_them(users, reported, client_for):
    page = client_for(users[Role.RHI_WORKER]).get("/worklist/").content.decode()
    assert "Rowan" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "team_page", "coordinator_page"),
    [
        (Role.MANAGER, 200, 200),
        (Role.MISSING_COORDINATOR, 403, 200),
        (Role.POLICE_OFFICER, 403, 200),
        (Role.SOCIAL_WORKER, 403, 403),
        (Role.RHI_WORKER, 403, 403),
        (Role.INCLUSION_OFFICER, 403, 403),
        (Role.PANEL_MEMBER, 403, 403),
        (Role.ANALYST, 403, 403),
        (Role.AUDITOR, 403, 403),
        (Role.ADMINISTRATOR, 403, 403),
    ],
)
def test_worklist_views_by_role(role, team_page, coordinator_page, users, client_for):
    client = client_for(users[role])
    expected_mine = 403 if role in {Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR} else 200
    assert client.get("/worklist/").status_code == expected_mine
    assert client.get("/worklist/team/").status_code == team_page
    assert client.get("/worklist/missing/").status_code == coordinator_page


@pytest.mark.django_db
def test_coordinator_view_lists_open_episodes(users, reported, client_for):
    page = client_for(users[Role.MISSING_COORDINATOR]).get("/worklist/missing/").content.decode()
    assert "Missing now: 1" in page
    assert "Rowan Quist" in page


@pytest.mark.django_db
def test_coordinator_view_shows_a_long_list_a_page_at_a_time_longest_missing_first(
    users, client_for
):
    from mace.episodes.models import Episode

    now = timezone.now()
    for n in range(53):
        Episode.objects.create(
            child=ChildFactory(first_name="Paged", last_name=f"Child{n:02d}"),
            kind="missing",
            missing_from="home",
            legal_status="NONE",
            last_seen_at=now - datetime.timedelta(hours=100 - n),
            reported_at=now - datetime.timedelta(hours=99 - n),
        )
    client = client_for(users[Role.MISSING_COORDINATOR])
    first = client.get("/worklist/missing/").content.decode()
    assert "Missing now: 53" in first
    assert "Showing 1 to 50 of 53" in first
    assert "Paged Child00" in first
    assert "Paged Child49" in first
    assert "Paged Child50" not in first
    assert 'href="?missing=2#missing" rel="next"' in first

    second = client.get("/worklist/missing/?missing=2&due=1").content.decode()
    assert "Showing 51 to 53 of 53" in second
    assert "Paged Child52" in second
    assert "Paged Child49" not in second
    assert "missing=1" in second
    assert "due=1" in second
    # A page that is not a number, or past the end, shows the first or the last.
    assert "Showing 1 to 50" in client.get("/worklist/missing/?missing=x").content.decode()
    assert "Showing 51 to 53" in client.get("/worklist/missing/?missing=99").content.decode()


@pytest.mark.django_db
def test_a_roles_shared_queue_is_named_as_people_say_it(users, client_for):
    child = ChildFactory()
    DueItem.objects.create(
        key=f"T7:test:{child.pk}",
        rule="T7",
        title="Offer the return home interview",
        child=child,
        role=Role.MISSING_COORDINATOR,
        due_at=timezone.now() + HOUR,
    )
    page = client_for(users[Role.MISSING_COORDINATOR]).get("/worklist/").content.decode()
    assert '<td class="govuk-table__cell">Missing coordinator</td>' in page
    assert "missing_coordinator" not in page


@pytest.mark.django_db
def test_overdue_items_notify_the_owner_and_escalate_to_the_manager_once(users, reported, team):
    manager = users[Role.MANAGER]
    manager.email = "manager@example.org"
    manager.save()
    first = run_scheduled_checks()
    assert first.overdue >= 1
    strategy = DueItem.objects.get(rule="T3")
    assert strategy.escalated_at is not None
    assert Notification.objects.filter(
        user=users[Role.SOCIAL_WORKER], due_item=strategy, kind="overdue"
    ).exists()
    assert Notification.objects.filter(user=manager, due_item=strategy, kind="escalation").exists()
    count = Notification.objects.count()
    second = run_scheduled_checks()
    assert (second.overdue, second.warned) == (0, 0)
    assert second.items is not None
    assert second.items.changed == 0
    assert Notification.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_emails_say_nothing_about_the_child(users, reported):
    worker = users[Role.SOCIAL_WORKER]
    worker.email = "worker@example.org"
    worker.save()
    run_scheduled_checks()
    sent = [m for m in mail.outbox if "worker@example.org" in m.to]
    assert sent
    child, _ = reported
    for message in sent:
        assert child.last_name not in message.body
        assert child.reference not in message.body + message.subject


def _missing_from_care(users, team, *, since):
    """A looked-after child of the social worker's, reported missing `since` ago."""
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team)
    LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
    now = timezone.now()
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="care",
        last_seen_at=now - since,
        reported_at=now - since,
    )
    return worker, child, now


@pytest.mark.django_db
def test_deadlines_about_to_pass_warn_the_owner(users, team):
    worker, _, _ = _missing_from_care(users, team, since=23 * HOUR)
    result = run_scheduled_checks()
    assert result.warned >= 1
    assert Notification.objects.filter(user=worker, kind="due_soon").exists()


@pytest.mark.django_db
def test_run_scheduled_checks_command_prints_a_summary(reported, capsys):
    call_command("run_scheduled_checks")
    call_command("run_scheduled_checks")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("Checked ")
    assert "0 items created, 0 moved, 0 closed, 0 reopened; 0 due soon, 0 overdue" in out[-1]


@pytest.mark.django_db
def test_items_without_a_team_escalate_to_managers_without_a_team(users, agency):
    lone_manager = UserFactory(role=Role.MANAGER, agency=agency, team=None)
    child = ChildFactory()
    LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
    now = timezone.now()
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="care",
        last_seen_at=now - 30 * HOUR,
        reported_at=now - 30 * HOUR,
    )
    run_scheduled_checks()
    assert Notification.objects.filter(user=lone_manager, kind="escalation").exists()


@pytest.mark.django_db
def test_reallocating_a_child_moves_their_open_items_to_the_new_worker_at_once(
    users, reported, team
):
    from mace.people import services as people

    child, _ = reported
    worker = users[Role.SOCIAL_WORKER]
    mine = DueItem.objects.filter(child=child, status="open", assignee=worker)
    rules = set(mine.values_list("rule", flat=True))
    assert rules
    colleague = UserFactory(role=Role.SOCIAL_WORKER, agency=worker.agency, team=team)
    child.refresh_from_db()
    people.child_allocate(actor=users[Role.MANAGER], child=child, team=team, worker=colleague)
    assert not mine.exists()
    moved = DueItem.objects.filter(child=child, status="open", assignee=colleague)
    assert set(moved.values_list("rule", flat=True)) == rules


@pytest.mark.django_db
def test_worklist_pages_ask_no_more_queries_for_more_rows(users, team, client_for):
    """Each list loads only the columns its page shows, in a fixed number of queries: a
    column the page needs but the list left out would be fetched row by row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mace.accounts.tests.factories import AgencyFactory
    from mace.episodes.models import Episode, RiskGrading
    from mace.interviews.models import ReturnInterview

    worker, police = users[Role.SOCIAL_WORKER], users[Role.POLICE_OFFICER]
    provider = AgencyFactory()
    now = timezone.now()

    def missing_since(child, hours, **more):
        return Episode.objects.create(
            child=child,
            kind="missing",
            missing_from="home",
            legal_status="NONE",
            last_seen_at=now - hours * HOUR,
            reported_at=now - (hours - 1) * HOUR,
            **more,
        )

    def add_rows(n):
        for _ in range(n):
            child = ChildFactory(allocated_worker=worker, team=team)
            episode = missing_since(child, 30)
            RiskGrading.objects.create(
                episode=episode, grade="high", graded_at=now - 28 * HOUR, graded_by=police
            )
            returned = missing_since(child, 80, returned_at=now - 70 * HOUR)
            ReturnInterview.objects.create(
                episode=returned,
                provider=provider,
                provider_rule="test",
                referred_at=now - 60 * HOUR,
                status=ReturnInterview.Status.DECLINED,
                refusal_safeguarding_considered="Yes, discussed with the manager",
            )
            for hours, owner in ((-2, {"assignee": worker}), (5, {"team": team})):
                DueItem.objects.create(
                    key=f"T7:{returned.pk}:{hours}",
                    rule="T7",
                    title="Offer the return interview",
                    child=child,
                    episode=returned,
                    due_at=now + hours * HOUR,
                    **owner,
                )

    def queries(user, url):
        client = client_for(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    pages = [(users[Role.MISSING_COORDINATOR], "/worklist/missing/"), (worker, "/worklist/")]
    add_rows(2)
    few = [queries(user, url) for user, url in pages]
    add_rows(6)
    page = client_for(users[Role.MISSING_COORDINATOR]).get("/worklist/missing/").content.decode()
    assert "Missing now: 8" in page
    assert page.count("Yes, discussed with the manager") == 8
    assert page.count(provider.name) == 8
    assert page.count('govuk-tag--red">High') == 8
    assert [queries(user, url) for user, url in pages] == few


@pytest.mark.django_db
def test_the_checks_run_at_the_time_they_are_given(users, team):
    """`run_scheduled_checks(now)` warns and escalates as at `now`, not as at the time it is
    (the benchmark holds one time for runs minutes apart)."""
    _, child, now = _missing_from_care(users, team, since=HOUR)
    run_scheduled_checks(now)
    not_yet = DueItem.objects.filter(child=child, status="open", due_at__gt=now)
    waiting = set(not_yet.values_list("pk", flat=True))
    assert waiting
    assert not not_yet.filter(escalated_at__isnull=False).exists()
    later = now + 30 * 24 * HOUR
    result = run_scheduled_checks(later)
    escalated = DueItem.objects.filter(pk__in=waiting, escalated_at=later)
    assert escalated.exists()
    assert result.overdue >= escalated.count()
