"""Contracts (only for active customers), opportunities and orders of a customer."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError
from customer_graph.api.mutations.crud import UNSET, MoneyInput
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.commercial import Contract, Opportunity, Order
from customer_graph.db.enums import ContractStatus, OpportunityStage, OrderStatus
from customer_graph.domain.commercial import CONTRACTS, OPPORTUNITIES, ORDERS


@strawberry.input(description="Fields of a contract; omit a field to leave it as it is.")
class ContractAttributes:
    end_date: date | None = strawberry.field(
        default=UNSET, description="Not before the start date."
    )
    status: ContractStatus | None = strawberry.field(
        default=UNSET, description="Defaults to DRAFT."
    )


@crud.creates(CONTRACTS)
@strawberry.input(description="A new contract with an active customer.")
class CreateContractInput(ContractAttributes):
    customer_id: InputId
    number: str = strawberry.field(description="Unique across all customers.")
    start_date: date
    value: MoneyInput


@crud.updates(CONTRACTS)
@strawberry.input
class UpdateContractInput(ContractAttributes):
    id: InputId
    number: str | None = strawberry.field(default=UNSET, description="Unique.")
    start_date: date | None = UNSET
    value: MoneyInput | None = UNSET


@strawberry.input
class RemoveContractInput:
    id: InputId


@strawberry.type
class ContractPayload:
    contract: Contract | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveContractPayload:
    removed_contract_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.input(description="Fields of an opportunity; omit a field to leave it as it is.")
class OpportunityAttributes:
    stage: OpportunityStage | None = strawberry.field(
        default=UNSET, description="Defaults to PROSPECTING."
    )
    expected_close_on: date | None = UNSET


@crud.creates(OPPORTUNITIES)
@strawberry.input(description="A new sales opportunity with a customer.")
class CreateOpportunityInput(OpportunityAttributes):
    customer_id: InputId
    name: str
    amount: MoneyInput


@crud.updates(OPPORTUNITIES)
@strawberry.input
class UpdateOpportunityInput(OpportunityAttributes):
    id: InputId
    name: str | None = UNSET
    amount: MoneyInput | None = UNSET


@strawberry.input
class RemoveOpportunityInput:
    id: InputId


@strawberry.type
class OpportunityPayload:
    opportunity: Opportunity | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveOpportunityPayload:
    removed_opportunity_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.input(description="Fields of an order; omit a field to leave it as it is.")
class OrderAttributes:
    status: OrderStatus | None = strawberry.field(default=UNSET, description="Defaults to PENDING.")


@crud.creates(ORDERS)
@strawberry.input(description="A new purchase by a customer.")
class CreateOrderInput(OrderAttributes):
    customer_id: InputId
    number: str = strawberry.field(description="Unique across all customers.")
    ordered_on: date
    total: MoneyInput


@crud.updates(ORDERS)
@strawberry.input
class UpdateOrderInput(OrderAttributes):
    id: InputId
    number: str | None = strawberry.field(default=UNSET, description="Unique.")
    ordered_on: date | None = UNSET
    total: MoneyInput | None = UNSET


@strawberry.input
class RemoveOrderInput:
    id: InputId


@strawberry.type
class OrderPayload:
    order: Order | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveOrderPayload:
    removed_order_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class SalesMutations:
    @strawberry.mutation(description="Add a contract with an active customer.")
    async def create_contract(self, info: Info, input: CreateContractInput) -> ContractPayload:
        outcome = await crud.write(info, input)
        return ContractPayload(contract=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a contract.")
    async def update_contract(self, info: Info, input: UpdateContractInput) -> ContractPayload:
        outcome = await crud.write(info, input)
        return ContractPayload(contract=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove a contract.")
    async def remove_contract(
        self, info: Info, input: RemoveContractInput
    ) -> RemoveContractPayload:
        outcome = await crud.remove(info, CONTRACTS, input)
        return RemoveContractPayload(
            removed_contract_id=outcome.record_global_id, user_errors=outcome.user_errors
        )

    @strawberry.mutation(description="Add a sales opportunity with a customer.")
    async def create_opportunity(
        self, info: Info, input: CreateOpportunityInput
    ) -> OpportunityPayload:
        outcome = await crud.write(info, input)
        return OpportunityPayload(opportunity=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of an opportunity.")
    async def update_opportunity(
        self, info: Info, input: UpdateOpportunityInput
    ) -> OpportunityPayload:
        outcome = await crud.write(info, input)
        return OpportunityPayload(opportunity=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove an opportunity.")
    async def remove_opportunity(
        self, info: Info, input: RemoveOpportunityInput
    ) -> RemoveOpportunityPayload:
        outcome = await crud.remove(info, OPPORTUNITIES, input)
        return RemoveOpportunityPayload(
            removed_opportunity_id=outcome.record_global_id, user_errors=outcome.user_errors
        )

    @strawberry.mutation(description="Record a purchase by a customer.")
    async def create_order(self, info: Info, input: CreateOrderInput) -> OrderPayload:
        outcome = await crud.write(info, input)
        return OrderPayload(order=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of an order.")
    async def update_order(self, info: Info, input: UpdateOrderInput) -> OrderPayload:
        outcome = await crud.write(info, input)
        return OrderPayload(order=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove an order.")
    async def remove_order(self, info: Info, input: RemoveOrderInput) -> RemoveOrderPayload:
        outcome = await crud.remove(info, ORDERS, input)
        return RemoveOrderPayload(
            removed_order_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
