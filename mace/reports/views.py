"""The reports pages (SPEC C9): the annual report with each chart beside its table, and
its downloads. Figures only: no child is named."""

import datetime
import io
import zipfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from mace.access import policy
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.frontend.shortcuts import acting_user, apply_errors, posted
from mace.lib.quarters import Quarter
from mace.reports import annual, dataset, labels, narrative, output, services, suppression, voice
from mace.reports.forms import AnnexAForm, AnnualForm, NarrativeForm, SSDA903Form, SSDForm
from mace.returns import inspection, ssda903

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}


def _last_financial_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end_year = today.year if today.month > 3 else today.year - 1
    return datetime.date(end_year - 1, 4, 1), datetime.date(end_year, 3, 31)


def _anonymised(user: Any) -> bool:
    """Whether this user gets only suppressed figures, for whole quarters (issue 16)."""
    return not policy.sees_unsuppressed_report_figures(user)


def _form_page(request: HttpRequest, form: AnnualForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "anonymised": form.anonymised,
        "minimum_days": suppression.minimum_report_days(),
        "suppressed_below": suppression.threshold(),
        "may_download_returns": policy.can_download_statutory_returns(request.user),  # type: ignore[arg-type]
    }
    return render(request, "reports/index.html", context, status=status)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_run_reports(request.user))  # type: ignore[arg-type]
    start, end = _last_financial_year(datetime.date.today())
    form = AnnualForm(initial={"start": start, "end": end}, anonymised=_anonymised(request.user))
    return _form_page(request, form)


@require_GET
def annual_report(request: HttpRequest) -> HttpResponse:
    actor = request.user
    policy.require(policy.can_run_reports(actor))  # type: ignore[arg-type]
    anonymised = _anonymised(actor)
    form = AnnualForm(request.GET, anonymised=anonymised)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    period = annual.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    report = annual.build(period)
    publish = bool(form.cleaned_data.get("publish"))
    if publish or anonymised:
        report = suppression.published(report)
    written = narrative.for_period(period)
    fmt = request.GET.get("format", "")
    if fmt in output.FORMATS:
        audit_record(
            actor=actor,  # type: ignore[arg-type]
            action=AuditEvent.Action.EXPORT,
            object_type="report.annual",
            object_id=f"{period.start}..{period.end}",
            summary=f"Downloaded the annual report ({fmt}{_kind(publish, anonymised)})",
        )
        response = HttpResponse(
            output.annual_file(fmt, report, written.texts), content_type=CONTENT_TYPES[fmt]
        )
        name = f"mace-annual-{period.start}-{period.end}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "report": suppression.marked(report),
        "period": period,
        "charts": output.charts(report),
        "labels": labels.page_labels(labels.indicator_names()),
        "query": query.urlencode(),
        "publish": publish,
        "suppressed_below": report.get("suppressed_below"),
        "formats": ["csv", "xlsx", "pdf", "json"],
        "narrative": written,
        "narrative_headings": narrative.SECTIONS,
        "may_write_narrative": policy.can_write_report_narrative(actor),  # type: ignore[arg-type]
    }
    return render(request, "reports/annual.html", context)


def annual_narrative(request: HttpRequest) -> HttpResponse:
    """Write the annual report's narrative for the period in the query (the same query as
    the report's page): a box for each section, saved together, then back to the report."""
    actor = acting_user(request)
    policy.require(policy.can_write_report_narrative(actor))
    period_form = AnnualForm(request.GET, anonymised=_anonymised(actor))
    if not period_form.is_valid():
        return _form_page(request, period_form, status=400)
    period = annual.Period(period_form.cleaned_data["start"], period_form.cleaned_data["end"])
    query = request.GET.copy()
    query.pop("format", None)
    back = f"{reverse('reports:annual')}?{query.urlencode()}"
    written = narrative.for_period(period)
    form = NarrativeForm(posted(request), initial=written.texts)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.report_narrative_save(
                actor=actor, period=period, texts=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "The narrative was saved" if changed else "Nothing was changed in the narrative",
            )
            return redirect(back)
    return render(
        request,
        "reports/narrative.html",
        {"form": form, "period": period, "back": back, "narrative": written},
    )


def _kind(publish: bool, anonymised: bool) -> str:
    return ", published" if publish else ", anonymised" if anonymised else ""


def _quarters(today: datetime.date, count: int = 8) -> list[Quarter]:
    quarter = Quarter.containing(today).previous()
    out = []
    for _ in range(count):
        out.append(quarter)
        quarter = quarter.previous()
    return out


@require_GET
def dataset_report(request: HttpRequest) -> HttpResponse:
    """The quarterly dataset of 003 A7. Restricted items are counted only for cleared roles."""
    actor = request.user
    policy.require(policy.can_run_reports(actor))  # type: ignore[arg-type]
    choices = _quarters(datetime.date.today())
    text = request.GET.get("quarter") or str(choices[0])
    try:
        quarter = Quarter.parse(text)
    except ValueError as exc:
        return render(
            request,
            "reports/dataset.html",
            {"error": str(exc), "choices": choices, "quarter": None},
            status=400,
        )
    cleared = policy.can_see_intelligence(actor)  # type: ignore[arg-type]
    data = dataset.build(quarter, cleared=cleared)
    anonymised = _anonymised(actor)
    publish = request.GET.get("publish") == "on" and not anonymised
    if publish or anonymised:
        data = suppression.dataset_published(data)
    fmt = request.GET.get("format", "")
    if fmt in output.DATASET_FORMATS:
        audit_record(
            actor=actor,  # type: ignore[arg-type]
            action=AuditEvent.Action.EXPORT,
            object_type="report.dataset",
            object_id=str(quarter),
            summary=f"Downloaded the dataset ({fmt}{_kind(publish, anonymised)})",
        )
        response = HttpResponse(output.DATASET_FORMATS[fmt](data), content_type=CONTENT_TYPES[fmt])
        name = f"mace-dataset-{quarter}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {
        "data": data,
        "rows": list(output.labelled_dataset_rows(data)),
        "quarter": quarter,
        "choices": choices,
        "publish": publish,
        "anonymised": anonymised,
        "suppressed_below": data.get("suppressed_below"),
        "formats": ["csv", "xlsx", "pdf", "json"],
    }
    return render(request, "reports/dataset.html", context)


@require_GET
def voice_report(request: HttpRequest) -> HttpResponse:
    """The child's voice over time (issue 20 point 4): the four quarters to the one chosen,
    anonymised; suppressed for analysts, and for anyone who marks it for publication."""
    actor = request.user
    policy.require(policy.can_see_interview_collation(actor))  # type: ignore[arg-type]
    choices = _quarters(datetime.date.today())
    anonymised = _anonymised(actor)
    try:
        quarter = Quarter.parse(request.GET.get("quarter") or str(choices[0]))
    except ValueError as exc:
        failed: dict[str, Any] = {
            "error": str(exc),
            "choices": choices,
            "quarter": None,
            "anonymised": anonymised,
        }
        return render(request, "reports/voice.html", failed, status=400)
    collations = voice.over_time(quarter)
    publish = request.GET.get("publish") == "on" and not anonymised
    if publish or anonymised:
        collations = [suppression.voice_published(c) for c in collations]
    context: dict[str, Any] = {
        "quarter": quarter,
        "choices": choices,
        "publish": publish,
        "anonymised": anonymised,
        **voice.page_context(collations),
    }
    return render(request, "reports/voice.html", context)


PREPARED = {"annual": "reports:annual", "dataset": "reports:dataset"}


@require_GET
def prepare(request: HttpRequest, kind: str) -> HttpResponse:
    """A report that takes more than a moment shows this page while it is counted: it asks
    the browser at once for the report, and the browser keeps showing it until the report
    arrives. No JavaScript; the target is always one of our own report pages."""
    policy.require(policy.can_run_reports(request.user))  # type: ignore[arg-type]
    if kind not in PREPARED:
        raise Http404
    if kind == "annual":
        form = AnnualForm(request.GET, anonymised=_anonymised(request.user))
        if not form.is_valid():
            return _form_page(request, form, status=400)
        what = f"{form.cleaned_data['start']:%-d %B %Y} to {form.cleaned_data['end']:%-d %B %Y}"
    else:
        what = request.GET.get("quarter", "the quarter")
    target = f"{reverse(PREPARED[kind])}?{request.GET.urlencode()}"
    return render(request, "reports/preparing.html", {"target": target, "what": what})


# The statutory returns (issue 19 point 7): the SSDA903 tables, Annex A list 8 and the
# Standard Safeguarding Dataset's missing episodes, as `export_ssda903` and
# `export_inspection` make them. They name children: policy.can_download_statutory_returns.


def _returns_page(
    request: HttpRequest,
    *,
    ssda903_form: SSDA903Form | None = None,
    annex_form: AnnexAForm | None = None,
    ssd_form: SSDForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = datetime.date.today()
    forms = {
        "ssda903_form": ssda903_form or SSDA903Form(today=today),
        "annex_form": annex_form or AnnexAForm(initial={"on": today}),
        "ssd_form": ssd_form
        or SSDForm(initial=dict(zip(("start", "end"), _last_financial_year(today), strict=True))),
    }
    bad = next((form for form in forms.values() if form.is_bound and form.errors), None)
    return render(request, "reports/returns.html", {**forms, "bad": bad}, status=status)


def _may_download_returns(request: HttpRequest) -> None:
    policy.require(policy.can_download_statutory_returns(request.user))  # type: ignore[arg-type]


def _download(
    request: HttpRequest, data: bytes, name: str, content_type: str, what: str, object_id: str
) -> HttpResponse:
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditEvent.Action.EXPORT,
        object_type=f"return.{what}",
        object_id=object_id,
        summary=f"Downloaded {name}",
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def returns(request: HttpRequest) -> HttpResponse:
    _may_download_returns(request)
    return _returns_page(request)


@require_GET
def return_ssda903(request: HttpRequest) -> HttpResponse:
    """The Header, Episodes and Missing tables of the collection year, and what the export
    left out and assumed (counts only), in one zip."""
    _may_download_returns(request)
    form = SSDA903Form(request.GET, today=datetime.date.today())
    if not form.is_valid():
        return _returns_page(request, ssda903_form=form, status=400)
    year = form.cleaned_data["year"]
    try:
        ssda903.child_identifier_kind()
    except ValueError as error:
        form.add_error("year", str(error))
        return _returns_page(request, ssda903_form=form, status=400)
    export = ssda903.export(ssda903.CollectionYear(year))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in export.tables.items():
            archive.writestr(f"{name}.csv", ssda903.as_csv(name, rows))
        archive.writestr("notes.txt", "\r\n".join(export.lines()) + "\r\n")
    name = f"ssda903-{year - 1}-{year % 100:02d}.zip"
    return _download(request, out.getvalue(), name, "application/zip", "ssda903", str(year))


@require_GET
def return_annex_a(request: HttpRequest) -> HttpResponse:
    _may_download_returns(request)
    form = AnnexAForm(request.GET)
    if not form.is_valid():
        return _returns_page(request, annex_form=form, status=400)
    on = form.cleaned_data["on"]
    data = inspection.as_csv(inspection.ANNEX_A_COLUMNS, inspection.annex_a_rows(on))
    return _download(
        request, data, f"annex-a-list-8-{on}.csv", CONTENT_TYPES["csv"], "annex_a", str(on)
    )


@require_GET
def return_ssd(request: HttpRequest) -> HttpResponse:
    _may_download_returns(request)
    form = SSDForm(request.GET)
    if not form.is_valid():
        return _returns_page(request, ssd_form=form, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    data = inspection.as_csv(inspection.SSD_COLUMNS, inspection.ssd_rows(start, end))
    name = f"ssd-missing-{start}-{end}.csv"
    return _download(request, data, name, CONTENT_TYPES["csv"], "ssd", f"{start}..{end}")
