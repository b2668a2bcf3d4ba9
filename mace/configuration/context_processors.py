"""The first-run checklist on an administrator's home page.

The home page is the frontend app's, and frontend knows no domain (audit builds on it), so
it cannot ask this app; settings.py wires this context processor in instead. It does
nothing on any other page or for anyone else.
"""

from django.http import HttpRequest

from mace.access.policy import can_configure


def first_run_checklist(request: HttpRequest) -> dict[str, object]:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or match.view_name != "frontend:home" or not can_configure(user):  # type: ignore[arg-type]
        return {}
    from mace.configuration.selectors import first_run_checklist as checklist

    tasks = checklist(actor=user)  # type: ignore[arg-type]
    return {"first_run_checklist": tasks, "first_run_missing": sum(not t.done for t in tasks)}
