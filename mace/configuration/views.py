"""The administrators' settings pages and instrument upload (issue 18 point 5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mace.access.policy import can_configure, can_keep_interview_themes, require
from mace.configuration import selectors, services
from mace.configuration.forms import InstrumentUploadForm, InterviewThemeForm, SettingsForm
from mace.configuration.registry import DEFINITIONS, Group, Kind
from mace.exploitation.instruments import active_instrument, instrument_file_read, instrument_load
from mace.exploitation.models import Instrument
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.interviews import services as interview_services
from mace.interviews.models import InterviewTheme


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


# The partnership's list of return-interview themes (issue 20 point 4)


@login_required
def interview_themes(request: HttpRequest) -> HttpResponse:
    """The themes, in use and retired, how many interviews each codes, and a form to add one."""
    actor = acting_user(request)
    require(can_keep_interview_themes(actor))
    form = InterviewThemeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            theme = interview_services.interview_theme_add(
                actor=actor, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Theme added: {theme.name}")
            return redirect("configuration:interview_themes")
    themes = InterviewTheme.objects.annotate(used=Count("codings"))
    return render(
        request,
        "configuration/interview_themes.html",
        {
            "form": form,
            "in_use": [t for t in themes if not t.is_retired],
            "retired": [t for t in themes if t.is_retired],
        },
    )


@login_required
def interview_theme(request: HttpRequest, public_id: str) -> HttpResponse:
    """Rename a theme; retire it, bring it back, or delete it if no interview is coded with it."""
    actor = acting_user(request)
    require(can_keep_interview_themes(actor))
    theme = get_object_or_404(
        InterviewTheme.objects.annotate(used=Count("codings")), public_id=public_id
    )
    form = InterviewThemeForm(posted(request), initial={"name": theme.name})
    if request.method == "POST":
        action = request.POST.get("action", "rename")
        try:
            if action == "retire":
                interview_services.interview_theme_retire(actor=actor, theme=theme)
                messages.success(request, f"Theme retired: {theme.name}")
                return redirect("configuration:interview_themes")
            if action == "restore":
                interview_services.interview_theme_retire(actor=actor, theme=theme, retired=False)
                messages.success(request, f"Theme back in use: {theme.name}")
                return redirect("configuration:interview_themes")
            if action == "delete":
                interview_services.interview_theme_delete(actor=actor, theme=theme)
                messages.success(request, f"Theme deleted: {theme.name}")
                return redirect("configuration:interview_themes")
            if form.is_valid():
                renamed = interview_services.interview_theme_rename(
                    actor=actor, theme=theme, name=form.cleaned_data["name"]
                )
                messages.success(request, f"Theme saved: {renamed.name}")
                return redirect("configuration:interview_themes")
        except ValidationError as error:
            if action == "rename":
                apply_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("configuration:interview_theme", public_id=theme.public_id)
    return render(request, "configuration/interview_theme.html", {"form": form, "theme": theme})
