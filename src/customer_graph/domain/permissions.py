"""Who may do what: the one place the rules live.

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
    case,
    false,
    func,
    null,
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
    DELETE_RECORDS = "DELETE_RECORDS"
    """Remove a customer's records (contacts, sites, ...) from customers one may edit."""
    VIEW_STAFF_DETAILS = "VIEW_STAFF_DETAILS"
    """See every user's email and role; without it, others' names only (and one's own)."""
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
            Permission.DELETE_RECORDS,
            Permission.VIEW_STAFF_DETAILS,
        }
    ),
    Role.SALES_REP: frozenset(
        {
            Permission.VIEW_CUSTOMERS,
            Permission.CREATE_CUSTOMERS,
            Permission.EDIT_ASSIGNED_CUSTOMERS,
            Permission.DELETE_RECORDS,
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
    "delete": frozenset({Permission.DELETE_RECORDS, Permission.DELETE_CUSTOMERS}),
}
"""``read`` views customers; ``write`` creates and edits them; ``delete`` removes their
records and deletes customers nothing refers to. No scope shows staff emails and roles."""

TOKEN_SCOPES = frozenset(SCOPE_PERMISSIONS)
SCOPE_NEEDS: dict[str, str] = {"delete": "write"}
"""A scope that is given only with another: removing a record is also editing its customer."""


@dataclass(frozen=True)
class Actor:
    """Whoever makes a request: a signed-in user, or an integration with a token."""

    name: str
    permissions: frozenset[Permission]
    user_id: int | None = None
    role: Role | None = None
    token_id: int | None = None
    default_owner_id: int | None = None
    """Owner and manager of the customers this actor creates without naming them: a person
    themselves; an integration the user its token names, or nobody (then they are required)."""

    @classmethod
    def for_user(cls, user_id: int, name: str, role: Role) -> Actor:
        return cls(
            name=name,
            permissions=ROLE_PERMISSIONS[role],
            user_id=user_id,
            role=role,
            default_owner_id=user_id,
        )

    @classmethod
    def for_token(
        cls,
        token_id: int,
        name: str,
        scopes: frozenset[str],
        default_owner_id: int | None = None,
    ) -> Actor:
        permissions = frozenset().union(*(SCOPE_PERMISSIONS[s] for s in scopes & TOKEN_SCOPES))
        return cls(
            name=name,
            permissions=permissions,
            token_id=token_id,
            default_owner_id=default_owner_id,
        )

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

    def can_remove_records(self, owner_id: int, manager_id: int) -> bool:
        """Removing a customer's record deletes it: edit rights on the customer are not enough."""
        return self.can(Permission.DELETE_RECORDS) and self.can_edit_customer(owner_id, manager_id)

    def sees_staff_details(self, user_id: int) -> bool:
        """Whether this viewer sees that user's email and role (everyone sees names)."""
        return self.can(Permission.VIEW_STAFF_DETAILS) or (
            self.user_id is not None and self.user_id == user_id
        )

    def sql_parameters(self) -> dict[str, Any]:
        """The values of the viewer's parameters in SQL (``customer_editable_by_viewer``)."""
        return {
            VIEWER_EDITS_ALL.key: self.can(Permission.EDIT_CUSTOMERS),
            VIEWER_EDITS_AS.key: (
                self.user_id if self.can(Permission.EDIT_ASSIGNED_CUSTOMERS) else None
            ),
            VIEWER_DELETES.key: self.can(Permission.DELETE_CUSTOMERS),
            VIEWER_SEES_STAFF.key: self.can(Permission.VIEW_STAFF_DETAILS),
            VIEWER_USER.key: self.user_id,
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

    def require_remove_records(self, owner_id: int, manager_id: int) -> None:
        self.require_edit_customer(owner_id, manager_id)
        self.require(Permission.DELETE_RECORDS)


VIEWER_EDITS_ALL = bindparam("viewer_edits_all", type_=Boolean)
VIEWER_EDITS_AS = bindparam("viewer_edits_as", type_=Integer)
VIEWER_DELETES = bindparam("viewer_deletes", type_=Boolean)
VIEWER_SEES_STAFF = bindparam("viewer_sees_staff", type_=Boolean)
VIEWER_USER = bindparam("viewer_user", type_=Integer)
"""The viewer's part of a rule, bound when a statement runs (``Actor.sql_parameters``), so
that one compiled statement serves every viewer."""


def customer_editable_by_viewer(
    owner_id: SQLColumnExpression[int], manager_id: SQLColumnExpression[int]
) -> ColumnElement[bool]:
    """``Actor.can_edit_customer`` as SQL over a customer row."""
    assigned = or_(owner_id == VIEWER_EDITS_AS, manager_id == VIEWER_EDITS_AS)
    return func.coalesce(or_(VIEWER_EDITS_ALL, assigned), false())


def staff_detail_for_viewer(
    user_id: SQLColumnExpression[int], detail: SQLColumnExpression[Any]
) -> ColumnElement[Any]:
    """``detail`` of a user where ``Actor.sees_staff_details`` allows it, else null, in SQL."""
    visible = func.coalesce(or_(VIEWER_SEES_STAFF, user_id == VIEWER_USER), false())
    return case((visible, detail), else_=null())


_REFUSALS = {
    Permission.VIEW_CUSTOMERS: "You are not allowed to view customers.",
    Permission.CREATE_CUSTOMERS: "You are not allowed to create customers.",
    Permission.EDIT_CUSTOMERS: "You are not allowed to edit customers.",
    Permission.EDIT_ASSIGNED_CUSTOMERS: "You are not allowed to edit customers.",
    Permission.DELETE_CUSTOMERS: "You are not allowed to delete customers; archive them instead.",
    Permission.DELETE_RECORDS: "You are not allowed to remove records; a token needs the delete "
    "scope.",
    Permission.VIEW_STAFF_DETAILS: "You are not allowed to see other users' emails and roles.",
    Permission.MANAGE_USERS: "Only administrators manage users.",
    Permission.MANAGE_TOKENS: "Only administrators manage API tokens.",
}
