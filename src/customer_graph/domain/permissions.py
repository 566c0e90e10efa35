"""Who may do what (seeds 000 and 003): the one place the rules live.

People act through their role; API tokens act as a named integration through scopes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    SQLColumnExpression,
    bindparam,
    false,
    func,
    or_,
)

from customer_graph.db.enums import Role
from customer_graph.domain.errors import Forbidden


class Permission(enum.Enum):
    VIEW_CUSTOMERS = "VIEW_CUSTOMERS"
    CREATE_CUSTOMERS = "CREATE_CUSTOMERS"
    EDIT_CUSTOMERS = "EDIT_CUSTOMERS"
    """Edit any customer; without it, a SALES_REP may edit only the ones assigned to them."""
    EDIT_ASSIGNED_CUSTOMERS = "EDIT_ASSIGNED_CUSTOMERS"
    DELETE_CUSTOMERS = "DELETE_CUSTOMERS"
    MANAGE_USERS = "MANAGE_USERS"
    MANAGE_TOKENS = "MANAGE_TOKENS"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SALES_MANAGER: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.CREATE_CUSTOMERS,
            Permission.EDIT_CUSTOMERS,
            Permission.EDIT_ASSIGNED_CUSTOMERS,
            Permission.DELETE_CUSTOMERS,
        }
    ),
    Role.SALES_REP: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.CREATE_CUSTOMERS,
            Permission.EDIT_ASSIGNED_CUSTOMERS,
        }
    ),
    Role.SUPPORT: frozenset({Permission.VIEW_CUSTOMERS}),
}

SCOPE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "read": frozenset({Permission.VIEW_CUSTOMERS}),
    "write": frozenset(
        {
            Permission.CREATE_CUSTOMERS,
            Permission.EDIT_CUSTOMERS,
            Permission.EDIT_ASSIGNED_CUSTOMERS,
        }
    ),
}
"""A ``write`` token creates and edits; deleting stays with people who hold that permission."""

TOKEN_SCOPES = frozenset(SCOPE_PERMISSIONS)


@dataclass(frozen=True)
class Actor:
    """Whoever makes a request: a signed-in user, or an integration with a token."""

    name: str
    permissions: frozenset[Permission]
    user_id: int | None = None
    role: Role | None = None
    token_id: int | None = None

    @classmethod
    def for_user(cls, user_id: int, name: str, role: Role) -> Actor:
        return cls(name=name, permissions=ROLE_PERMISSIONS[role], user_id=user_id, role=role)

    @classmethod
    def for_token(cls, token_id: int, name: str, scopes: frozenset[str]) -> Actor:
        permissions = frozenset().union(*(SCOPE_PERMISSIONS[s] for s in scopes & TOKEN_SCOPES))
        return cls(name=name, permissions=permissions, token_id=token_id)

    @property
    def is_token(self) -> bool:
        return self.token_id is not None

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def can_edit_customer(self, owner_id: int, manager_id: int) -> bool:
        """Full editors edit any customer; assigned editors only where owner or manager."""
        if self.can(Permission.EDIT_CUSTOMERS):
            return True
        return self.can(Permission.EDIT_ASSIGNED_CUSTOMERS) and self.user_id in (
            owner_id,
            manager_id,
        )

    def sql_parameters(self) -> dict[str, Any]:
        """The values of the viewer's parameters in SQL (``customer_editable_by_viewer``)."""
        return {
            VIEWER_EDITS_ALL.key: self.can(Permission.EDIT_CUSTOMERS),
            VIEWER_EDITS_AS.key: (
                self.user_id if self.can(Permission.EDIT_ASSIGNED_CUSTOMERS) else None
            ),
            VIEWER_DELETES.key: self.can(Permission.DELETE_CUSTOMERS),
        }

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(_REFUSALS[permission])

    def require_edit_customer(self, owner_id: int, manager_id: int) -> None:
        if not self.can_edit_customer(owner_id, manager_id):
            raise Forbidden(
                "You may edit only customers you own or manage."
                if self.can(Permission.EDIT_ASSIGNED_CUSTOMERS)
                else "You are not allowed to edit customers."
            )


VIEWER_EDITS_ALL = bindparam("viewer_edits_all", type_=Boolean)
VIEWER_EDITS_AS = bindparam("viewer_edits_as", type_=Integer)
VIEWER_DELETES = bindparam("viewer_deletes", type_=Boolean)
"""The viewer's part of a rule, bound when a statement runs (``Actor.sql_parameters``), so
that one compiled statement serves every viewer."""


def customer_editable_by_viewer(
    owner_id: SQLColumnExpression[int], manager_id: SQLColumnExpression[int]
) -> ColumnElement[bool]:
    """``Actor.can_edit_customer`` as SQL over a customer row."""
    assigned = or_(owner_id == VIEWER_EDITS_AS, manager_id == VIEWER_EDITS_AS)
    return func.coalesce(or_(VIEWER_EDITS_ALL, assigned), false())


_REFUSALS = {
    Permission.VIEW_CUSTOMERS: "You are not allowed to view customers.",
    Permission.CREATE_CUSTOMERS: "You are not allowed to create customers.",
    Permission.EDIT_CUSTOMERS: "You are not allowed to edit customers.",
    Permission.EDIT_ASSIGNED_CUSTOMERS: "You are not allowed to edit customers.",
    Permission.DELETE_CUSTOMERS: "You are not allowed to delete customers; archive them instead.",
    Permission.MANAGE_USERS: "Only administrators manage users.",
    Permission.MANAGE_TOKENS: "Only administrators manage API tokens.",
}
