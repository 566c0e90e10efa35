"""Strawberry permission classes over the rules in ``domain.permissions``."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from customer_graph.api.context import Info
from customer_graph.domain.permissions import Permission


class CanViewCustomers(BasePermission):
    message = "You are not allowed to view customers."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.actor.can(Permission.VIEW_CUSTOMERS)
