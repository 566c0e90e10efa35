"""GraphQL over HTTP (the GraphQL Foundation's specification): media types and status codes.

- ``application/graphql-response+json`` when the client accepts it: request errors (the
  document does not parse or validate, variables do not fit, a limit refuses it) answer
  4xx with no ``data`` entry; a response that has ``data`` answers 200.
- ``application/json`` otherwise (legacy clients): 200 for every well-formed request.
- 406 when the client accepts neither, 415 for a body that is not JSON, 405 for a
  mutation sent with GET.
- 500 (503 when the database is unavailable) in the new media type when the server
  failed before it answered any data.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from customer_graph.api.errors import INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _accepted(header: str) -> list[tuple[str, float]]:
    accepted = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            accepted.append((media.lower(), quality))
    return accepted


def response_media_type(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither."""
    if not accept or not accept.strip():
        return JSON
    ranked = sorted(_accepted(accept), key=lambda item: -item[1])
    for media, _ in ranked:
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None


def is_request_error(response: Mapping[str, Any]) -> bool:
    """No data, and no error tied to a field: the request never started executing."""
    errors = response.get("errors") or []
    return response.get("data") is None and bool(errors) and all("path" not in e for e in errors)


SERVER_ERROR_STATUS = {INTERNAL_SERVER_ERROR: 500, SERVICE_UNAVAILABLE: 503}


def server_error_status(response: Mapping[str, Any]) -> int | None:
    """500 or 503 when the server, not the request, failed before any data was answered."""
    for error in response.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code in SERVER_ERROR_STATUS:
            return SERVER_ERROR_STATUS[code]
    return None


def request_error_status_in(media: str) -> int:
    """A request error answers 400 in the new media type, 200 in the legacy one."""
    return 400 if media == GRAPHQL_RESPONSE else 200


def request_error_status(reason: str) -> int:
    """Strawberry reports malformed requests as text; these are their proper status codes."""
    if "not allowed when using GET" in reason:
        return 405
    if "Unsupported content type" in reason:
        return 415
    return 400


def error_body(message: str, status: int) -> dict[str, Any]:
    """A request refused before GraphQL saw it, coded by its status (``BAD_REQUEST``, ...)."""
    return {"errors": [{"message": message, "extensions": {"code": HTTPStatus(status).name}}]}
