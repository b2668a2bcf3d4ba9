"""Account changes. Only administrators create accounts: there is no self sign-up (C11)."""

import secrets
import string

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from mace.access.policy import can_change_own_account_settings, can_manage_users, require
from mace.accounts.models import Agency, NotificationEmails, Team, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, changed_only, snapshot
from mace.worklist.notify import send_waiting_to_immediate

_USER_AUDIT_EXCLUDE = ("password", "last_login")


def temporary_password() -> str:
    """A one-time password the administrator passes on; the user must change it."""
    alphabet = string.ascii_letters + string.digits
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


@transaction.atomic
def api_tokens_revoke_all(*, actor: User | None, user: User, because: str) -> int:
    """Revoke every API token of the user, for good: deleted, each revocation audited.

    Issue 16 point 5: a token is a credential of its own, so it must not outlive the
    password and two-factor it was made behind (reset, changed) or the account it acts for
    (deactivated). Deleted tokens cannot come back when an account is reactivated.
    """
    keys = list(AuthToken.objects.filter(user=user).values_list("token_key", flat=True))
    AuthToken.objects.filter(user=user, token_key__in=keys).delete()
    for key in keys:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            object_type="knox.authtoken",
            object_id=key,
            summary=f"Revoked an API token of {user.username}: {because}",
        )
    return len(keys)


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    agency: Agency,
    team: Team | None = None,
    job_title: str = "",
    intelligence_cleared: bool = False,
) -> tuple[User, str]:
    """Create an account with a temporary password, returned once for the administrator."""
    require(can_manage_users(actor))
    password = temporary_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        agency=agency,
        team=team,
        job_title=job_title,
        intelligence_cleared=intelligence_cleared,
        must_change_password=True,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=user,
        summary=f"Created account {user.username}",
        after=snapshot(user, exclude=_USER_AUDIT_EXCLUDE),
    )
    return user, password


@transaction.atomic
def user_update(*, actor: User, user: User, **changes: object) -> User:
    require(can_manage_users(actor))
    allowed = {
        "first_name",
        "last_name",
        "email",
        "role",
        "agency",
        "team",
        "job_title",
        "intelligence_cleared",
        "is_active",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here.")
    before = snapshot(user, exclude=_USER_AUDIT_EXCLUDE)
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    old, new = changed_only(before, snapshot(user, exclude=_USER_AUDIT_EXCLUDE))
    if "is_active" in new:
        # Deactivated: its tokens go with it. Reactivated: any token still held was made
        # before the account was deactivated (no one inactive can make one), so it goes too.
        api_tokens_revoke_all(
            actor=actor,
            user=user,
            because="account deactivated" if not user.is_active else "account reactivated",
        )
    if new:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            obj=user,
            summary=f"Changed account {user.username}",
            before=old,
            after=new,
        )
    return user


@transaction.atomic
def user_reset_credentials(*, actor: User, user: User) -> str:
    """New temporary password, two-factor removed (set up again at next sign-in), unlocked."""
    require(can_manage_users(actor))
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password", "updated_at"])
    TOTPDevice.objects.filter(user=user).delete()
    api_tokens_revoke_all(actor=actor, user=user, because="password and two-factor reset")
    axes_reset(username=user.username)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=user,
        summary=f"Reset password and two-factor for {user.username}",
    )
    return password


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """The user's own new password (already validated by the form). Their API tokens are
    revoked (issue 16 point 5): one made behind the old password must not outlive it."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password", "updated_at"])
    api_tokens_revoke_all(actor=user, user=user, because="password changed")
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=user,
        summary="Changed own password",
    )
    return user


@transaction.atomic
def own_notification_emails_set(*, user: User, notification_emails: str) -> User:
    """The user's own choice of how notifications are emailed: each as it happens, or one
    daily digest (issue 18)."""
    require(can_change_own_account_settings(user))
    if notification_emails not in NotificationEmails.values:
        raise ValidationError({"notification_emails": "Select how you want to be emailed"})
    before = user.notification_emails
    if before == notification_emails:
        return user
    user.notification_emails = notification_emails
    user.save(update_fields=["notification_emails", "updated_at"])
    after: dict[str, object] = {"notification_emails": notification_emails}
    if notification_emails == NotificationEmails.IMMEDIATE:
        # What waited for the digest is not left waiting for one that will never come.
        after["waiting_sent"] = send_waiting_to_immediate(user)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=user,
        summary="Changed own notification emails",
        before={"notification_emails": before},
        after=after,
    )
    return user


def user_unlock(*, actor: User, user: User) -> None:
    require(can_manage_users(actor))
    axes_reset(username=user.username)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=user,
        summary=f"Unlocked {user.username} after failed sign-ins",
    )


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, made on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=user,
        summary="Set up two-factor authentication",
    )


@transaction.atomic
def agency_save(*, actor: User, agency: Agency) -> Agency:
    """Create or change an agency of the partnership."""
    require(can_manage_users(actor))
    creating = agency.pk is None
    before = {} if creating else snapshot(Agency.objects.get(pk=agency.pk))
    agency.full_clean()
    agency.save()
    old, new = changed_only(before, snapshot(agency))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.CHANGE,
        obj=agency,
        summary=f"{'Created' if creating else 'Changed'} agency {agency.name}",
        before=old or None,
        after=new,
    )
    return agency


@transaction.atomic
def team_create(*, actor: User, agency: Agency, name: str) -> Team:
    require(can_manage_users(actor))
    team = Team(agency=agency, name=name.strip())
    team.full_clean()
    team.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=team,
        summary=f"Created team {team.name} in {agency.name}",
        after=snapshot(team),
    )
    return team
