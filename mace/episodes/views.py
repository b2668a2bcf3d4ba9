"""Pages for missing episodes and what follows them: return, risk, notifications,
safe-and-well, the return interview and strategy meetings. Thin: services hold the rules."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import User
from mace.audit.models import AuditEvent
from mace.episodes import forms, services
from mace.episodes.models import Episode, EpisodeNotification
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.lib.concurrency import EditConflict
from mace.meetings import services as meeting_services
from mace.meetings.models import StrategyMeeting
from mace.people import selectors
from mace.people.models import Child, LegalStatusKind
from mace.people.shortcuts import with_child
from mace.worklist import next_steps
from mace.worklist.models import DueItem
from mace.worklist.rules import RULES_BY_CODE
from mace.worklist.selectors import due_state
from mace.worklist.thresholds import thresholds

Stage = EpisodeNotification.Stage


def open_episode(request: HttpRequest, public_id: str) -> Episode | HttpResponse:
    """The episode, if the requesting user may open its child's record; else the page that
    asks for their reason (a restricted record), or a 404 or 403."""
    episode = get_object_or_404(
        Episode.objects.select_related("child", "placement__placing_authority"),
        public_id=public_id,
    )
    try:
        selectors.child_get(actor=acting_user(request), public_id=episode.child.public_id)
    except selectors.ReasonRequired:
        return redirect("people:reason", public_id=episode.child.public_id)
    return episode


@with_child
def report(request: HttpRequest, child: Any) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_record_episode(actor, child))
    form = forms.EpisodeReportForm(
        posted(request), may_grade=policy.can_grade_police_risk(actor, child)
    )
    open_episode = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        companions = []
        for reference in form.references():
            found = selectors.child_lookup_by_reference(actor=actor, reference=reference)
            if found is None:
                form.add_error("with_children", f"There is no child with reference {reference}")
            else:
                companions.append(found)
        if not form.errors:
            data.pop("with_children")
            try:
                episode = services.episode_report(
                    actor=actor, child=child, with_children=companions, **data
                )
            except services.AlreadyMissing as error:
                # Issue 18 point 7: the summary links to the episode already open.
                open_episode = error.open_episode
                form.add_error(None, error.messages)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, f"{child.reference} reported {episode.get_kind_display().lower()}"
                )
                _what_happens_next(request, episode)
                return redirect("episodes:detail", public_id=episode.public_id)
    context = {"form": form, "child": child, "open_episode": open_episode}
    return render(request, "episodes/report.html", context)


def _what_happens_next(request: HttpRequest, episode: Episode) -> None:
    """A high-risk episode's deadline as a banner on the next page (issue 19 point 6)."""
    for line in next_steps.after_episode(episode):
        messages.warning(request, line)


def _fields_in_words(model: type[Model], names: Iterable[str]) -> str:
    """The fields a change touched, by their labels ("Where found, Circumstances"), never
    their names in the code; a name that is no field of the model reads as words."""
    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        verbose = getattr(field, "verbose_name", None)
        label = str(verbose) if verbose else name.replace("_", " ")
        labels.append(label[:1].upper() + label[1:])
    return ", ".join(sorted(labels)) if labels else ""


def _timeline(episode: Episode) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [
        {"at": episode.last_seen_at, "title": "Last seen", "text": episode.last_seen_location},
        {"at": episode.reported_at, "title": "Reported", "text": episode.reported_by},
    ]
    for grading in episode.risk_gradings.select_related("graded_by__agency"):
        events.append(
            {
                "at": grading.graded_at,
                "title": f"Police risk graded {grading.get_grade_display().lower()}",
                "text": grading.reason,
                "by": grading.graded_by,
            }
        )
    for note in episode.notifications.select_related("recorded_by__agency"):
        told = "told" if note.notified_at else "not told"
        stage = note.get_stage_display().lower()
        events.append(
            {
                "at": note.notified_at or note.created_at,
                "title": f"{note.get_recipient_display()} {told} ({stage})",
                "text": note.method or note.not_notified_reason,
                "by": note.recorded_by,
            }
        )
    if episode.returned_at:
        events.append(
            {
                "at": episode.returned_at,
                "title": "Found or returned",
                "text": " ".join(
                    p for p in (episode.get_return_method_display(), episode.found_location) if p
                ),
            }
        )
    check = getattr(episode, "safe_and_well", None)
    if check is not None:
        events.append(
            {
                "at": check.conducted_at,
                "title": "Safe-and-well interview",
                "text": check.findings,
                "by": check.officer,
            }
        )
    interview = getattr(episode, "return_interview", None)
    if interview is not None:
        events.append(
            {
                "at": interview.referred_at,
                "title": (
                    f"Referred for a return interview to {interview.provider.name}"
                    if interview.provider
                    else "Return interview recorded, provider not known"
                    if interview.provider_not_known
                    else "Return interview arranged by the placing authority"
                ),
                "text": interview.provider_rule,
                "by": interview.referred_by,
            }
        )
        for offer in interview.offers.select_related("recorded_by__agency"):
            events.append(
                {
                    "at": offer.offered_at,
                    "title": f"Return interview offered: {offer.get_response_display().lower()}",
                    "text": offer.notes,
                    "by": offer.recorded_by,
                }
            )
        if interview.completed_at:
            events.append(
                {
                    "at": interview.completed_at,
                    "title": "Return interview held",
                    "by": interview.worker,
                }
            )
    if episode.health_assessment_recorded_at:
        offered = episode.health_assessment_offered
        events.append(
            {
                "at": episode.health_assessment_recorded_at,
                "title": "Health assessment offered"
                if offered
                else "Health assessment not offered",
                "text": "" if offered else episode.health_assessment_not_offered_reason,
                "by": episode.health_assessment_recorded_by,
            }
        )
    for meeting in episode.strategy_meetings.all():
        events.append(
            {
                "at": meeting.held_at,
                "title": "Strategy meeting",
                "text": "Section 47 threshold met"
                if meeting.s47_enquiry
                else "Section 47 threshold not met",
                "by": meeting.recorded_by,
            }
        )
    changes = (
        AuditEvent.objects.filter(
            object_type="episodes.episode", object_id=str(episode.public_id), action="change"
        )
        .exclude(summary__startswith="Police risk")
        .select_related("actor__agency")
    )
    changes = changes.exclude(
        summary__in=[services.HEALTH_ASSESSMENT_OFFERED, services.HEALTH_ASSESSMENT_NOT_OFFERED]
    )
    for change in changes:
        events.append(
            {
                "at": change.at,
                "title": "Episode changed",
                "text": _fields_in_words(Episode, (change.after or {}).keys()),
                "by": change.actor,
            }
        )
    return sorted(events, key=lambda e: e["at"], reverse=True)


def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    opened = open_episode(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    episode = opened
    actor = acting_user(request)
    child = episode.child
    now = timezone.now()
    due_items = list(DueItem.objects.filter(episode=episode).select_related("assignee", "team"))
    items = [
        {
            "item": item,
            "state": due_state(item, now),
            "source": RULES_BY_CODE[item.rule].source if item.rule in RULES_BY_CODE else "",
        }
        for item in due_items
    ]
    context = {
        "episode": episode,
        "child": child,
        "risk": episode.current_risk,
        "gradings": episode.risk_gradings.all(),
        "with_children": episode.with_children.all(),
        "interview": getattr(episode, "return_interview", None),
        "safe_and_well": getattr(episode, "safe_and_well", None),
        "timeline": _timeline(episode),
        "items": items,
        "duration": (episode.returned_at or now) - episode.last_seen_at,
        "can_record": policy.can_record_episode(actor, child),
        "can_grade": policy.can_grade_police_risk(actor, child),
        "can_safe_and_well": policy.can_record_safe_and_well(actor, child),
        "can_interview": policy.can_record_return_interview(actor, child),
        "can_health_assessment": policy.can_record_health_assessment_offer(actor, child),
        # T12 applies (a child placed by another authority has returned), or was recorded.
        "health_assessment_due": episode.health_assessment_recorded_at is not None
        or any(item.rule == "T12" for item in due_items),
        "can_meet": policy.can_edit_child(actor, child),
        "factor_labels": dict(forms.FACTOR_CHOICES),
        "home_ons_code": thresholds().home_authority_ons_code,
    }
    return render(request, "episodes/detail.html", context)


@dataclass(frozen=True)
class Action:
    """One 'record something about this episode' page: its form, who may use it, the service
    that records it, its first values and what to say once done. `episode_action_page` shows
    and runs it; the return interview pages are Actions too (mace.interviews.views)."""

    title: str
    form: type[BaseForm]
    allowed: Callable[[User, Episode], bool]
    run: Callable[[User, Episode, dict[str, Any]], Any]
    initial: Callable[[Episode], dict[str, Any]] = lambda episode: {}
    done: str = "Saved"
    # Whether what it records can make the episode high risk (T4), so the page that
    # follows says what happens next.
    next_steps: bool = False


def _return(actor: User, episode: Episode, data: dict[str, Any]) -> Any:
    version = data.pop("version")
    return services.episode_record_return(
        actor=actor, episode=episode, expected_version=version, **data
    )


def _return_initial(episode: Episode) -> dict[str, Any]:
    return {
        "version": episode.version,
        "returned_at": episode.returned_at,
        "return_method": episode.return_method,
        "found_by": episode.found_by,
        "found_location": episode.found_location,
        "where_been": episode.where_been,
        "who_with_while_missing": episode.who_with_while_missing,
        "unsafe_to_return_home": episode.unsafe_to_return_home,
        "push_pull_factors": episode.push_pull_factors,
    }


def _strategy_meeting(actor: User, episode: Episode, data: dict[str, Any]) -> Any:
    return strategy_meeting_from_form(actor, episode.child, episode, data)


def strategy_meeting_from_form(
    actor: User, child: Child, episode: Episode | None, data: dict[str, Any]
) -> Any:
    """Record a strategy meeting from StrategyMeetingForm's cleaned data."""
    actions = []
    for n in range(1, forms.ACTION_ROWS + 1):
        heading = data.pop(f"action_{n}_heading")
        description = data.pop(f"action_{n}_description")
        owner = data.pop(f"action_{n}_owner")
        due = data.pop(f"action_{n}_due_date")
        if heading:
            actions.append(meeting_services.ActionInput(heading, description, due, owner))
    return meeting_services.strategy_meeting_record(
        actor=actor, child=child, episode=episode, actions=actions, **data
    )


def _strategy_meeting_initial(episode: Episode) -> dict[str, Any]:
    looked_after = episode.legal_status == LegalStatusKind.CLA
    reason = StrategyMeeting.Reason
    return {"reason": reason.LOOKED_AFTER_MISSING if looked_after else reason.UNSAFE_TO_RETURN}


def _edit(actor: User, episode: Episode, data: dict[str, Any]) -> Any:
    version = data.pop("version")
    return services.episode_update(actor=actor, episode=episode, expected_version=version, **data)


def _edit_initial(episode: Episode) -> dict[str, Any]:
    names = forms.EpisodeEditForm.base_fields
    return {name: getattr(episode, name) for name in names if name != "version"} | {
        "version": episode.version
    }


ACTIONS: dict[str, Action] = {
    "edit": Action(
        "Change the episode's details",
        forms.EpisodeEditForm,
        lambda a, e: policy.can_record_episode(a, e.child),
        _edit,
        _edit_initial,
        "Episode changed",
    ),
    "found": Action(
        "Record found or returned",
        forms.EpisodeReturnForm,
        lambda a, e: policy.can_record_episode(a, e.child),
        _return,
        _return_initial,
        "Return recorded",
        next_steps=True,
    ),
    "risk": Action(
        "Record the police risk grade",
        forms.RiskGradeForm,
        lambda a, e: policy.can_grade_police_risk(a, e.child),
        lambda a, e, d: services.episode_grade_risk(actor=a, episode=e, **d),
        done="Risk grade recorded",
        next_steps=True,
    ),
    "notification": Action(
        "Record who was told",
        forms.NotificationForm,
        lambda a, e: policy.can_record_episode(a, e.child),
        lambda a, e, d: services.episode_record_notification(actor=a, episode=e, **d),
        lambda e: {"stage": Stage.FOUND if e.returned_at else Stage.MISSING},
        "Recorded",
    ),
    "health-assessment": Action(
        "Record the offer of a health assessment",
        forms.HealthAssessmentForm,
        lambda a, e: policy.can_record_health_assessment_offer(a, e.child),
        lambda a, e, d: services.episode_record_health_assessment(actor=a, episode=e, **d),
        lambda e: {
            "offered": e.health_assessment_offered,
            "not_offered_reason": e.health_assessment_not_offered_reason,
        },
        "Health assessment recorded",
    ),
    "strategy-meeting": Action(
        "Record a strategy meeting",
        forms.StrategyMeetingForm,
        lambda a, e: policy.can_edit_child(a, e.child),
        _strategy_meeting,
        _strategy_meeting_initial,
        "Strategy meeting recorded",
    ),
}


def action(request: HttpRequest, public_id: str, name: str) -> HttpResponse:
    page = ACTIONS.get(name)
    if page is None:
        raise Http404
    return episode_action_page(request, public_id, page)


def episode_action_page(request: HttpRequest, public_id: str, page: Action) -> HttpResponse:
    """Show the page's form for the episode, and record it through its service on POST."""
    opened = open_episode(request, public_id)
    if isinstance(opened, HttpResponse):
        return opened
    episode = opened
    actor = acting_user(request)
    policy.require(page.allowed(actor, episode))
    form = page.form(posted(request), initial=page.initial(episode))
    if request.method == "POST" and form.is_valid():
        try:
            page.run(actor, episode, dict(form.cleaned_data))
        except (ValidationError, EditConflict) as error:
            if isinstance(error, EditConflict):
                form.add_error(None, str(error))
            else:
                apply_errors(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, page.done)
            if page.next_steps:
                episode.refresh_from_db()
                _what_happens_next(request, episode)
            return redirect("episodes:detail", public_id=episode.public_id)
    context = {"form": form, "episode": episode, "child": episode.child, "title": page.title}
    return render(request, "episodes/action.html", context)
