"""One error shape for every API failure (issue 8): what went wrong and what to fix.

    {"error": {"status": 409, "code": "edit_conflict", "message": "...", "fields": {...}}}

`fields` maps a field name to its messages, and is present only for invalid input.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from mace.lib.concurrency import EditConflict
from mace.people.selectors import ReasonRequired

_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "edit_conflict",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def body(status_code: int, message: str, code: str = "", fields: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {
        "status": status_code,
        "code": code or _CODES.get(status_code, "error"),
        "message": message,
    }
    if fields:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail: Any) -> Any:
    """DRF's nested ErrorDetail lists as plain strings, keyed by field."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, for every API view."""
    if isinstance(exc, EditConflict):
        return Response(body(409, str(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ReasonRequired):
        return Response(
            body(
                403,
                "This record is restricted. Open it in MACE and give your reason first; "
                "the API then serves it for the time your reason allows.",
                code="reason_required",
            ),
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(
            body(400, "The request was not valid: see fields for what to fix.", fields=fields),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ValueError):
        return Response(body(400, str(exc)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling, which logs no personal data
    detail = getattr(exc, "detail", None)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        response.data = body(
            response.status_code,
            "The request was not valid: see fields for what to fix.",
            fields=fields,
        )
    else:
        message = str(detail) if detail is not None else "Request refused."
        code = getattr(detail, "code", "") if detail is not None else ""
        response.data = body(response.status_code, message, code=_code(response.status_code, code))
    return response


def _code(status_code: int, code: str) -> str:
    if code in {"", "error", "invalid"} or code is None:
        return _CODES.get(status_code, "error")
    return str(code)


@csrf_exempt  # it changes nothing; without this a POST here would get the HTML CSRF page
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ path that names nothing: the same shape, not Django's HTML page."""
    return JsonResponse(
        body(404, "No such API endpoint. The description is at /api/v1/schema/."), status=404
    )
