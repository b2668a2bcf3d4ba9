"""Recording a supervision discussion about a child (T16)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mace.access import policy
from mace.episodes.forms import SupervisionForm
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.meetings import services
from mace.people.shortcuts import with_child


@with_child
def supervision(request: HttpRequest, child: Any) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_record_supervision(actor, child))
    form = SupervisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_record(actor=actor, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Supervision discussion recorded")
            return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "title": "Record a supervision discussion"}
    return render(request, "people/add.html", context)


@with_child
def strategy_meeting(request: HttpRequest, child: Any) -> HttpResponse:
    """A strategy meeting about the child that is not tied to one missing episode: the one
    T13 asks for when a risk assessment finds a risk of significant harm (003 §54)."""
    # Imported here: episodes.views imports this app's services.
    from mace.episodes.forms import StrategyMeetingForm
    from mace.episodes.views import strategy_meeting_from_form

    actor = acting_user(request)
    policy.require(policy.can_edit_child(actor, child) and not child.is_merged)
    form = StrategyMeetingForm(posted(request), initial={"reason": "significant_harm"})
    if request.method == "POST" and form.is_valid():
        try:
            strategy_meeting_from_form(actor, child, None, dict(form.cleaned_data))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Strategy meeting recorded")
            return redirect("people:detail", public_id=child.public_id)
    context = {"form": form, "child": child, "title": "Record a strategy meeting"}
    return render(request, "people/add.html", context)
