"""Every table of the product, importable from one place."""

from customer_graph.db.models.commercial import (
    Contract,
    Invoice,
    Opportunity,
    Order,
    PriceSchedule,
    SupportTicket,
)
from customer_graph.db.models.counters import COUNTERS, CUSTOMER_NUMBER_SEQUENCE
from customer_graph.db.models.customers import Contact, Customer, CustomerTag
from customer_graph.db.models.field_service import Asset, Lease, Project, Site, Task, WorkOrder
from customer_graph.db.models.history import HistoryEvent
from customer_graph.db.models.people import ApiToken, LoginFailure, User, UserSession

__all__ = [
    "COUNTERS",
    "CUSTOMER_NUMBER_SEQUENCE",
    "ApiToken",
    "Asset",
    "Contact",
    "Contract",
    "Customer",
    "CustomerTag",
    "HistoryEvent",
    "Invoice",
    "Lease",
    "LoginFailure",
    "Opportunity",
    "Order",
    "PriceSchedule",
    "Project",
    "Site",
    "SupportTicket",
    "Task",
    "User",
    "UserSession",
    "WorkOrder",
]
