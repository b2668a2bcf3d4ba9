"""Print how to sign in to a demonstration: `manage.py demo_logins`.

Lists the accounts seed_demo made (those whose authenticator is the demo one), each with its
role, the authenticator secret in base32 and the code it gives right now.
"""

import base64
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mace.accounts.models import Role
from mace.demo.management.commands.seed_demo import DEMO_DEVICE_NAME, DEMO_PASSWORD

SIGN_IN_URL = "http://127.0.0.1:8000/"
EXTRA_PREFIX = "sw."
ROLE_ORDER = {role.value: position for position, role in enumerate(Role)}


def current_code(device: TOTPDevice) -> str:
    code = totp(
        bytes.fromhex(device.key),
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{code:0{device.digits}d}"


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Left-aligned columns two spaces apart, for a terminal."""
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


class Command(BaseCommand):
    help = "Print the demonstration sign-ins: password, authenticator secrets and current codes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default=SIGN_IN_URL, help="Where MACE is being served")
        parser.add_argument(
            "--all", action="store_true", help="Also list the extra social workers' accounts"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        devices = sorted(
            TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, user__is_active=True).select_related(
                "user"
            ),
            key=lambda device: (ROLE_ORDER.get(device.user.role, len(ROLE_ORDER)), device.user.pk),
        )
        if not devices:
            self.stdout.write(
                "No demonstration accounts. Load them with `.venv/bin/python manage.py seed_demo`."
            )
            return

        extra = [d for d in devices if d.user.username.startswith(EXTRA_PREFIX)]
        if not options["all"]:
            devices = [d for d in devices if d not in extra]
        rows = [
            (
                Role(device.user.role).label,
                device.user.username,
                base64.b32encode(bytes.fromhex(device.key)).decode(),
                current_code(device),
            )
            for device in devices
        ]
        self.stdout.write(f"Sign in at {options['url']}")
        self.stdout.write(f"Every demonstration account has the password: {DEMO_PASSWORD}")
        self.stdout.write("")
        for line in table(("Role", "Username", "Authenticator secret", "Code now"), rows):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            "Add the secret to any authenticator app, or run "
            "`.venv/bin/python manage.py demo_logins` again for current codes."
        )
        if extra and not options["all"]:
            self.stdout.write(
                f"{len(extra)} more social workers' accounts (usernames starting "
                f"{EXTRA_PREFIX}) are listed with --all."
            )
