"""Signing in with two factors, changing password, and administrators managing accounts."""

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from mace.access.policy import can_change_own_account_settings, can_manage_users, require
from mace.accounts import services
from mace.accounts.forms import (
    AgencyForm,
    ChangePasswordForm,
    NotificationEmailsForm,
    SignInForm,
    TeamForm,
    TwoFactorForm,
    UserForm,
)
from mace.accounts.models import Agency, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.frontend.shortcuts import posted

_NEXT = "mace_next"


def _safe_next(request: HttpRequest) -> str:
    target = request.session.pop(_NEXT, "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return str(target)
    return reverse("frontend:home")


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = False

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        next_url = self.request.POST.get("next") or self.request.GET.get("next", "")
        super().form_valid(form)
        self.request.session[_NEXT] = next_url
        user = form.get_user()
        audit_record(
            actor=user, action=AuditEvent.Action.LOGIN, obj=user, summary="Password accepted"
        )
        if any(devices_for_user(user, confirmed=True)):
            return redirect("accounts:two_factor")
        return redirect("accounts:two_factor_setup")

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = form.data.get("username", "")
        known = User.objects.filter(username=username).first()
        if known is not None:
            audit_record(
                actor=None,
                action=AuditEvent.Action.LOGIN_FAILED,
                obj=known,
                object_type="accounts.user",
                summary="Wrong password",
            )
        return super().form_invalid(form)


def _second_factor_passed(request: HttpRequest, device: Device) -> None:
    """Mark the session verified under a new key (issue 16 point 10): the key that a
    password alone earned, which may have been seen or fixed by someone else, must not
    become a fully signed-in session. `cycle_key` keeps the data and drops the old key."""
    otp_login(request, device)
    request.session.cycle_key()


def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect("accounts:two_factor_setup")
    form = TwoFactorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["code"]):
                _second_factor_passed(request, device)
                return redirect(_safe_next(request))
        audit_record(
            actor=None,
            action=AuditEvent.Action.LOGIN_FAILED,
            obj=user,  # type: ignore[arg-type]
            summary="Wrong security code",
        )
        form.add_error(
            "code",
            "The security code is not right. Check the time on your device and enter the "
            "newest code, or ask your administrator to reset your two-factor authentication",
        )
    return render(request, "accounts/two_factor.html", {"form": form})


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if any(devices_for_user(user, confirmed=True)):
        return redirect("accounts:two_factor")
    device = services.totp_device_for_setup(user=user)  # type: ignore[arg-type]
    form = TwoFactorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            services.totp_device_confirm(user=user, device=device)  # type: ignore[arg-type]
            _second_factor_passed(request, device)
            messages.success(request, "Two-factor authentication is set up")
            return redirect(_safe_next(request))
        form.add_error("code", "The security code is not right. Enter the newest code")
    secret = _base32_secret(device)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code")
    context = {"form": form, "secret": secret, "qr_svg": qr_svg}
    return render(request, "accounts/two_factor_setup.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("frontend:home")

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        user: User = self.request.user  # type: ignore[assignment]
        services.password_change(user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)  # this session stays signed in
        messages.success(self.request, "Your password has been changed")
        return HttpResponseRedirect(self.get_success_url())


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own account: how they are emailed about notifications."""
    user: User = request.user  # type: ignore[assignment]
    require(can_change_own_account_settings(user))
    form = NotificationEmailsForm(
        posted(request), initial={"notification_emails": user.notification_emails}
    )
    if request.method == "POST" and form.is_valid():
        services.own_notification_emails_set(
            user=user, notification_emails=form.cleaned_data["notification_emails"]
        )
        messages.success(request, "Your email preference has been saved")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form, "account": user})


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(can_manage_users(request.user))  # type: ignore[arg-type]
    users = User.objects.select_related("agency", "team").order_by("agency__name", "last_name")
    return render(request, "accounts/user_list.html", {"users": users})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require(can_manage_users(request.user))  # type: ignore[arg-type]
    form = UserForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user, password = services.user_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        return render(
            request, "accounts/user_password.html", {"account": user, "password": password}
        )
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@login_required
def user_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    require(can_manage_users(request.user))  # type: ignore[arg-type]
    account = get_object_or_404(User, public_id=public_id)
    form = UserForm(posted(request), instance=User.objects.get(pk=account.pk))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        services.user_update(actor=request.user, user=account, **changes)  # type: ignore[arg-type]
        messages.success(request, f"Account {account.username} updated")
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@login_required
@require_POST
def user_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    require(can_manage_users(request.user))  # type: ignore[arg-type]
    account = get_object_or_404(User, public_id=public_id)
    actor: User = request.user  # type: ignore[assignment]
    if action == "reset":
        password = services.user_reset_credentials(actor=actor, user=account)
        return render(
            request, "accounts/user_password.html", {"account": account, "password": password}
        )
    if action == "unlock":
        services.user_unlock(actor=actor, user=account)
        messages.success(request, f"{account.username} can sign in again")
    elif action in ("deactivate", "activate"):
        if account.pk == actor.pk:
            messages.error(request, "You cannot deactivate your own account")
        else:
            services.user_update(actor=actor, user=account, is_active=action == "activate")
            messages.success(request, f"Account {account.username} {action}d")
    else:
        return HttpResponse(status=404)
    return redirect("accounts:user_edit", public_id=account.public_id)


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    require(can_manage_users(request.user))  # type: ignore[arg-type]
    agencies = Agency.objects.prefetch_related("teams").order_by("name")
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


@login_required
def agency_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    require(can_manage_users(request.user))  # type: ignore[arg-type]
    agency = get_object_or_404(Agency, public_id=public_id) if public_id else None
    form = AgencyForm(posted(request), instance=agency)
    if request.method == "POST" and form.is_valid():
        saved = services.agency_save(actor=request.user, agency=form.save(commit=False))  # type: ignore[arg-type]
        messages.success(request, f"{saved.name} saved")
        return redirect("accounts:agency_list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})


@login_required
def team_create(request: HttpRequest, public_id: str) -> HttpResponse:
    require(can_manage_users(request.user))  # type: ignore[arg-type]
    agency = get_object_or_404(Agency, public_id=public_id)
    form = TeamForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.team_create(actor=request.user, agency=agency, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        except ValidationError:
            form.add_error("name", f"{agency.name} already has a team with that name")
        else:
            messages.success(request, f"Team added to {agency.name}")
            return redirect("accounts:agency_list")
    return render(request, "accounts/team_form.html", {"form": form, "agency": agency})
