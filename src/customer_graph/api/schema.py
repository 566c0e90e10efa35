"""The schema: every type, the caches, and the SDL that ``schema.graphql`` publishes."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

import customer_graph.api.types.enums  # noqa: F401  (registers the enums)
from customer_graph.api.compiled_reads import CompiledReadsExecutor
from customer_graph.api.errors import report
from customer_graph.api.input_limits import InputLimitsCheck
from customer_graph.api.limits import CsrfForMutations, QueryCost, limiters
from customer_graph.api.lru import LruCache
from customer_graph.api.mutations.admin import AdminMutations
from customer_graph.api.mutations.assets import AssetMutations
from customer_graph.api.mutations.billing import BillingMutations
from customer_graph.api.mutations.common import InputProblemsAsUserErrors
from customer_graph.api.mutations.contacts import ContactMutations
from customer_graph.api.mutations.customers import CustomerMutations
from customer_graph.api.mutations.leases import LeaseMutations
from customer_graph.api.mutations.projects import ProjectMutations
from customer_graph.api.mutations.sales import SalesMutations
from customer_graph.api.mutations.sites import SiteMutations
from customer_graph.api.mutations.tickets import SupportTicketMutations
from customer_graph.api.mutations.work import WorkMutations
from customer_graph.api.queries import Query
from customer_graph.api.subscriptions import Subscription
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
from customer_graph.api.validation_cache import ValidationByText
from customer_graph.settings import Settings, get_settings

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


Mutation = merge_types(
    "Mutation",
    (
        CustomerMutations,
        ContactMutations,
        SiteMutations,
        ProjectMutations,
        AssetMutations,
        WorkMutations,
        LeaseMutations,
        SalesMutations,
        BillingMutations,
        SupportTicketMutations,
        AdminMutations,
    ),
)


for _mutation in get_object_definition(Mutation, strict=True).fields:
    if not any(isinstance(e, InputProblemsAsUserErrors) for e in _mutation.extensions):
        _mutation.extensions.append(InputProblemsAsUserErrors())


class CustomerGraphSchema(strawberry.Schema):
    """Reports every error through ``api.errors.report``, which logs it and masks it.

    Strawberry calls ``process_errors`` with every error a response holds, raised in
    parsing, validation, extensions or execution, before it is sent: the one place that
    sees them all (its ``MaskErrors`` extension misses those an extension raises, and
    drops the codes a client needs). A client's error is logged by its message only: for
    a 10,000-token document Strawberry's own log would be 60 kB of excerpt per refusal.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            report(error)


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the depth, alias and token limits of ``settings``.

    Built once per process (Strawberry's relay fields cannot join a second schema), so
    those limits are read from the environment at start-up.
    """
    validated: LruCache[list[GraphQLError]] = LruCache(256)
    return CustomerGraphSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(NODE_CLASSES),
        extensions=[
            *limiters(settings),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationByText(validated),
            QueryCost,
            InputLimitsCheck,
            CsrfForMutations,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=CompiledReadsExecutor,
    )


schema = build_schema(get_settings())


def sdl() -> str:
    return schema.as_str() + "\n"
