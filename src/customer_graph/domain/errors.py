"""What a rule says when it refuses: a code a client can act on, and a message a person reads."""

from __future__ import annotations

import enum


class ErrorCode(enum.Enum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    DUPLICATE = "DUPLICATE"
    CONFLICT = "CONFLICT"
    NOT_ACTIVE = "NOT_ACTIVE"
    REFERENCED = "REFERENCED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    THROTTLED = "THROTTLED"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def taken(field: str) -> DomainError:
    """A unique field's value another record holds, found when the write collided with it
    (a concurrent writer took it after the check)."""
    return DomainError(
        ErrorCode.DUPLICATE, f"This {field.replace('_', ' ')} is taken; choose another.", field
    )


class Forbidden(DomainError):
    def __init__(self, message: str = "You are not allowed to do that.") -> None:
        super().__init__(ErrorCode.FORBIDDEN, message)
