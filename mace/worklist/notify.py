"""Telling people: an in-app notification, copied by email where the user has an address."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from mace.accounts.models import User
from mace.people.models import Child
from mace.worklist.models import DueItem, Notification


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
    """Create the notification and email it. With a due item, at most once per kind.

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
    if user.email:
        transaction.on_commit(lambda: _email(notification.pk))
    return notification


def _email(notification_id: int) -> None:
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    send_mail(
        subject=f"MACE: {notification.kind.replace('_', ' ')}",
        message=(
            "Something in MACE needs your attention.\n\n"
            "Sign in to MACE and open your notifications to see it.\n"
        ),
        from_email=None,
        recipient_list=[notification.user.email],
        fail_silently=True,
    )
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
