"""Issue 18 point 6: every escalation reaches a named person; an email that fails is
recorded as failed and tried again, never stamped as sent; a daily digest for those who
choose it instead of one email per notification."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.checks import Tags, run_checks
from django.utils import timezone

from mace.accounts import services as accounts
from mace.accounts.models import NotificationEmails, Role
from mace.accounts.tests.factories import UserFactory
from mace.audit.models import AuditEvent
from mace.episodes import services as episodes
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem, EmailDelivery, Notification
from mace.worklist.notify import deliver, notify, retry_failed_emails, send_daily_digests
from mace.worklist.scheduled import run_scheduled_checks

HOUR = datetime.timedelta(hours=1)
REFUSING = "mace.worklist.tests.failing_email.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def overdue_police_queue_item(users):
    """A child with no team, reported an hour ago and not yet graded: T1 on the police
    officers' shared queue, overdue, with no team to find a manager by. The child is 14, so
    no rule of age (T20) adds an item of its own to be escalated beside it."""
    child = ChildFactory(
        team=None,
        allocated_worker=None,
        date_of_birth=timezone.localdate() - datetime.timedelta(days=14 * 365 + 100),
    )
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=timezone.now() - 2 * HOUR,
        reported_at=timezone.now() - HOUR,
    )
    item = DueItem.objects.get(rule="T1", child=child)
    assert (item.role, item.team_id, item.assignee_id) == (Role.POLICE_OFFICER, None, None)
    return item


def escalated_to(item):
    return set(
        Notification.objects.filter(due_item=item, kind="escalation").values_list(
            "user__username", flat=True
        )
    )


@pytest.mark.django_db
def test_a_shared_queue_item_escalates_to_the_only_manager_though_they_have_a_team(users, team):
    manager = users[Role.MANAGER]
    assert manager.team == team
    item = overdue_police_queue_item(users)
    run_scheduled_checks()
    item.refresh_from_db()
    assert item.escalated_at is not None
    assert escalated_to(item) == {manager.username}


@pytest.mark.django_db
def test_managers_without_a_team_come_before_managers_of_other_teams(users, agency):
    lone = UserFactory(role=Role.MANAGER, agency=agency, team=None)
    item = overdue_police_queue_item(users)
    run_scheduled_checks()
    assert escalated_to(item) == {lone.username}


@pytest.mark.django_db
def test_with_no_active_manager_an_escalation_reaches_the_named_fallback(users, settings):
    users[Role.MANAGER].is_active = False
    users[Role.MANAGER].save()
    settings.ESCALATION_FALLBACK_USERNAME = users[Role.ADMINISTRATOR].username
    item = overdue_police_queue_item(users)
    run_scheduled_checks()
    assert escalated_to(item) == {users[Role.ADMINISTRATOR].username}


@pytest.mark.django_db
def test_with_no_manager_and_no_fallback_the_escalation_is_logged_without_personal_data(
    users, settings, caplog
):
    users[Role.MANAGER].is_active = False
    users[Role.MANAGER].save()
    settings.ESCALATION_FALLBACK_USERNAME = ""
    item = overdue_police_queue_item(users)
    with caplog.at_level(logging.ERROR, logger="mace.worklist.scheduled"):
        run_scheduled_checks()
    assert escalated_to(item) == set()
    logged = [r.getMessage() for r in caplog.records if "escalated to no one" in r.getMessage()]
    assert logged == [f"Overdue item {item.pk} escalated to no one: no active manager"]
    assert item.child.reference not in logged[0]


def fallback_warnings():
    return [
        m
        for m in run_checks(tags=[Tags.database], databases=["default"])
        if m.id == "worklist.W001"
    ]


@pytest.mark.django_db
def test_the_check_warns_when_the_fallback_names_no_active_user(users, settings):
    settings.ESCALATION_FALLBACK_USERNAME = "nobody-of-that-name"
    assert len(fallback_warnings()) == 1
    settings.ESCALATION_FALLBACK_USERNAME = ""
    assert len(fallback_warnings()) == 1
    settings.ESCALATION_FALLBACK_USERNAME = users[Role.ADMINISTRATOR].username
    assert fallback_warnings() == []
    users[Role.ADMINISTRATOR].is_active = False
    users[Role.ADMINISTRATOR].save()
    assert len(fallback_warnings()) == 1


# Email outcomes


@pytest.fixture
def addressed(users):
    worker = users[Role.SOCIAL_WORKER]
    worker.email = "worker@example.org"
    worker.save()
    return worker


def tell(user, n=1):
    return [
        notify(user=user, kind="child_missing", title=f"Reported missing {i}") for i in range(n)
    ]


@pytest.mark.django_db
def test_an_email_that_fails_is_recorded_as_failed_not_sent(
    addressed, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = REFUSING
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(addressed)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    delivery = notification.email
    assert (delivery.status, delivery.attempts, delivery.error) == ("failed", 1, "SMTPException")
    assert delivery.sent_at is None
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(minutes=4)
    logs = " ".join(r.getMessage() for r in caplog.records)
    assert "SMTPException" in logs
    assert "example.org" not in logs


@pytest.mark.django_db
def test_a_failed_email_is_tried_again_after_its_wait_and_then_recorded_sent(
    addressed, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(addressed)
    settings.EMAIL_BACKEND = LOCMEM
    assert retry_failed_emails(timezone.now()) == (0, 0)  # still waiting
    assert mail.outbox == []
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert retry_failed_emails(later) == (1, 1)
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.email.status == "sent"
    assert notification.email.attempts == 2
    assert [m.to for m in mail.outbox] == [["worker@example.org"]]
    assert retry_failed_emails(later + HOUR) == (0, 0)  # sent once only


@pytest.mark.django_db
def test_failed_emails_are_tried_a_bounded_number_of_times_waiting_longer_each_time(
    addressed, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    settings.EMAIL_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(addressed)
    delivery = notification.email
    waits = []
    moment = timezone.now()
    for _ in range(5):
        delivery.refresh_from_db()
        if delivery.next_attempt_at is None:
            break
        waits.append(delivery.next_attempt_at - moment)
        moment = delivery.next_attempt_at
        retry_failed_emails(moment)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("gave_up", 3)
    assert waits[1] > waits[0]  # backs off
    assert deliver(delivery.pk) is False  # given up on: left alone
    notification.refresh_from_db()
    assert notification.emailed_at is None


@pytest.mark.django_db
def test_an_email_never_tried_is_sent_by_a_later_run_and_only_once(addressed):
    (notification,) = tell(addressed)  # its sending, on commit, never ran
    assert notification.email.status == "pending"
    assert retry_failed_emails(timezone.now()) == (0, 0)  # it may yet be on its way
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert retry_failed_emails(later) == (1, 1)
    assert retry_failed_emails(later + HOUR) == (0, 0)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_checks_retry_failed_emails(addressed, settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.EMAIL_RETRY_MINUTES = 0
    tell(addressed)
    assert EmailDelivery.objects.get().status == "failed"
    settings.EMAIL_BACKEND = LOCMEM
    result = run_scheduled_checks()
    assert (result.emails_retried, result.emails_resent) == (1, 1)
    assert EmailDelivery.objects.get().status == "sent"
    assert len(mail.outbox) == 1


# The daily digest


def at_local_hour(hour):
    return timezone.localtime().replace(hour=hour, minute=30, second=0, microsecond=0)


@pytest.mark.django_db
def test_immediate_emails_go_one_per_notification_and_no_digest(
    addressed, django_capture_on_commit_callbacks
):
    assert addressed.notification_emails == NotificationEmails.IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        tell(addressed, 3)
    assert len(mail.outbox) == 3
    assert send_daily_digests(at_local_hour(9) + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_digest_user_gets_one_email_a_day_gathering_their_notifications(
    addressed, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    addressed.notification_emails = NotificationEmails.DAILY_DIGEST
    addressed.save()
    with django_capture_on_commit_callbacks(execute=True):
        tell(addressed, 3)
        notify(user=addressed, kind="overdue", title="Overdue")
    assert mail.outbox == []
    tomorrow = datetime.timedelta(days=1)
    assert send_daily_digests(at_local_hour(6) + tomorrow) == 0  # before the digest hour
    assert send_daily_digests(at_local_hour(7) + tomorrow) == 1
    (digest,) = mail.outbox
    assert digest.to == ["worker@example.org"]
    assert "4 notifications" in digest.subject
    assert "child missing: 3" in digest.body
    assert "overdue: 1" in digest.body
    assert not Notification.objects.filter(user=addressed, emailed_at__isnull=True).exists()
    assert send_daily_digests(at_local_hour(8) + tomorrow) == 0  # once a day
    with django_capture_on_commit_callbacks(execute=True):
        tell(addressed)
    assert send_daily_digests(at_local_hour(9) + tomorrow) == 0
    assert send_daily_digests(at_local_hour(7) + 2 * tomorrow) == 1
    assert len(mail.outbox) == 2
    assert "1 notification" in mail.outbox[1].subject


@pytest.mark.django_db
def test_switching_the_digest_off_sends_what_waited_for_it_at_once(
    addressed, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_DIGEST_HOUR = 7
    with django_capture_on_commit_callbacks(execute=True):
        accounts.own_notification_emails_set(
            user=addressed, notification_emails=NotificationEmails.DAILY_DIGEST
        )
        tell(addressed, 2)
        notify(user=addressed, kind="overdue", title="Overdue")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        accounts.own_notification_emails_set(
            user=addressed, notification_emails=NotificationEmails.IMMEDIATE
        )
    (email,) = mail.outbox
    assert email.to == ["worker@example.org"]
    assert "3 notifications" in email.subject
    assert "child missing: 2" in email.body
    assert "overdue: 1" in email.body
    assert not Notification.objects.filter(user=addressed, emailed_at__isnull=True).exists()
    switched = AuditEvent.objects.filter(summary="Changed own notification emails").latest("pk")
    assert switched.after["waiting_sent"] == 3
    # Nothing is left for a digest, and what comes next goes one by one.
    assert send_daily_digests(at_local_hour(7) + datetime.timedelta(days=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        tell(addressed)
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_checks_send_the_digest_and_the_email_names_no_child(users, settings):
    settings.NOTIFICATION_DIGEST_HOUR = 0
    worker = users[Role.SOCIAL_WORKER]
    worker.email = "worker@example.org"
    worker.notification_emails = NotificationEmails.DAILY_DIGEST
    worker.save()
    child = ChildFactory(allocated_worker=worker, first_name="Rowan", last_name="Quist")
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=timezone.now() - 2 * HOUR,
    )
    mine = lambda: [m for m in mail.outbox if m.to == ["worker@example.org"]]  # noqa: E731
    assert mine() == []
    assert run_scheduled_checks().digests == 1
    (digest,) = mine()
    assert child.reference not in digest.subject + digest.body
    assert "Quist" not in digest.subject + digest.body
    assert run_scheduled_checks().digests == 0
