"""The names of the roles people are given: the API's, and the short ones people type."""

from __future__ import annotations

from customer_graph.db.enums import Role
from customer_graph.domain.errors import DomainError, ErrorCode

SHORT_ROLE_NAMES: dict[Role, str] = {
    Role.ADMIN: "admin",
    Role.SALES_MANAGER: "manager",
    Role.SALES_REP: "rep",
    Role.SUPPORT: "support",
}
"""What the command line and the README call each role; the API says ``Role.value``."""

ROLE_SUMMARIES: dict[Role, str] = {
    Role.ADMIN: "everything, users and tokens",
    Role.SALES_MANAGER: "view, create, edit and delete any customer",
    Role.SALES_REP: "view all, create customers, edit those they own or manage",
    Role.SUPPORT: "view only",
}
"""What each role may do, in a sentence (``permissions.ROLE_PERMISSIONS`` is the rule)."""

_ROLES_BY_NAME: dict[str, Role] = {
    **{role.value.lower(): role for role in Role},
    **{short: role for role, short in SHORT_ROLE_NAMES.items()},
}

ROLE_CHOICES = ", ".join(f"{short} ({role.value})" for role, short in SHORT_ROLE_NAMES.items())
"""Every role by both its names, for help texts and refusals."""


def role_named(name: str) -> Role:
    """The role called ``name``: its API name or its short name, in any case."""
    role = _ROLES_BY_NAME.get(name.strip().lower().replace("-", "_"))
    if role is None:
        raise DomainError(
            ErrorCode.INVALID, f"{name[:40]!r} is not a role: give one of {ROLE_CHOICES}.", "role"
        )
    return role


def roles_described() -> str:
    """Each role, its short name and what it may do, for the schema's description."""
    return " ".join(
        f"{role.value} ({SHORT_ROLE_NAMES[role]}): {ROLE_SUMMARIES[role]}." for role in Role
    )
