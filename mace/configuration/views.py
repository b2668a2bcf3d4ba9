"""The administrators' settings pages and instrument upload (issue 18 point 5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mace.access.policy import can_configure, require
from mace.configuration import selectors, services
from mace.configuration.forms import InstrumentUploadForm, SettingsForm
from mace.configuration.registry import DEFINITIONS, Group, Kind
from mace.exploitation.instruments import active_instrument, instrument_file_read, instrument_load
from mace.exploitation.models import Instrument
from mace.frontend.shortcuts import acting_user, apply_errors, posted


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    sections = selectors.overview(actor=actor)
    return render(request, "configuration/overview.html", {"sections": sections})


@login_required
def change(request: HttpRequest, group: str) -> HttpResponse:
    actor = acting_user(request)
    require(can_configure(actor))
    if group not in Group.values:
        raise Http404
    form = SettingsForm(
        posted(request),
        group=group,
        current=selectors.current(group),
        agencies=selectors.agency_names(),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        for definition in form.definitions:
            if definition.kind is Kind.DATE:
                date = values[definition.key.value]
                values[definition.key.value] = date.isoformat() if date else ""
        try:
            changed = services.settings_change(actor=actor, values=values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                messages.success(request, f"{Group(group).label}: changes saved")
            else:
                messages.info(request, f"{Group(group).label}: nothing was changed")
            return redirect("configuration:overview")
    return render(
        request,
        "configuration/change.html",
        {"form": form, "title": Group(group).label, "group": group},
    )


@login_required
@require_POST
def reset(request: HttpRequest, key: str) -> HttpResponse:
    actor = acting_user(request)
    require(can_configure(actor))
    if key not in DEFINITIONS:
        raise Http404
    if services.setting_reset(actor=actor, key=key):
        messages.success(request, f"{DEFINITIONS[key].label}: back to its default")
    return redirect("configuration:overview")


@login_required
def instrument_upload(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    require(can_configure(actor))
    form = InstrumentUploadForm(posted(request), request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = instrument_file_read(upload.read())
            instrument = instrument_load(
                data=data, actor=actor, activate=form.cleaned_data["activate"]
            )
        except ValidationError as error:
            problems = error.messages
        else:
            state = "now used for new assessments" if instrument.is_active else "loaded, not in use"
            messages.success(request, f"{instrument}: {state}")
            return redirect("configuration:instrument")
    try:
        active: Instrument | None = active_instrument()
    except ValidationError:
        active = None
    return render(
        request,
        "configuration/instrument.html",
        {"form": form, "problems": problems, "active": active},
    )
