"""The schema: every type, the caches, and the SDL that ``schema.graphql`` publishes."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult, get_object_definition
from strawberry.types.graphql import OperationType

import customer_graph.api.types.enums  # noqa: F401  (registers the enums)
from customer_graph.api.checked_documents import CheckedDocuments, DocumentChecks
from customer_graph.api.compiled.executor import CompiledReadsExecutor
from customer_graph.api.errors import report
from customer_graph.api.input_limits import InputLimitsCheck
from customer_graph.api.limits import CsrfForMutations, QueryCost
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
from customer_graph.api.strawberry_internals import (
    PreExecutionError,
    StreamResult,
    graphql_core_schema,
)
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
from customer_graph.api.types.field_service import (
    Asset,
    Contact,
    Lease,
    Project,
    Site,
    Task,
    WorkOrder,
)
from customer_graph.api.types.history import HistoryEvent
from customer_graph.api.types.people import User
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
    """Refuses what a document's text alone refuses before anything else runs, and reports
    every error a response holds.

    A refusal comes from ``DocumentChecks`` (remembered by the text): a repeated abusive
    document costs a dictionary lookup. Refusing here, not in an extension, lets a
    subscription be refused as the protocol wants (an ``error`` message), where an
    exception raised by an extension would break its stream.

    Errors go through ``api.errors.report``, which logs and masks them. Strawberry calls
    ``process_errors`` with every error a response holds, raised in
    parsing, validation, extensions or execution, before it is sent: the one place that
    sees them all (its ``MaskErrors`` extension misses those an extension raises, and
    drops the codes a client needs). A client's error is logged by its message only: for
    a 10,000-token document Strawberry's own log would be 60 kB of excerpt per refusal.
    """

    def __init__(self, *, settings: Settings, **options: Any) -> None:
        super().__init__(**options)
        self.core = graphql_core_schema(self)
        self.documents = DocumentChecks(self.core, settings)

    def _refusal(self, query: str | None) -> list[GraphQLError] | None:
        errors = self.documents.refusal(query)
        if errors is None:
            return None
        self.process_errors(list(errors))
        return list(errors)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        refused = self._refusal(query)
        if refused is not None:
            return ExecutionResult(data=None, errors=refused)
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> StreamResult:
        refused = self._refusal(query)
        if refused is not None:
            return _one(PreExecutionError(data=None, errors=refused))
        return await super().stream(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types,
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            report(error)


async def _one(result: PreExecutionError) -> AsyncGenerator[PreExecutionError, None]:
    yield result


def build_schema(settings: Settings) -> CustomerGraphSchema:
    """The schema with the limits of ``settings``.

    Built once per process (Strawberry's relay fields cannot join a second schema), so
    the limits a document's text decides are read from the environment at start-up.
    """
    built: CustomerGraphSchema
    built = CustomerGraphSchema(
        settings=settings,
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(NODE_CLASSES),
        extensions=[
            lambda: CheckedDocuments(built.documents),
            QueryCost,
            InputLimitsCheck,
            CsrfForMutations,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=CompiledReadsExecutor,
    )
    return built


schema = build_schema(get_settings())


def sdl() -> str:
    return schema.as_str() + "\n"
