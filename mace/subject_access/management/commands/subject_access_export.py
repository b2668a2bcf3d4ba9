"""`manage.py subject_access_export REFERENCE --as USERNAME [--out FILE]`: the subject access
export of one child (SPEC C11), by MACE reference, as the zip the child's page gives: made as
the named manager, who must be allowed it (`policy.can_export_subject_access`), and audited
as their export. Written to FILE, by default REFERENCE-subject-access.zip here."""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mace.access import policy
from mace.accounts.models import User
from mace.people.models import Child
from mace.subject_access import services


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The child's MACE reference, e.g. MC-000123")
        parser.add_argument(
            "--as", dest="username", required=True, metavar="USERNAME", help="A manager"
        )
        parser.add_argument("--out", type=Path, metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["reference"].strip()
        actor = User.objects.filter(username=options["username"]).first()
        if actor is None:
            raise CommandError(f"There is no user {options['username']}: give a manager's username")
        child = Child.objects.filter(reference__iexact=reference).first()
        if child is None:
            raise CommandError(f"There is no child with the MACE reference {reference}")
        if not policy.can_export_subject_access(actor, child):
            raise CommandError(
                f"{actor.username} may not make this export: only an active manager who may "
                "open the child's record now (a restricted record after giving a reason in MACE)"
            )
        out: Path = options["out"] or Path(f"{child.reference}-subject-access.zip")
        if out.is_dir():
            raise CommandError(f"{out} is a folder: give the name of the zip file to write")
        try:
            content = services.subject_access_export(actor=actor, child=child)
        except PermissionDenied:  # the policy changed its mind: nothing written
            raise CommandError(f"{actor.username} may not make this export") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        out.write_bytes(content)
        self.stdout.write(f"Subject access export for {child.reference} written to {out}")
