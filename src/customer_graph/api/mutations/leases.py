"""Leases: an asset or a site leased to a customer."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError
from customer_graph.api.mutations.crud import UNSET, MoneyInput
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.field_service import Lease
from customer_graph.db.enums import LeaseRatePeriod
from customer_graph.domain.leases import LEASES


@strawberry.input(description="Fields of a lease; omit a field to leave it as it is.")
class LeaseAttributes:
    asset_id: InputId | None = strawberry.field(
        default=UNSET, description="The leased asset; a lease has an asset or a site."
    )
    site_id: InputId | None = strawberry.field(
        default=UNSET, description="The leased site; a lease has an asset or a site."
    )
    end_date: date | None = strawberry.field(
        default=UNSET, description="Not before the start date."
    )
    rate_period: LeaseRatePeriod | None = strawberry.field(
        default=UNSET, description="Defaults to MONTHLY."
    )


@crud.creates(LEASES)
@strawberry.input(description="A new lease to a customer, of exactly one asset or site.")
class CreateLeaseInput(LeaseAttributes):
    customer_id: InputId = strawberry.field(description="The lessee.")
    start_date: date
    rate: MoneyInput


@crud.updates(LEASES)
@strawberry.input
class UpdateLeaseInput(LeaseAttributes):
    id: InputId
    start_date: date | None = UNSET
    rate: MoneyInput | None = UNSET


@strawberry.input
class RemoveLeaseInput:
    id: InputId


@strawberry.type
class LeasePayload:
    lease: Lease | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveLeasePayload:
    removed_lease_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class LeaseMutations:
    @strawberry.mutation(description="Lease an asset or a site to a customer.")
    async def create_lease(self, info: Info, input: CreateLeaseInput) -> LeasePayload:
        outcome = await crud.write(info, input)
        return LeasePayload(lease=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a lease.")
    async def update_lease(self, info: Info, input: UpdateLeaseInput) -> LeasePayload:
        outcome = await crud.write(info, input)
        return LeasePayload(lease=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove a lease.")
    async def remove_lease(self, info: Info, input: RemoveLeaseInput) -> RemoveLeasePayload:
        outcome = await crud.remove(info, LEASES, input)
        return RemoveLeasePayload(
            removed_lease_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
