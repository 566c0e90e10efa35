"""Support tickets of a customer."""

from __future__ import annotations

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError
from customer_graph.api.mutations.crud import UNSET
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.commercial import SupportTicket
from customer_graph.db.enums import TicketPriority, TicketStatus
from customer_graph.domain.commercial import SUPPORT_TICKETS


@strawberry.input(description="Fields of a support ticket; omit a field to leave it as it is.")
class SupportTicketAttributes:
    status: TicketStatus | None = strawberry.field(
        default=UNSET,
        description="Defaults to OPEN. RESOLVED or CLOSED sets closedAt; reopening clears it.",
    )
    priority: TicketPriority | None = strawberry.field(
        default=UNSET, description="Defaults to NORMAL."
    )


@crud.creates(SUPPORT_TICKETS)
@strawberry.input(description="A new support request from a customer, opened now.")
class CreateSupportTicketInput(SupportTicketAttributes):
    customer_id: InputId
    subject: str


@crud.updates(SUPPORT_TICKETS)
@strawberry.input
class UpdateSupportTicketInput(SupportTicketAttributes):
    id: InputId
    subject: str | None = UNSET


@strawberry.input
class RemoveSupportTicketInput:
    id: InputId


@strawberry.type
class SupportTicketPayload:
    support_ticket: SupportTicket | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveSupportTicketPayload:
    removed_support_ticket_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class SupportTicketMutations:
    @strawberry.mutation(description="Open a support ticket for a customer.")
    async def create_support_ticket(
        self, info: Info, input: CreateSupportTicketInput
    ) -> SupportTicketPayload:
        outcome = await crud.write(info, input)
        return SupportTicketPayload(support_ticket=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a support ticket.")
    async def update_support_ticket(
        self, info: Info, input: UpdateSupportTicketInput
    ) -> SupportTicketPayload:
        outcome = await crud.write(info, input)
        return SupportTicketPayload(support_ticket=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove a support ticket.")
    async def remove_support_ticket(
        self, info: Info, input: RemoveSupportTicketInput
    ) -> RemoveSupportTicketPayload:
        outcome = await crud.remove(info, SUPPORT_TICKETS, input)
        return RemoveSupportTicketPayload(
            removed_support_ticket_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
