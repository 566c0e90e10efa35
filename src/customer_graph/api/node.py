"""Relay nodes backed by a read-model entity, resolved through the per-request loaders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from customer_graph.api.build import assemble
from customer_graph.api.context import Info
from customer_graph.api.errors import BadUserInput
from customer_graph.api.ids import MalformedId, record_key
from customer_graph.api.loaders import Loaders
from customer_graph.api.readmodel import Entity

NODE_TYPES: dict[str, type[RowNode]] = {}


class RowNode:
    """Mixin for Strawberry node types: ``ENTITY`` says where the type's rows live."""

    ENTITY: ClassVar[Entity]
    if TYPE_CHECKING:
        id: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "ENTITY" in cls.__dict__:
            NODE_TYPES[cls.ENTITY.name] = cls

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        keys = [_database_id(node_id) for node_id in node_ids]
        wanted = [key for key in keys if key is not None]
        loaded = await info.context.loaders.node(cls.ENTITY.name).load_many(wanted)
        rows = dict(zip(wanted, loaded, strict=True))
        nodes = [None if key is None else _assembled(cls, rows[key]) for key in keys]
        if required and any(node is None for node in nodes):
            raise BadUserInput(f"No {cls.ENTITY.name} has that id.")
        return nodes


def _assembled(cls: type[RowNode], row: Any) -> Any:
    return None if row is None else assemble(cls, row)


def _database_id(node_id: str) -> int | None:
    try:
        return record_key(node_id)
    except MalformedId:
        raise BadUserInput(f"{node_id!r} is not the id of a record.") from None


async def load_node(info: Info, entity_name: str, key: int | None) -> Any:
    return await node_from(info.context.loaders, entity_name, key)


async def node_from(loaders: Loaders, entity_name: str, key: int | None) -> Any:
    if key is None:
        return None
    row = await loaders.node(entity_name).load(key)
    return None if row is None else assemble(NODE_TYPES[entity_name], row)
