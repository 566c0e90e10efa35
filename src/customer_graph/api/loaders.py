"""Per-request DataLoaders: every nested field is read in one batched statement.

Loaders read plain Core rows (not ORM objects), each batch on its own short connection,
so concurrently running resolvers never share one (a change reads back what it wrote on
its own connection instead). Every statement gets ``today`` as a
parameter for the figures that depend on the date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Executable, RowMapping, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from strawberry.dataloader import DataLoader

from customer_graph.api.pagination import PageRequest, page_conditions
from customer_graph.api.readmodel import ENTITIES, Entity, Relation
from customer_graph.domain.keyset import order_clauses


@dataclass(frozen=True)
class RelationPage:
    rows: Sequence[RowMapping]
    has_more: bool


@dataclass(frozen=True)
class _Reader:
    """How a batch reads: apart from the loaders, so that a batch function, which the
    loader holds, does not hold the loaders back. Without a cycle a request's loaders and
    every row they cached are freed when the request ends, not by a later, long collection."""

    engine: AsyncEngine
    today: date
    connection: AsyncConnection | None

    async def fetch(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> Sequence[RowMapping]:
        if self.connection is not None:
            return await self._fetch_on(self.connection, statement, parameters)
        async with self.engine.connect() as connection:
            return await self._fetch_on(connection, statement, parameters)

    async def _fetch_on(
        self,
        connection: AsyncConnection,
        statement: Executable,
        parameters: Mapping[str, Any] | None,
    ) -> Sequence[RowMapping]:
        result = await connection.execute(statement, {"today": self.today, **(parameters or {})})
        rows: Sequence[RowMapping] = result.mappings().all()
        return rows


class Loaders:
    def __init__(
        self, engine: AsyncEngine, today: date, connection: AsyncConnection | None = None
    ) -> None:
        self.engine = engine
        self.today = today
        self.connection = connection
        """Where to read instead of a short connection of its own: a change's transaction,
        to read back what it wrote before it commits."""
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}
        self._reader = _Reader(engine, today, connection)

    async def fetch(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> Sequence[RowMapping]:
        return await self._reader.fetch(statement, parameters)

    def _loader(self, key: Hashable, batch: Any) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=batch)
        return loader

    def node(self, entity_name: str) -> DataLoader[int, Mapping[Any, Any] | None]:
        entity = ENTITIES[entity_name]
        fetch = self._reader.fetch

        async def batch(ids: list[int]) -> list[Mapping[Any, Any] | None]:
            rows = await fetch(entity.by_keys, {"keys": sorted(set(ids))})
            by_id: dict[int, Mapping[Any, Any]] = {row["id"]: row for row in rows}
            return [by_id.get(i) for i in ids]

        return self._loader(("node", entity_name), batch)

    def relation(
        self,
        entity: Entity,
        field: str,
        page: PageRequest,
        search: str | None = None,
        conditions: Sequence[ColumnElement[bool]] = (),
    ) -> DataLoader[Any, RelationPage]:
        """One page of ``entity.<field>`` per parent; ``conditions`` are those of ``search``
        (``fields.relation_search``), the text keeping apart the loaders of two searches."""
        relation = entity.relations[field]
        fetch = self._reader.fetch

        async def batch(parents: list[Any]) -> list[RelationPage]:
            rows = await fetch(relation_page_statement(relation, parents, page, conditions))
            grouped: dict[Any, list[RowMapping]] = defaultdict(list)
            for row in rows:
                grouped[row["_parent"]].append(row)
            pages = []
            for parent in parents:
                found = grouped.get(parent, [])
                has_more = len(found) > page.limit
                found = found[: page.limit]
                if page.backwards:
                    found.reverse()
                pages.append(RelationPage(found, has_more))
            return pages

        return self._loader(("relation", entity.name, field, page.cache_key, search), batch)

    def relation_count(
        self,
        entity: Entity,
        field: str,
        search: str | None = None,
        conditions: Sequence[ColumnElement[bool]] = (),
    ) -> DataLoader[Any, int]:
        relation = entity.relations[field]
        target = ENTITIES[relation.target]
        fetch = self._reader.fetch

        async def batch(parents: list[Any]) -> list[int]:
            statement: Executable = (
                select(relation.partition.label("_parent"), func.count().label("n"))
                .select_from(relation.source if relation.source is not None else target.table)
                .where(relation.partition.in_(set(parents)), *conditions)
                .group_by(relation.partition)
            )
            counts = {row["_parent"]: row["n"] for row in await fetch(statement)}
            return [counts.get(parent, 0) for parent in parents]

        return self._loader(("count", entity.name, field, search), batch)

    def figure(self, entity: Entity, field: str) -> DataLoader[Any, RowMapping]:
        return self._of_rows(("figure", entity.name, field), entity, entity.figures[field])

    def computed(self, entity: Entity, field: str) -> DataLoader[Any, RowMapping]:
        """What ``entity.<field>`` is worked out from, for each row."""
        reads = entity.computed[field].reads
        return self._of_rows(("computed", entity.name, field), entity, reads)

    def _of_rows(
        self, key: Hashable, entity: Entity, parts: Mapping[str, Any]
    ) -> DataLoader[Any, RowMapping]:
        """Expressions over the entity's rows, labelled, for every row asked for at once."""
        fetch = self._reader.fetch

        async def batch(ids: list[Any]) -> list[RowMapping]:
            statement: Executable = (
                select(entity.key.label("_parent"), *(expr.label(p) for p, expr in parts.items()))
                .select_from(entity.table)
                .where(entity.key.in_(set(ids)))
            )
            by_id = {row["_parent"]: row for row in await fetch(statement)}
            return [by_id[i] for i in ids]

        return self._loader(key, batch)

    def scalar_list(self, entity: Entity, field: str) -> DataLoader[Any, list[Any]]:
        spec = entity.lists[field]
        fetch = self._reader.fetch

        async def batch(ids: list[Any]) -> list[list[Any]]:
            statement: Executable = (
                select(spec.partition.label("_parent"), spec.value.label("value"))
                .where(spec.partition.in_(set(ids)))
                .order_by(spec.partition, spec.order)
            )
            grouped: dict[Any, list[Any]] = defaultdict(list)
            for row in await fetch(statement):
                grouped[row["_parent"]].append(row["value"])
            return [grouped.get(i, []) for i in ids]

        return self._loader(("list", entity.name, field), batch)


def relation_page_statement(
    relation: Relation,
    parents: Sequence[Any],
    page: PageRequest,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Executable:
    """One page of related rows for each parent, in one statement (a window per parent)."""
    target = ENTITIES[relation.target]
    keys = target.order
    rank = func.row_number().over(
        partition_by=relation.partition, order_by=order_clauses(keys, reverse=page.backwards)
    )
    ranked = (
        select(
            *target.selected_columns(),
            relation.partition.label("_parent"),
            *(key.expr.label(f"_k{i}") for i, key in enumerate(keys)),
            rank.label("_rank"),
        )
        .select_from(relation.source if relation.source is not None else target.table)
        .where(relation.partition.in_(set(parents)), *conditions, *page_conditions(keys, page))
        .subquery("ranked")
    )
    return (
        select(ranked)
        .where(ranked.c["_rank"] <= page.limit + 1)
        .order_by(ranked.c["_parent"], ranked.c["_rank"])
    )
