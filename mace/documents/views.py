"""Pages and downloads of documents. Thin: services check, render and audit.

Downloads are attachments named by the child's MACE reference only, never by name, and
are not kept in caches.
"""

import datetime
import functools
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mace.access import policy
from mace.documents import forms, selectors, services
from mace.documents.models import DirectorLetter
from mace.documents.render import long_date
from mace.frontend.shortcuts import acting_user, posted
from mace.interviews.models import ReturnInterview
from mace.people.models import Child
from mace.people.selectors import ReasonRequired, child_get
from mace.people.shortcuts import with_child

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _attachment(content: bytes, *, child: Child, document: str, file_format: str) -> HttpResponse:
    reference = re.sub(r"[^A-Za-z0-9-]", "", child.reference)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{reference}-{document}.{file_format}"'
    return response


def with_letter(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Open the letter for the requesting user (through the child's record, logged)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, public_id: str, **kwargs: Any) -> HttpResponse:
        try:
            letter = selectors.director_letter_get(actor=acting_user(request), public_id=public_id)
        except ReasonRequired as needed:
            return redirect("people:reason", public_id=needed.child.public_id)
        return view(request, letter, **kwargs)

    return wrapper


@require_GET
@with_child
def profile_pdf(request: HttpRequest, child: Child) -> HttpResponse:
    content = services.missing_person_profile_export(actor=acting_user(request), child=child)
    return _attachment(content, child=child, document="missing-person-profile", file_format="pdf")


@require_GET
def return_interview_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The record of the episode's return interview (003 A4), opened as the episode page is:
    through the child's record (logged), a reason first for a restricted one."""
    interview = get_object_or_404(
        ReturnInterview.objects.select_related(
            "episode__child", "worker", "provider", "episode__child__allocated_worker"
        ),
        episode__public_id=public_id,
    )
    actor = acting_user(request)
    try:
        child = child_get(actor=actor, public_id=interview.episode.child.public_id)
    except ReasonRequired:
        return redirect("people:reason", public_id=interview.episode.child.public_id)
    content = services.return_interview_export(actor=actor, interview=interview)
    return _attachment(content, child=child, document="return-interview", file_format="pdf")


def _letters_page(
    request: HttpRequest, child: Child, form: forms.PrepareLetterForm
) -> HttpResponse:
    actor = acting_user(request)
    context = {
        "child": child,
        "form": form,
        "letters": selectors.director_letters_for_child(child),
        "eligibility": selectors.director_letter_eligibility(child),
        "can_prepare": policy.can_prepare_director_letter(actor, child) and not child.is_merged,
    }
    return render(request, "documents/letters.html", context)


@require_GET
@with_child
def letters(request: HttpRequest, child: Child) -> HttpResponse:
    return _letters_page(request, child, forms.PrepareLetterForm())


@require_POST
@with_child
def letter_prepare(request: HttpRequest, child: Child) -> HttpResponse:
    form = forms.PrepareLetterForm(request.POST)
    form.is_valid()
    try:
        letter = services.director_letter_prepare(actor=acting_user(request), child=child)
    except ValidationError as error:
        form.add_error(None, error)
        return _letters_page(request, child, form)
    messages.success(
        request,
        f"Letter to {letter.placing_authority.name} prepared. Download it, check it and send "
        "it for signature",
    )
    return redirect("documents:letters", public_id=child.public_id)


@require_GET
@with_letter
def letter_download(request: HttpRequest, letter: DirectorLetter, file_format: str) -> HttpResponse:
    content = services.director_letter_export(
        actor=acting_user(request),
        letter=letter,
        file_format="docx" if file_format == "docx" else "pdf",
    )
    return _attachment(
        content, child=letter.child, document="director-letter", file_format=file_format
    )


def _sent_at(day: datetime.date) -> datetime.datetime:
    """The moment to record for a letter sent on `day`: now if today, else midday."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@require_http_methods(["GET", "POST"])
@with_letter
def letter_mark_sent(request: HttpRequest, letter: DirectorLetter) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_prepare_director_letter(actor, letter.child))
    form = forms.MarkSentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.director_letter_mark_sent(
                actor=actor, letter=letter, sent_at=_sent_at(form.cleaned_data["sent_on"])
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Letter marked as sent")
            return redirect("documents:letters", public_id=letter.child.public_id)
    context = {
        "form": form,
        "letter": letter,
        "child": letter.child,
        "prepared": long_date(letter.prepared_at),
    }
    return render(request, "documents/mark_sent.html", context)
