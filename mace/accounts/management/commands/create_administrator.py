"""Bootstrap a new deployment: the first administrator, who then creates everyone else."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mace.accounts.models import Agency, Role, User
from mace.accounts.services import temporary_password


class Command(BaseCommand):
    help = "Create a system administrator with a temporary password (no self sign-up exists)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--agency", required=True, help="Name of the administrator's agency")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"There is already an account called {options['username']}.")
        agency, _ = Agency.objects.get_or_create(
            name=options["agency"], defaults={"kind": Agency.Kind.CHILDRENS_SOCIAL_CARE}
        )
        password = temporary_password()
        user = User(
            username=options["username"],
            email=options["email"],
            role=Role.ADMINISTRATOR,
            agency=agency,
            must_change_password=True,
        )
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Administrator {user.username} created. Temporary password: {password}\n"
            "Sign in, change the password and set up two-factor authentication."
        )
