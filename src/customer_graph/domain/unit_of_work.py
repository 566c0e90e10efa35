"""One transaction per change, and the change feed told at commit.

Every writer (a mutation, a cascade, an import) writes in a unit of work and records
history as it goes. The history it records says which customers changed: the unit of work
collects that (``history.note_changes``), announces it in the transaction (PostgreSQL's
NOTIFY) and hands it to this process's subscribers after commit, once per customer. So
nothing that writes needs to remember to notify anyone.

Inside ``unit_of_work`` the history rows themselves wait for the end too: they are
written in the same statement as the announcement, one round trip for both.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from customer_graph.db.change_feed import Broker, CustomerChange
from customer_graph.db.engine import Transaction
from customer_graph.db.enums import HistoryAction
from customer_graph.domain import history
from customer_graph.domain.history import NOTED

CUSTOMER = "Customer"


def customer_changes(connection: Transaction) -> list[CustomerChange]:
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


async def publish(connection: Transaction, feed: Broker) -> list[CustomerChange]:
    """Writes the history still pending and announces the noted changes, inside the
    transaction, before its commit; returns them, for ``feed.committed`` once the commit
    went through."""
    pending = await history.take_pending(connection)
    changes = customer_changes(connection)
    await feed.stage(connection, changes, pending)
    return changes


NOTES = "customer_graph."
"""What this package keeps in a connection's ``info`` starts so (``history.PENDING``,
``customers.ACTIVE_USERS``, ...). A pooled connection's ``info`` outlives the transaction:
the unit of work forgets these notes when it ends, so none reaches the next one."""


def forget_notes(connection: AsyncConnection) -> None:
    for key in [key for key in connection.info if str(key).startswith(NOTES)]:
        del connection.info[key]


class ConnectionLost(Exception):
    """The connection to the database broke before the commit was sent (the database
    restarted, or an administrator ended the session): nothing was written, so the same
    work may run again on another connection. Its cause is the driver's error."""


@contextlib.asynccontextmanager
async def unit_of_work(engine: AsyncEngine, feed: Broker) -> AsyncIterator[AsyncConnection]:
    """A Core connection in one transaction: all of it is written, or nothing is; the
    customers it changed are announced to subscribers only once it is committed.

    A connection that breaks before the commit raises ``ConnectionLost``."""
    async with engine.connect() as connection:
        forget_notes(connection)
        try:
            async with connection.begin():
                history.defer_until_commit(connection)
                try:
                    yield connection
                    changes = await publish(connection, feed)
                except DBAPIError as error:
                    if error.connection_invalidated:
                        raise ConnectionLost from error
                    raise
        finally:
            # A broken connection's notes went with it; asking for them would reconnect.
            if not connection.invalidated:
                forget_notes(connection)
        await feed.committed(changes)
