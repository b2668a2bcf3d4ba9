"""The audit trail search page. The form is POSTed so that names stay out of URLs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mace.access import policy
from mace.accounts.models import User
from mace.audit.forms import AuditSearchForm
from mace.audit.selectors import AUDIT_PAGE_SIZE, audit_search
from mace.lib.http import posted


def search(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    policy.require(policy.can_read_audit(actor))
    form = AuditSearchForm(posted(request))
    events = None
    matched: list[object] = []
    if request.method == "POST" and form.is_valid():
        found, matched_children = audit_search(actor=actor, **form.cleaned_data)
        events = list(found[:AUDIT_PAGE_SIZE])
        matched = list(matched_children)
    context = {"form": form, "events": events, "matched": matched, "limit": AUDIT_PAGE_SIZE}
    return render(request, "audit/search.html", context)
