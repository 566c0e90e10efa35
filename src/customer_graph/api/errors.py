"""Errors in responses: what a client caused keeps its message and gets a stable code; what
failed in the server is logged under an error id and reaches the client as that id only.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Collection

from graphql import GraphQLError, GraphQLSyntaxError, Node
from sqlalchemy import exc as sa
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.relay.types import GlobalIDValueError

BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"

log = logging.getLogger("strawberry.execution")

CHANGES_MISSED = "CHANGES_MISSED"


class BadUserInput(GraphQLError):
    def __init__(self, message: str, nodes: Node | Collection[Node] | None = None) -> None:
        super().__init__(message, nodes, extensions={"code": BAD_USER_INPUT})


class ChangesMissed(GraphQLError):
    """A subscription's changes were interrupted: what changed meanwhile was not sent."""

    def __init__(self) -> None:
        super().__init__(
            "Live changes were interrupted, so some may not have been sent. Read the data "
            "again, then subscribe again.",
            extensions={"code": CHANGES_MISSED},
        )


def is_client_error(error: GraphQLError) -> bool:
    """Raised as a GraphQL error (by graphql-core, Strawberry or us), or an id that does not
    decode: the client's to fix, and safe to show."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError | GlobalIDValueError)


SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")
"""SQLite's result codes for a database it cannot use now; its other OperationalErrors
(a missing table, a pattern too complex) are errors in the server."""


def is_database_unavailable(error: BaseException) -> bool:
    """The database could not be reached or could not serve now (down, locked, pool full)."""
    if isinstance(error, sa.DBAPIError):
        if error.connection_invalidated or isinstance(error, sa.InterfaceError):
            return True
        if not isinstance(error, sa.OperationalError):
            return False
        name = getattr(error.orig, "sqlite_errorname", None)
        return name is None or name.startswith(SQLITE_UNAVAILABLE)
    return isinstance(error, sa.TimeoutError | ConnectionError)


def report(error: GraphQLError) -> None:
    """Log ``error`` and make it fit to send, in place (the response holds this object).

    A client's error is logged at debug level by its message, and gets a code if it has
    none. Any other error is logged with its traceback under a new error id, and its
    message, which may hold SQL and its parameters, is replaced by that id.
    """
    if is_client_error(error):
        if error.extensions is None or "code" not in error.extensions:
            error.extensions = {**(error.extensions or {}), "code": client_error_code(error)}
        log.debug("refused: %s", error.message)
        return
    original = error.original_error
    assert original is not None
    error_id = uuid.uuid4().hex
    if is_database_unavailable(original):
        log.error("database unavailable [error id %s]", error_id, exc_info=original)
        message = f"The database is unavailable; try again shortly (reference {error_id})."
        code = SERVICE_UNAVAILABLE
    else:
        log.error("internal error [error id %s]", error_id, exc_info=original)
        message = f"Internal error; reference {error_id}"
        code = INTERNAL_SERVER_ERROR
    error.message = message
    error.extensions = {"code": code, "errorId": error_id}
    error.original_error = None


_VARIABLE_VALUE = re.compile(
    r"Variable '\$\w+' (has invalid value|got invalid value|of (required|non-null) type)"
    r"|Variable values are nested too deeply"
)
"""graphql-core's messages for variables whose values do not fit their types."""


def client_error_code(error: GraphQLError) -> str:
    """The code of a client's error raised without one."""
    if isinstance(error.original_error, StrawberryInputCoercionError | GlobalIDValueError):
        return BAD_USER_INPUT
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    if error.path is not None or _VARIABLE_VALUE.match(error.message):
        return BAD_USER_INPUT
    return "GRAPHQL_VALIDATION_FAILED"
