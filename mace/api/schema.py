"""The OpenAPI description: every operation documents the one error shape for the statuses
it can return, so clients (and schemathesis) can check error responses too."""

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "status": serializers.IntegerField(),
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(required=False),
            },
        )
    },
)

_ALWAYS = {
    "401": "Not signed in: send `Authorization: Token <your token>`.",
    "403": "Your role may not do this, or the record is restricted.",
    "429": "Too many requests: wait and try again.",
}
_READ_ONE = {"404": "No such record, or not one you may see."}
_WRITE = {
    "400": "Invalid input: `fields` says what to fix; nothing was saved.",
    "409": "Someone else saved the record since you read it; nothing was overwritten.",
}


class MaceAutoSchema(AutoSchema):
    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        method = self.method.upper()
        extra = dict(_ALWAYS)
        if self._is_list_view() is False or method in {"PATCH", "PUT", "DELETE"}:
            extra |= _READ_ONE
        if method in {"POST", "PATCH", "PUT"}:
            extra |= _WRITE
        else:
            extra["400"] = "A filter or page parameter was not valid."
            extra["404"] = _READ_ONE["404"]
        for code, description in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ERROR, description=description), code
                )
        return responses


def _link_kinds() -> list[tuple[str, str]]:
    from mace.intelligence.models import Link

    return list(Link.Kind.choices)


LINK_KINDS = _link_kinds
