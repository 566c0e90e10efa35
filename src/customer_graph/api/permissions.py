"""Strawberry permission classes over the rules in ``domain.permissions``."""

from __future__ import annotations

from typing import Any, ClassVar

import strawberry
from strawberry.permission import BasePermission

from customer_graph.api.context import Info
from customer_graph.domain.permissions import Permission


class RolePermission(BasePermission):
    """Allowed when the actor holds ``required``: decided by what the actor may do alone,
    not by the record or the arguments, so the compiled read path decides it once per
    operation and set of permissions."""

    required: ClassVar[Permission]
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.actor.can(self.required)


class CanViewCustomers(RolePermission):
    message = "You are not allowed to view customers."
    required = Permission.VIEW_CUSTOMERS


class CanViewPayload(BasePermission):
    """A payload's stored data needs the permission to view customers; a null field (the
    change was refused) withholds nothing and is not refused."""

    message = CanViewCustomers.message
    error_extensions = CanViewCustomers.error_extensions

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if getattr(source, info.python_name) is None:
            return True
        return info.context.actor.can(CanViewCustomers.required)


def payload_read(what: str = "The record as it is after the change.") -> Any:
    """A mutation payload's field that shows stored data: a read like any other.

    The change is made all the same; a viewer who may not view customers (a token without
    ``read``) gets null there and a FORBIDDEN error at its path.
    """
    return strawberry.field(
        description=f"{what} Null, with a FORBIDDEN error, for a viewer who may not view "
        "customers (a token without the read scope); the change is made all the same.",
        permission_classes=[CanViewPayload],
    )
