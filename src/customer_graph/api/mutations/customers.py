"""Customer mutations: create, update, and the lifecycle (deactivate, archive, delete)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError, database_id, run_mutation
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.customer import Customer
from customer_graph.api.types.values import DeactivationCascade
from customer_graph.db.engine import Transaction
from customer_graph.db.enums import CustomerKind, CustomerSegment, PaymentTerms
from customer_graph.domain import customers, lifecycle
from customer_graph.domain.customers import CUSTOMERS
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Written

UNSET: Any = strawberry.UNSET


DEFAULT_OWNER = (
    "An active user. On create, defaults to the signed-in user, or to the default owner of "
    "the token; a token without one must give it."
)


@strawberry.input(description="Only the parts given are changed; null clears a part.")
class AddressInput:
    street1: str | None = UNSET
    street2: str | None = UNSET
    city: str | None = UNSET
    region: str | None = UNSET
    postal_code: str | None = UNSET
    country: str | None = strawberry.field(default=UNSET, description="ISO 3166-1 alpha-2.")


@strawberry.input
class BillingContactInput:
    name: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET


@strawberry.input(description="Fields of a customer; omit a field to leave it as it is.")
class CustomerAttributes:
    customer_number: str | None = strawberry.field(
        default=UNSET, description="Unique. On create, omit it to get the next free number."
    )
    kind: CustomerKind | None = UNSET
    segment: CustomerSegment | None = UNSET
    description: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    contact_title: str | None = UNSET
    address: AddressInput | None = UNSET
    billing_contact: BillingContactInput | None = UNSET
    billing_address: AddressInput | None = UNSET
    payment_terms: PaymentTerms | None = UNSET
    currency: str | None = strawberry.field(default=UNSET, description="ISO 4217, such as USD.")
    shared_folder_url: str | None = UNSET
    notes: str | None = UNSET
    vat_id: str | None = UNSET
    tax_id: str | None = UNSET
    created_on: date | None = strawberry.field(default=UNSET, description="Defaults to today.")
    tags: list[str] | None = UNSET
    owner_id: InputId | None = strawberry.field(default=UNSET, description=DEFAULT_OWNER)
    manager_id: InputId | None = strawberry.field(default=UNSET, description=DEFAULT_OWNER)


@crud.creates(CUSTOMERS)
@strawberry.input(description="A new customer: only the name is needed; the rest has defaults.")
class CreateCustomerInput(CustomerAttributes):
    name: str


@crud.updates(CUSTOMERS)
@strawberry.input
class UpdateCustomerInput(CustomerAttributes):
    id: InputId
    expected_version: int = strawberry.field(
        description="The version you edited; if someone saved since, nothing is changed."
    )
    name: str | None = UNSET


@strawberry.input(description="A lifecycle step for one customer.")
class CustomerLifecycleInput:
    id: InputId
    expected_version: int | None = strawberry.field(
        default=None, description="When given, refuse if someone saved since."
    )


@strawberry.input
class DeleteCustomerInput:
    id: InputId


@strawberry.type
class CustomerPayload:
    customer: Customer | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class DeactivateCustomerPayload:
    customer: Customer | None = payload_read()
    cascade: DeactivationCascade | None = payload_read(
        "What the deactivation deactivated and cancelled."
    )
    user_errors: list[UserError]


@strawberry.type
class DeleteCustomerPayload:
    deleted_customer_id: relay.GlobalID | None
    user_errors: list[UserError]


def _customer_id(global_id: str) -> int:
    found = database_id(global_id, "Customer", "id")
    assert found is not None
    return found


@dataclass(frozen=True)
class Deactivated:
    record_id: int
    cascade: lifecycle.Cascade


LifecycleStep = Callable[[Transaction, Actor, int, int | None], Awaitable[Written]]


async def _run_lifecycle(
    info: Info, data: CustomerLifecycleInput, step: LifecycleStep
) -> CustomerPayload:
    async def command(session: Transaction, actor: Actor) -> Written:
        return await step(session, actor, _customer_id(data.id), data.expected_version)

    outcome = await run_mutation(info, command, "Customer")
    return CustomerPayload(customer=outcome.record, user_errors=outcome.user_errors)


@strawberry.type
class CustomerMutations:
    @strawberry.mutation(description="Add a customer; it starts ACTIVE.")
    async def create_customer(self, info: Info, input: CreateCustomerInput) -> CustomerPayload:
        outcome = await crud.write(info, input)
        return CustomerPayload(customer=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change a customer's fields, if nobody saved since.")
    async def update_customer(self, info: Info, input: UpdateCustomerInput) -> CustomerPayload:
        outcome = await crud.write(info, input)
        return CustomerPayload(customer=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(
        description="Deactivate a customer and, in the same transaction, deactivate its "
        "sites and cancel its contracts, open work orders and their tasks."
    )
    async def deactivate_customer(
        self, info: Info, input: CustomerLifecycleInput
    ) -> DeactivateCustomerPayload:
        async def command(session: Transaction, actor: Actor) -> Deactivated:
            customer_id = _customer_id(input.id)
            cascade = await lifecycle.deactivate_customer(
                session, actor, customer_id, input.expected_version
            )
            return Deactivated(customer_id, cascade)

        outcome = await run_mutation(info, command, "Customer")
        cascade = outcome.result.cascade if outcome.result else None
        return DeactivateCustomerPayload(
            customer=outcome.record,
            cascade=DeactivationCascade(**vars(cascade)) if cascade else None,
            user_errors=outcome.user_errors,
        )

    @strawberry.mutation(description="Make a customer ACTIVE again; cancelled things stay so.")
    async def reactivate_customer(
        self, info: Info, input: CustomerLifecycleInput
    ) -> CustomerPayload:
        return await _run_lifecycle(info, input, lifecycle.reactivate_customer)

    @strawberry.mutation(
        description="Hide a customer from lists and pickers; a search still finds it."
    )
    async def archive_customer(self, info: Info, input: CustomerLifecycleInput) -> CustomerPayload:
        return await _run_lifecycle(info, input, lifecycle.archive_customer)

    @strawberry.mutation(description="Show an archived customer in lists again.")
    async def unarchive_customer(
        self, info: Info, input: CustomerLifecycleInput
    ) -> CustomerPayload:
        return await _run_lifecycle(info, input, lifecycle.unarchive_customer)

    @strawberry.mutation(
        description="Delete a customer nothing refers to; otherwise REFERENCED says what does."
    )
    async def delete_customer(
        self, info: Info, input: DeleteCustomerInput
    ) -> DeleteCustomerPayload:
        async def command(session: Transaction, actor: Actor) -> Written:
            return await customers.delete_customer(session, actor, _customer_id(input.id))

        outcome = await run_mutation(info, command, "Customer", read_back=False)
        return DeleteCustomerPayload(
            deleted_customer_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
