"""One transaction per change, and the change feed told at commit.

Every writer (a mutation, a cascade, an import) writes in a unit of work and records
history as it goes. The history it records says which customers changed: the unit of work
collects that (``note_changes``), announces it in the transaction (PostgreSQL's NOTIFY)
and hands it to this process's subscribers after commit, once per customer. So nothing
that writes needs to remember to notify anyone.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from customer_graph.db.change_feed import Broker, CustomerChange
from customer_graph.db.enums import HistoryAction

NOTED = "customer_graph.noted_changes"
"""Key of the changes noted so far, in the session's (or connection's) ``info``."""

CUSTOMER = "Customer"


def note_changes(
    connection: AsyncSession | AsyncConnection,
    events: Iterable[tuple[int, str, HistoryAction | str]],
) -> None:
    """History was written for these ``(customer_id, entity_type, action)``."""
    noted: list[tuple[int, str, str]] = connection.info.setdefault(NOTED, [])
    noted.extend(
        (customer_id, entity_type, HistoryAction(action).value)
        for customer_id, entity_type, action in events
    )


def customer_changes(connection: AsyncSession | AsyncConnection) -> list[CustomerChange]:
    """What subscribers hear of the noted history, once per customer: what happened to the
    customer itself (created, archived, ...) or else that something of it was UPDATED."""
    noted: list[tuple[int, str, str]] = connection.info.pop(NOTED, [])
    actions: dict[int, str] = {}
    for customer_id, entity_type, action in noted:
        if entity_type == CUSTOMER:
            actions[customer_id] = action
        else:
            actions.setdefault(customer_id, HistoryAction.UPDATED.value)
    return [CustomerChange(customer_id, action) for customer_id, action in actions.items()]


async def publish(connection: AsyncSession | AsyncConnection, feed: Broker) -> list[CustomerChange]:
    """Announces the noted changes inside the transaction, before its commit; returns them,
    for ``feed.committed`` once the commit went through."""
    changes = customer_changes(connection)
    await feed.stage(connection, changes)
    return changes


@contextlib.asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession], feed: Broker
) -> AsyncIterator[AsyncSession]:
    """A session in one transaction: all of it is written, or nothing is; the customers it
    changed are announced to subscribers only once it is committed."""
    async with sessionmaker() as session:
        async with session.begin():
            yield session
            changes = await publish(session, feed)
        await feed.committed(changes)
