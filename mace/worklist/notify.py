"""Telling people: an in-app notification, copied by email where the user has an address.

Each email is an `EmailDelivery` with its outcome recorded (issue 18): sent, or failed with
the exception's class and tried again by the scheduled checks (`retry_failed_emails`) a few
times with longer waits between, never stamped as sent when it was not. A user who chose the
daily digest gets one email a day for all that day's notifications (`send_daily_digests`);
one who switches the digest off gets the notifications still waiting for it at once, in one
email (`send_waiting_to_immediate`), not at the next digest that will never come.
"""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mace.accounts.models import NotificationEmails, User
from mace.people.models import Child
from mace.worklist.models import DueItem, EmailDelivery, Notification

logger = logging.getLogger(__name__)

Status = EmailDelivery.Status


def notify(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    child: Child | None = None,
    due_item: DueItem | None = None,
) -> Notification | None:
    """Create the notification and email it (or keep it for the user's daily digest). With a
    due item, at most once per kind.

    The email carries no personal data: it says that something needs attention and where,
    because email leaves the secure system.
    """
    if not user.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                child=child,
                due_item=due_item,
            )
    except IntegrityError:
        return None  # already told about this item
    if user.email and user.notification_emails == NotificationEmails.IMMEDIATE:
        delivery = EmailDelivery.objects.create(
            user=user, kind=EmailDelivery.Kind.SINGLE, next_attempt_at=timezone.now()
        )
        Notification.objects.filter(pk=notification.pk).update(email=delivery)
        notification.email = delivery
        transaction.on_commit(lambda: deliver(delivery.pk))
    return notification


def _kind_label(kind: str) -> str:
    return kind.replace("_", " ")


def _message(delivery: EmailDelivery) -> tuple[str, str]:
    """The subject and body: what kinds of thing need attention, never what they are about."""
    kinds = list(delivery.notifications.values_list("kind", flat=True))
    if delivery.kind == EmailDelivery.Kind.SINGLE and len(kinds) > 1:
        # The notifications that waited for a digest the user switched off.
        counts = Counter(kinds)
        lines = "".join(f"- {_kind_label(kind)}: {n}\n" for kind, n in sorted(counts.items()))
        return f"MACE: {len(kinds)} notifications", (
            f"You have {len(kinds)} notifications in MACE that were waiting for your daily "
            f"digest:\n\n{lines}\n"
            "Sign in to MACE and open your notifications to see them.\n"
        )
    if delivery.kind == EmailDelivery.Kind.SINGLE:
        subject = f"MACE: {_kind_label(kinds[0]) if kinds else 'notification'}"
        return subject, (
            "Something in MACE needs your attention.\n\n"
            "Sign in to MACE and open your notifications to see it.\n"
        )
    counts = Counter(kinds)
    lines = "".join(f"- {_kind_label(kind)}: {n}\n" for kind, n in sorted(counts.items()))
    total = len(kinds)
    return f"MACE: your daily digest, {total} notification{'s' if total != 1 else ''}", (
        f"You have {total} new notification{'s' if total != 1 else ''} in MACE:\n\n"
        f"{lines}\n"
        "Sign in to MACE and open your notifications to see them.\n"
    )


def retry_wait(attempts: int) -> datetime.timedelta:
    """How long to wait after the attempts made so far failed: doubling each time."""
    return datetime.timedelta(minutes=settings.EMAIL_RETRY_MINUTES) * 2 ** max(attempts - 1, 0)


def deliver(delivery_id: int) -> bool:
    """Send the email and record what happened; True if it was sent. Safe to call again: an
    email already sent, or given up on, is left alone."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update()
            .select_related("user")
            .filter(pk=delivery_id, status__in=[Status.PENDING, Status.FAILED])
            .first()
        )
        if delivery is None:
            return False
        subject, body = _message(delivery)
        delivery.attempts += 1
        try:
            send_mail(
                subject=subject,
                message=body,
                from_email=None,
                recipient_list=[delivery.user.email],
                fail_silently=False,
            )
        except Exception as error:  # any failure of the mail backend
            delivery.error = type(error).__name__
            if delivery.attempts >= settings.EMAIL_ATTEMPTS:
                delivery.status = Status.GAVE_UP
                delivery.next_attempt_at = None
            else:
                delivery.status = Status.FAILED
                delivery.next_attempt_at = now + retry_wait(delivery.attempts)
            delivery.save(
                update_fields=["attempts", "error", "status", "next_attempt_at", "updated_at"]
            )
            # The email's id and the error's class only: no address, no message text.
            logger.warning(
                "Email %s failed (attempt %s of %s): %s",
                delivery.pk,
                delivery.attempts,
                settings.EMAIL_ATTEMPTS,
                delivery.error,
            )
            return False
        delivery.status = Status.SENT
        delivery.sent_at = now
        delivery.next_attempt_at = None
        delivery.save(
            update_fields=["attempts", "status", "sent_at", "next_attempt_at", "updated_at"]
        )
        delivery.notifications.update(emailed_at=now)
        return True


def retry_failed_emails(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Try again the failed emails whose wait is over, and any email never tried a while
    after it was made (the process sending it stopped first): (tried, sent)."""
    now = now or timezone.now()
    due = EmailDelivery.objects.filter(
        Q(status=Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Status.PENDING, next_attempt_at__lte=now - retry_wait(1))
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    return len(ids), sum(deliver(pk) for pk in ids)


def send_waiting_to_immediate(user: User) -> int:
    """The user has switched the daily digest off: the notifications waiting for it go now, in
    one email sent when the transaction commits (none if nothing waits or the user has no
    address). The number of notifications it carries."""
    if not user.is_active or not user.email:
        return 0
    waiting = Notification.objects.filter(user=user, email__isnull=True, emailed_at__isnull=True)
    if not waiting.exists():
        return 0
    delivery = EmailDelivery.objects.create(
        user=user, kind=EmailDelivery.Kind.SINGLE, next_attempt_at=timezone.now()
    )
    count = waiting.update(email=delivery)
    transaction.on_commit(lambda: deliver(delivery.pk))
    return count


def send_daily_digests(now: datetime.datetime | None = None) -> int:
    """For each user who chose the daily digest, once a day at or after the digest hour: one
    email gathering the notifications not yet emailed to them. The number of digests made."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return 0
    today = local.date()
    waiting = Notification.objects.filter(email__isnull=True, emailed_at__isnull=True)
    users = (
        User.objects.filter(
            is_active=True, notification_emails=NotificationEmails.DAILY_DIGEST, email__gt=""
        )
        .filter(pk__in=waiting.values("user_id"))
        .exclude(
            pk__in=EmailDelivery.objects.filter(kind=EmailDelivery.Kind.DIGEST, day=today).values(
                "user_id"
            )
        )
    )
    made = []
    for user in users:
        with transaction.atomic():
            delivery = EmailDelivery.objects.create(
                user=user, kind=EmailDelivery.Kind.DIGEST, day=today, next_attempt_at=now
            )
            waiting.filter(user=user, created_at__lte=now).update(email=delivery)
        made.append(delivery.pk)
    for pk in made:
        deliver(pk)
    return len(made)
