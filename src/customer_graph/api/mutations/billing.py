"""Invoices and customer-specific price schedules."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError
from customer_graph.api.mutations.crud import UNSET, MoneyInput
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.commercial import Invoice, PriceSchedule
from customer_graph.db.enums import InvoiceStatus
from customer_graph.domain.commercial import INVOICES, PRICE_SCHEDULES


@strawberry.input(description="Fields of an invoice; omit a field to leave it as it is.")
class InvoiceAttributes:
    project_id: InputId | None = strawberry.field(
        default=UNSET, description="One of the customer's own projects, or none."
    )
    status: InvoiceStatus | None = strawberry.field(default=UNSET, description="Defaults to DRAFT.")
    issued_on: date | None = UNSET
    due_on: date | None = strawberry.field(default=UNSET, description="Not before issued on.")
    paid_on: date | None = strawberry.field(default=UNSET, description="Not before issued on.")


@crud.creates(INVOICES)
@strawberry.input(description="A new bill to a customer.")
class CreateInvoiceInput(InvoiceAttributes):
    customer_id: InputId
    number: str = strawberry.field(description="Unique across all customers.")
    amount: MoneyInput


@crud.updates(INVOICES)
@strawberry.input
class UpdateInvoiceInput(InvoiceAttributes):
    id: InputId
    number: str | None = strawberry.field(default=UNSET, description="Unique.")
    amount: MoneyInput | None = UNSET


@strawberry.input
class RemoveInvoiceInput:
    id: InputId


@strawberry.type
class InvoicePayload:
    invoice: Invoice | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveInvoicePayload:
    removed_invoice_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.input(description="Fields of a price schedule; omit a field to leave it as it is.")
class PriceScheduleAttributes:
    valid_to: date | None = strawberry.field(
        default=UNSET,
        description="The last day of the price, not before valid from; null for open-ended.",
    )


@crud.creates(PRICE_SCHEDULES)
@strawberry.input(description="A customer-specific price for one product from a date.")
class CreatePriceScheduleInput(PriceScheduleAttributes):
    customer_id: InputId
    product_code: str
    product_name: str
    unit_price: MoneyInput
    valid_from: date = strawberry.field(
        description="The first day of the price. A customer's prices for one product never "
        "share a day: an overlap is a DUPLICATE userError naming the price it overlaps."
    )


@crud.updates(PRICE_SCHEDULES)
@strawberry.input
class UpdatePriceScheduleInput(PriceScheduleAttributes):
    id: InputId
    product_code: str | None = UNSET
    product_name: str | None = UNSET
    unit_price: MoneyInput | None = UNSET
    valid_from: date | None = UNSET


@strawberry.input
class RemovePriceScheduleInput:
    id: InputId


@strawberry.type
class PriceSchedulePayload:
    price_schedule: PriceSchedule | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemovePriceSchedulePayload:
    removed_price_schedule_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class BillingMutations:
    @strawberry.mutation(description="Bill a customer, optionally for one of its projects.")
    async def create_invoice(self, info: Info, input: CreateInvoiceInput) -> InvoicePayload:
        outcome = await crud.write(info, input)
        return InvoicePayload(invoice=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of an invoice.")
    async def update_invoice(self, info: Info, input: UpdateInvoiceInput) -> InvoicePayload:
        outcome = await crud.write(info, input)
        return InvoicePayload(invoice=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove an invoice.")
    async def remove_invoice(self, info: Info, input: RemoveInvoiceInput) -> RemoveInvoicePayload:
        outcome = await crud.remove(info, INVOICES, input)
        return RemoveInvoicePayload(
            removed_invoice_id=outcome.record_global_id, user_errors=outcome.user_errors
        )

    @strawberry.mutation(description="Add a customer-specific price for a product.")
    async def create_price_schedule(
        self, info: Info, input: CreatePriceScheduleInput
    ) -> PriceSchedulePayload:
        outcome = await crud.write(info, input)
        return PriceSchedulePayload(price_schedule=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a price schedule.")
    async def update_price_schedule(
        self, info: Info, input: UpdatePriceScheduleInput
    ) -> PriceSchedulePayload:
        outcome = await crud.write(info, input)
        return PriceSchedulePayload(price_schedule=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove a price schedule.")
    async def remove_price_schedule(
        self, info: Info, input: RemovePriceScheduleInput
    ) -> RemovePriceSchedulePayload:
        outcome = await crud.remove(info, PRICE_SCHEDULES, input)
        return RemovePriceSchedulePayload(
            removed_price_schedule_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
