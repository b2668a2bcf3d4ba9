"""Pages of panels (SPEC C7): the panels and their dates, a meeting's agenda, each child's
discussion, attendance, the minutes, the printable pack, the panels' settings, and a
child's actions. Thin: selectors decide what the user may see, mace.meetings.panels
records."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mace.access import policy
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.intelligence.selectors import RESTRICTED_MARKER
from mace.lib.quarters import Quarter
from mace.meetings import forms, panels, selectors
from mace.meetings.models import AgendaItem, MeetingAction, PanelAction, PanelSeries
from mace.people.models import Child
from mace.people.shortcuts import with_child
from mace.reports import suppression, voice


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_use_panels(actor))
    today = timezone.localdate()
    series = selectors.panels_for(actor=actor) if policy.sees_identifiable_data(actor) else []
    context = {
        "panels": [(s, selectors.schedule(s, today)) for s in series],
        "today": today,
        "can_run": policy.can_run_panel(actor, None),
        "can_keep": policy.can_keep_panel_settings(actor),
        "all_series": PanelSeries.objects.all() if policy.can_keep_panel_settings(actor) else [],
    }
    return render(request, "meetings/index.html", context)


@require_POST
def meeting_open(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    series = selectors.series_get(actor=actor, public_id=public_id)
    try:
        day = datetime.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        raise Http404 from None
    held = series.meetings.filter(date=day).first()
    if held is None and day < timezone.localdate():
        # Not offered on the panels page: an agenda is built from the records before a
        # meeting, and a date gone by without one would be built from today's.
        messages.error(
            request,
            f"The meeting of {day:%-d %B %Y} has passed without being opened in MACE: "
            "its agenda can no longer be built. Open the next meeting instead.",
        )
        return redirect("meetings:index")
    try:
        meeting = held or panels.panel_meeting_open(actor=actor, series=series, day=day)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:index")
    if meeting.agenda_built_at is None and series.kind == PanelSeries.Kind.MONITORING:
        count = panels.agenda_build(actor=actor, meeting=meeting)
        messages.success(request, f"Agenda built: {count} item{'s' if count != 1 else ''}")
    return redirect("meetings:meeting", public_id=meeting.public_id)


@require_GET
def meeting(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.meeting_get(actor=actor, public_id=public_id)
    context: dict[str, Any] = {
        "meeting": found,
        "series": found.series,
        "attendance": found.attendance.select_related("user", "agency"),
        "can_run": policy.can_run_panel(actor, found.series),
        "can_agree": policy.can_agree_minutes(actor, found),
        "closed": found.minutes_agreed_at is not None,
    }
    if found.series.kind == PanelSeries.Kind.MASE:
        quarter = Quarter.containing(found.date).previous()
        context.update(
            quarter=quarter,
            profile=selectors.borough_profile(actor=actor, start=quarter.start, end=quarter.end),
            restricted_marker=RESTRICTED_MARKER,
        )
    else:
        sections = selectors.agenda(actor=actor, meeting=found)
        context.update(
            sections=sections,
            plan=selectors.agenda_plan(meeting=found, sections=sections),
        )
        if policy.can_see_interview_collation_at_meeting(actor, found.series):
            context.update(_voice_of_the_child(actor, found.date))
    return render(request, "meetings/meeting.html", context)


def _voice_of_the_child(actor: Any, day: datetime.date) -> dict[str, Any]:
    """The child's voice over time for a monitoring meeting (SPEC C3: return interviews'
    themes "collated quarterly for the monitoring meeting"; issue 20 point 4): the four
    quarters to the last one ended before the meeting, anonymised, and suppressed for all
    but those who see report figures as counted."""
    quarter = Quarter.containing(day).previous()
    collations = voice.over_time(quarter)
    if not policy.sees_unsuppressed_report_figures(actor):
        collations = [suppression.voice_published(c) for c in collations]
    return {
        "voice_quarter": quarter,
        "may_run_reports": policy.can_see_interview_collation(actor),
        **voice.page_context(collations),
    }


@require_POST
def agenda_rebuild(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.meeting_get(actor=actor, public_id=public_id)
    try:
        count = panels.agenda_build(actor=actor, meeting=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Agenda built: {count} item{'s' if count != 1 else ''}")
    return redirect("meetings:meeting", public_id=found.public_id)


@require_http_methods(["GET", "POST"])
def discussion(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.meeting_get(actor=actor, public_id=public_id)
    policy.require(policy.can_run_panel(actor, found.series))
    item = get_object_or_404(AgendaItem.objects.select_related("child"), pk=item_id, meeting=found)
    decision = policy.can_view_child(actor, item.child)
    policy.require(decision.allowed)
    if decision.needs_reason:  # a restricted record: the reason first, as on the record
        return redirect("people:reason", public_id=item.child.public_id)
    initial: dict[str, Any] = {"discussion": item.discussion, "decisions": item.decisions}
    views = list(item.risk_views.all())
    for n, view in enumerate(views, start=1):
        if n <= forms.VIEW_ROWS:
            initial.update(
                {
                    f"view_{n}_agency": view.agency,
                    f"view_{n}_level": view.level,
                    f"view_{n}_note": view.note,
                }
            )
    present = selectors.agencies_present(meeting=found)
    if not views:  # the agencies at the table, each with a row for its view
        for n, agency in enumerate(present[: forms.VIEW_ROWS], start=1):
            initial[f"view_{n}_agency"] = agency
    form = forms.DiscussionForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            panels.discussion_record(
                actor=actor,
                item=item,
                discussion=form.cleaned_data["discussion"],
                decisions=form.cleaned_data["decisions"],
                views=form.views(),
                actions=form.actions(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Discussion of {item.child.reference} recorded")
            return redirect(
                reverse("meetings:meeting", kwargs={"public_id": found.public_id})
                + f"#item-{item.pk}"
            )
    context = {
        "form": form,
        "meeting": found,
        "item": item,
        "child": item.child,
        "actions": item.actions.select_related("owner"),
        "present": present,
        "title": "Record the discussion",
    }
    return render(request, "meetings/discussion.html", context)


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.meeting_get(actor=actor, public_id=public_id)
    policy.require(policy.can_run_panel(actor, found.series))
    form = forms.AttendanceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            panels.attendee_add(actor=actor, meeting=found, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Attendance recorded")
            return redirect("meetings:attendance", public_id=found.public_id)
    context = {
        "form": form,
        "meeting": found,
        "attendance": found.attendance.select_related("user", "agency"),
    }
    return render(request, "meetings/attendance.html", context)


@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    found = selectors.meeting_get(actor=actor, public_id=public_id)
    can_run = policy.can_run_panel(actor, found.series)
    can_agree = policy.can_agree_minutes(actor, found)
    policy.require(can_run or can_agree)
    form = forms.MinutesForm(posted(request), initial={"minutes": found.minutes})
    if request.method == "POST":
        step = request.POST.get("step", "save")
        try:
            if step == "agree":
                panels.minutes_agree(actor=actor, meeting=found)
                messages.success(request, "Minutes agreed")
                return redirect("meetings:minutes", public_id=found.public_id)
            if step == "circulate":
                told = panels.minutes_circulate(actor=actor, meeting=found)
                messages.success(request, f"Minutes circulated to {told} people")
                return redirect("meetings:meeting", public_id=found.public_id)
            if form.is_valid():
                panels.minutes_save(
                    actor=actor, meeting=found, minutes=form.cleaned_data["minutes"]
                )
                messages.success(request, "Minutes saved")
                return redirect("meetings:minutes", public_id=found.public_id)
        except ValidationError as error:
            if step == "save":
                apply_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("meetings:minutes", public_id=found.public_id)
    context = {
        "form": form,
        "meeting": found,
        "can_run": can_run,
        "can_agree": can_agree,
        "closed": found.minutes_agreed_at is not None,
        "agree_refusal": panels.minutes_agree_refusal(found) if can_agree else "",
    }
    return render(request, "meetings/minutes.html", context)


@require_GET
def pack(request: HttpRequest, public_id: str) -> HttpResponse:
    """The printable agenda pack (PDF): each child on the agenda, why, and their worker."""
    from mace.documents.render import _pdf

    actor = acting_user(request)
    found = selectors.meeting_get(actor=actor, public_id=public_id)
    sections = selectors.agenda(actor=actor, meeting=found)
    context = {
        "meeting": found,
        "sections": sections,
        "plan": selectors.agenda_plan(meeting=found, sections=sections),
        "attendance": found.attendance.select_related("user", "agency"),
        "generated": timezone.localtime(),
    }
    content = _pdf(render_to_string("meetings/pdf/pack.html", context))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=found,
        summary="Exported the meeting pack (PDF)",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-{found.date:%Y-%m-%d}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def series_settings(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_keep_panel_settings(actor))
    series = get_object_or_404(PanelSeries, public_id=public_id)
    form = forms.SeriesForm(posted(request), initial=forms.SeriesForm.initial_for(series))
    if request.method == "POST" and form.is_valid():
        try:
            panels.panel_series_update(actor=actor, series=series, **form.service_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Panel settings saved")
            return redirect("meetings:index")
    context = {"form": form, "series": series, "title": f"Settings: {series.name}"}
    return render(request, "meetings/settings.html", context)


@require_http_methods(["GET", "POST"])
@with_child
def child_actions(request: HttpRequest, child: Child) -> HttpResponse:
    """The actions agreed for the child at panels and strategy meetings, to mark done."""
    actor = acting_user(request)
    if request.method == "POST":
        kind, ref = request.POST.get("kind"), request.POST.get("action", "")
        try:
            if kind == "panel":
                action = get_object_or_404(PanelAction, public_id=ref, child=child)
                panels.panel_action_complete(
                    actor=actor, action=action, note=request.POST.get("note", "")
                )
            elif kind == "strategy" and ref.isdigit():
                strategy = get_object_or_404(MeetingAction, pk=int(ref), meeting__child=child)
                panels.meeting_action_complete(actor=actor, action=strategy)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Action marked as done")
        return redirect("meetings:actions", public_id=child.public_id)
    found = selectors.actions_for_child(actor=actor, child=child)
    context = {
        "child": child,
        "panel_actions": found.panel,
        "strategy_actions": found.strategy,
        "can_edit": policy.can_edit_child(actor, child),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/child_actions.html", context)


@require_http_methods(["GET", "POST"])
@with_child
def transition(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_edit_child(actor, child) and not child.is_merged)
    form = forms.TransitionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            panels.transition_referral_record(actor=actor, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Referral to adult services recorded")
            return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "title": "Record the referral to adult services"}
    return render(request, "people/add.html", context)
