"""Sites of a customer: its locations, pre-filled with its contact details."""

from __future__ import annotations

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError
from customer_graph.api.mutations.crud import UNSET
from customer_graph.api.mutations.customers import AddressInput
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.field_service import Site
from customer_graph.db.enums import SiteStatus
from customer_graph.domain.sites import SITES


@strawberry.input(description="Fields of a site; omit a field to leave it as it is.")
class SiteAttributes:
    status: SiteStatus | None = strawberry.field(
        default=UNSET, description="Defaults to ACTIVE; an inactive customer's sites stay INACTIVE."
    )
    address: AddressInput | None = strawberry.field(
        default=UNSET, description="On create, the customer's address when no part is given."
    )
    contact_name: str | None = strawberry.field(
        default=UNSET,
        description="On create, defaults to the customer's primary contact or billing contact.",
    )
    email: str | None = strawberry.field(
        default=UNSET, description="On create, defaults to the customer's email."
    )
    phone: str | None = strawberry.field(
        default=UNSET, description="On create, defaults to the customer's phone."
    )


@crud.creates(SITES)
@strawberry.input(description="A new site of an active customer.")
class CreateSiteInput(SiteAttributes):
    customer_id: InputId
    name: str


@crud.updates(SITES)
@strawberry.input(description="A site stays with its customer.")
class UpdateSiteInput(SiteAttributes):
    id: InputId
    name: str | None = UNSET


@strawberry.input
class RemoveSiteInput:
    id: InputId


@strawberry.type
class SitePayload:
    site: Site | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveSitePayload:
    removed_site_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class SiteMutations:
    @strawberry.mutation(description="Add a site to an active customer.")
    async def create_site(self, info: Info, input: CreateSiteInput) -> SitePayload:
        outcome = await crud.write(info, input)
        return SitePayload(site=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a site.")
    async def update_site(self, info: Info, input: UpdateSiteInput) -> SitePayload:
        outcome = await crud.write(info, input)
        return SitePayload(site=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(
        description="Remove a site; refused (REFERENCED) while assets, work orders or leases "
        "refer to it."
    )
    async def remove_site(self, info: Info, input: RemoveSiteInput) -> RemoveSitePayload:
        outcome = await crud.remove(info, SITES, input)
        return RemoveSitePayload(
            removed_site_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
