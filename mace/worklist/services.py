"""Writes of the worklist app's own records (the due items themselves are the engine's)."""

import datetime

from django.db import transaction

from mace.access.policy import can_run_imports, require
from mace.accounts.models import User
from mace.configuration import services as configuration
from mace.configuration.models import SettingKey
from mace.worklist import golive


@transaction.atomic
def go_live_record(*, actor: User | None, day: datetime.date, source: str) -> datetime.date:
    """Make the go-live an import was run with the partnership's go-live setting, when none
    is set (issue 18), as its actor (one who may run imports; None on a database with no
    administrator yet). One fact: the setting the administrators' page shows and changes,
    written through `configuration.services.settings_write` and audited with before and
    after. One already set and different is refused (ValueError): one go-live keeps the
    worklist the same whichever run last brought it in step."""
    if actor is not None:
        require(can_run_imports(actor))
    in_force = golive.go_live_held()
    if in_force is not None:
        if in_force != day:
            raise ValueError(f"the go-live in force is {in_force}, not {day}")
        return in_force
    configuration.settings_write(
        actor=actor,
        values={SettingKey.GO_LIVE_DATE: day.isoformat()},
        summary=f"Go-live recorded: {day.isoformat()} ({source})",
    )
    return day
