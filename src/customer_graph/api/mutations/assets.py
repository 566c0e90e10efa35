"""Assets: equipment standing at a site and owned by a customer, and moves between them."""

from __future__ import annotations

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations.common import InputId, UserError, run_mutation
from customer_graph.api.mutations.crud import UNSET, attributes, key
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.field_service import Asset
from customer_graph.db.engine import Transaction
from customer_graph.db.enums import AssetStatus
from customer_graph.domain import assets
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import Written


@strawberry.input(description="Fields of an asset; omit a field to leave it as it is.")
class AssetAttributes:
    serial_number: str | None = strawberry.field(
        default=UNSET, description="Unique across all assets."
    )
    status: AssetStatus | None = strawberry.field(
        default=UNSET, description="Defaults to IN_SERVICE."
    )
    site_id: InputId | None = strawberry.field(
        default=UNSET, description="Where the asset stands: a site of any customer."
    )
    owner_customer_id: InputId | None = strawberry.field(
        default=UNSET, description="Who owns the asset. It needs a site, an owner, or both."
    )


@strawberry.input(description="A new asset, at a site or owned by a customer or both.")
class CreateAssetInput(AssetAttributes):
    name: str


@strawberry.input(description="A new site or owner moves the asset; null leaves it without.")
class UpdateAssetInput(AssetAttributes):
    id: InputId
    name: str | None = UNSET


@strawberry.input
class RemoveAssetInput:
    id: InputId


@strawberry.type
class AssetPayload:
    asset: Asset | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveAssetPayload:
    removed_asset_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class AssetMutations:
    @strawberry.mutation(description="Add an asset; needs edit rights on its owner, or site.")
    async def create_asset(self, info: Info, input: CreateAssetInput) -> AssetPayload:
        async def command(session: Transaction, actor: Actor) -> Written:
            return await assets.create_asset(session, actor, attributes(input))

        outcome = await run_mutation(info, command, "Asset")
        return AssetPayload(asset=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(
        description="Change the fields given of an asset, or move it to another site or owner."
    )
    async def update_asset(self, info: Info, input: UpdateAssetInput) -> AssetPayload:
        async def command(session: Transaction, actor: Actor) -> Written:
            asset_id = key(input.id, "Asset")
            return await assets.update_asset(session, actor, asset_id, attributes(input))

        outcome = await run_mutation(info, command, "Asset")
        return AssetPayload(asset=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove an asset; refused (REFERENCED) while leased.")
    async def remove_asset(self, info: Info, input: RemoveAssetInput) -> RemoveAssetPayload:
        async def command(session: Transaction, actor: Actor) -> Written:
            return await assets.remove_asset(session, actor, key(input.id, "Asset"))

        outcome = await run_mutation(info, command, "Asset", read_back=False)
        return RemoveAssetPayload(
            removed_asset_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
