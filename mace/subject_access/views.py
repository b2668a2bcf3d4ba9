"""The child's subject access export page and its download. Thin: the service checks,
collects, renders and audits. The zip is named by the child's MACE reference only."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from mace.access import policy
from mace.frontend.shortcuts import acting_user
from mace.people.models import Child
from mace.people.shortcuts import with_child
from mace.subject_access import render as export_files
from mace.subject_access import services
from mace.subject_access.sources import AUDIT_HEADING, SOURCES


@require_GET
@with_child
def page(request: HttpRequest, child: Child) -> HttpResponse:
    actor = acting_user(request)
    policy.require(policy.can_export_subject_access(actor, child))
    context = {
        "child": child,
        "headings": [source.heading for source in SOURCES] + [AUDIT_HEADING],
        "intelligence_cleared": policy.can_see_intelligence(actor),
        "json_name": export_files.JSON_NAME,
        "pdf_name": export_files.PDF_NAME,
        "for_review": export_files.FOR_REVIEW,
    }
    return render(request, "subject_access/page.html", context)


@require_POST
@with_child
def download(request: HttpRequest, child: Child) -> HttpResponse:
    try:
        content = services.subject_access_export(actor=acting_user(request), child=child)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("subject_access:page", public_id=child.public_id)
    reference = re.sub(r"[^A-Za-z0-9-]", "", child.reference)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{reference}-subject-access.zip"'
    return response
