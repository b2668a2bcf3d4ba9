"""Accounts for the load run (`make load`), in a database that holds the demonstration data.

Each simulated user needs an account of their own: an authenticator code can be used only
once, so two people cannot sign in to one account in the same half-minute. Every load account
copies a demonstration account (role, agency, team, clearance, password and the children it
works with) and gets its own authenticator secret and API token. The secrets go to a file
the locustfile reads; they are good only in the throwaway load database.

    DATABASE_URL=... .venv/bin/python tools/load/prepare.py --users 50 --out FILE.json
"""

import argparse
import itertools
import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The demonstration account each load account copies, in the mix of a working day: mostly
# social workers and police, then coordinators, managers, return interview workers.
MIX = (
    ["social.worker", "social.worker2"] * 10
    + ["police.officer"] * 10
    + ["missing.coordinator"] * 6
    + ["manager"] * 5
    + ["rhi.worker"] * 5
    + ["inclusion.officer"] * 2
    + ["analyst"] * 2
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mace.settings")
    import django

    django.setup()
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from knox.models import AuthToken

    from mace.accounts.models import User
    from mace.people.models import Involvement

    templates = {u.username: u for u in User.objects.filter(username__in=set(MIX))}
    missing = set(MIX) - set(templates)
    if missing:
        sys.exit(
            f"The demonstration accounts {', '.join(sorted(missing))} are not in this database: "
            "load it with `manage.py seed_demo` first."
        )

    accounts = []
    with transaction.atomic():
        # A second run replaces the first run's accounts, so the file always matches.
        old = User.objects.filter(username__startswith="load.")
        Involvement.objects.filter(user__in=old).delete()
        TOTPDevice.objects.filter(user__in=old).delete()
        AuthToken.objects.filter(user__in=old).delete()
        old.delete()
        for number, name in zip(range(1, args.users + 1), itertools.cycle(MIX), strict=False):
            template = templates[name]
            user = User.objects.create(
                username=f"load.{number:03d}",
                first_name="Load",
                last_name=f"User {number}",
                email=f"load.{number:03d}@example.org",
                password=template.password,
                role=template.role,
                agency=template.agency,
                team=template.team,
                job_title=template.job_title,
                intelligence_cleared=template.intelligence_cleared,
                must_change_password=False,
            )
            key = secrets.token_hex(20)
            TOTPDevice.objects.create(user=user, name="Load authenticator", key=key, confirmed=True)
            Involvement.objects.bulk_create(
                Involvement(
                    child_id=involvement.child_id,
                    kind=involvement.kind,
                    user=user,
                    start_date=involvement.start_date,
                    end_date=involvement.end_date,
                )
                for involvement in Involvement.objects.filter(user=template)
            )
            _, token = AuthToken.objects.create(user=user)
            accounts.append(
                {"username": user.username, "role": user.role, "totp_key": key, "token": token}
            )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"password": _demo_password(), "accounts": accounts}))
    args.out.chmod(0o600)
    print(f"{len(accounts)} load accounts written to {args.out}")


def _demo_password() -> str:
    from mace.demo.management.commands.seed_demo import DEMO_PASSWORD

    return DEMO_PASSWORD


if __name__ == "__main__":
    main()
