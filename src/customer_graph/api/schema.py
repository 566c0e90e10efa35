"""The schema: every type, the caches, and the SDL that ``schema.graphql`` publishes."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

import customer_graph.api.types.enums  # noqa: F401  (registers the enums)
from customer_graph.api.queries import Query
from customer_graph.api.types.commercial import (
    Contract,
    Invoice,
    Opportunity,
    Order,
    PriceSchedule,
    SupportTicket,
)
from customer_graph.api.types.customer import Customer
from customer_graph.api.types.field import Asset, Contact, Lease, Project, Site, Task, WorkOrder
from customer_graph.api.types.history import HistoryEvent
from customer_graph.api.types.people import User

NODE_CLASSES = (
    User,
    Customer,
    Contact,
    Site,
    Asset,
    Project,
    WorkOrder,
    Task,
    Lease,
    Contract,
    Opportunity,
    Order,
    Invoice,
    SupportTicket,
    PriceSchedule,
    HistoryEvent,
)


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        types=list(NODE_CLASSES),
        extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)],
        config=StrawberryConfig(auto_camel_case=True),
    )


schema = build_schema()


def sdl() -> str:
    return schema.as_str() + "\n"
