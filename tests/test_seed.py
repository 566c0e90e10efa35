"""The demo data: complete, consistent with the domain rules, repeatable, and re-runnable."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Table, and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from customer_graph.db.base import Base
from customer_graph.db.engine import make_engine
from customer_graph.db.enums import (
    ContractStatus,
    CustomerStatus,
    HistoryAction,
    ProjectPhase,
    Role,
    SiteStatus,
    TaskStatus,
    WorkOrderStatus,
)
from customer_graph.db.models import (
    Asset,
    Contact,
    Contract,
    Customer,
    HistoryEvent,
    Site,
    Task,
    User,
    WorkOrder,
)
from customer_graph.db.seed import seed_demo
from customer_graph.domain.projects import project_phase
from tests import factories as make

TODAY = date(2026, 6, 15)

NOT_SEEDED = {
    "users",
    "api_tokens",
    "login_failures",
    "user_sessions",
    "alembic_version",
    "counters",
}
SEEDED_TABLES = tuple(name for name in Base.metadata.tables if name not in NOT_SEEDED)
"""Every table of customer data: a table added later must be seeded too."""
MONEY_TABLES = ("contracts", "leases", "opportunities", "orders", "invoices", "price_schedules")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


async def _count(conn: AsyncConnection, name: str) -> int:
    return int((await conn.execute(select(func.count()).select_from(_table(name)))).scalar_one())


async def _snapshot(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the seed writes, in primary-key order."""
    snapshot = {}
    async with engine.connect() as conn:
        for name in ("users", *SEEDED_TABLES):
            table = _table(name)
            query = select(table).order_by(*table.primary_key.columns)
            snapshot[name] = [tuple(row) for row in await conn.execute(query)]
    return snapshot


async def _customer_names(engine: AsyncEngine) -> list[tuple[str, str]]:
    async with engine.connect() as conn:
        query = select(Customer.customer_number, Customer.name).order_by(Customer.customer_number)
        return [(number, name) for number, name in await conn.execute(query)]


async def test_seed_fills_every_table(engine: AsyncEngine) -> None:
    progressed: list[int] = []

    summary = await seed_demo(engine, customers=12, seed=1, today=TODAY, progress=progressed.append)

    async with engine.connect() as conn:
        counts = {name: await _count(conn, name) for name in ("users", *SEEDED_TABLES)}
        users = {row.email: row.role for row in await conn.execute(select(User.email, User.role))}
    assert summary.customers == 12
    assert counts["customers"] == 12
    assert sum(progressed) == 12
    assert {name for name in SEEDED_TABLES if counts[name] == 0} == set()
    assert summary.rows == sum(counts.values()), "every inserted row is counted, users too"
    assert summary.users == counts["users"]
    assert set(users.values()) == set(Role)
    assert users["admin@example.com"] is Role.ADMIN
    assert users["manager@example.com"] is Role.SALES_MANAGER
    assert users["rep@example.com"] is Role.SALES_REP
    assert users["support@example.com"] is Role.SUPPORT
    assert summary.seconds > 0


async def test_every_customer_has_exactly_one_primary_contact(engine: AsyncEngine) -> None:
    await seed_demo(engine, customers=12, seed=1, today=TODAY)

    primaries = (
        select(Customer.id, func.count(Contact.id))
        .outerjoin(Contact, and_(Contact.customer_id == Customer.id, Contact.is_primary))
        .group_by(Customer.id)
    )
    async with engine.connect() as conn:
        per_customer = {customer: count for customer, count in await conn.execute(primaries)}
    assert len(per_customer) == 12
    assert set(per_customer.values()) == {1}


async def test_every_customer_has_its_creation_in_history(engine: AsyncEngine) -> None:
    await seed_demo(engine, customers=12, seed=1, today=TODAY)

    events = (
        select(Customer.id, HistoryEvent.action, HistoryEvent.actor_name)
        .join(HistoryEvent, HistoryEvent.customer_id == Customer.id)
        .join(User, User.id == Customer.owner_id)
        .where(
            HistoryEvent.actor_user_id == Customer.owner_id, HistoryEvent.actor_name == User.name
        )
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(events)).all()
        changes = (await conn.execute(select(HistoryEvent.changes))).scalars().all()
    assert sorted(customer for customer, _, _ in rows) == list(range(1, 13))
    assert {action for _, action, _ in rows} == {HistoryAction.CREATED}
    assert any(change["field"] == "name" for event in changes for change in event)


async def test_money_is_in_the_customers_currency(engine: AsyncEngine) -> None:
    await seed_demo(engine, customers=30, seed=2, today=TODAY)

    async with engine.connect() as conn:
        for name in MONEY_TABLES:
            table = _table(name)
            mismatched = (
                select(func.count())
                .select_from(table.join(Customer, Customer.id == table.c.customer_id))
                .where(table.c.currency != Customer.currency)
            )
            assert (await conn.execute(mismatched)).scalar_one() == 0, name
        currencies = set((await conn.execute(select(Customer.currency))).scalars())
    assert "USD" in currencies
    assert len(currencies) > 1


async def test_projects_are_upcoming_active_and_past(engine: AsyncEngine) -> None:
    await seed_demo(engine, customers=12, seed=1, today=TODAY)

    async with engine.connect() as conn:
        phases = set((await conn.execute(select(project_phase()), {"today": TODAY})).scalars())
    assert phases == set(ProjectPhase)


async def test_assets_stand_at_own_sites_other_customers_sites_and_nowhere(
    engine: AsyncEngine,
) -> None:
    await seed_demo(engine, customers=12, seed=1, today=TODAY)

    located = select(func.count()).select_from(Asset).join(Site, Site.id == Asset.site_id)
    async with engine.connect() as conn:
        elsewhere = await conn.execute(located.where(Site.customer_id != Asset.owner_customer_id))
        at_home = await conn.execute(located.where(Site.customer_id == Asset.owner_customer_id))
        nowhere = await conn.execute(
            select(func.count())
            .select_from(Asset)
            .where(Asset.site_id.is_(None), Asset.owner_customer_id.is_not(None))
        )
        assert elsewhere.scalar_one() > 0
        assert at_home.scalar_one() > 0
        assert nowhere.scalar_one() > 0


async def test_inactive_customers_look_deactivated(engine: AsyncEngine) -> None:
    await seed_demo(engine, customers=40, seed=3, today=TODAY)

    inactive = select(Customer.id).where(Customer.status == CustomerStatus.INACTIVE)
    async with engine.connect() as conn:
        assert len((await conn.execute(inactive)).all()) >= 2
        active_sites = select(func.count()).where(
            Site.customer_id.in_(inactive), Site.status == SiteStatus.ACTIVE
        )
        live_contracts = select(func.count()).where(
            Contract.customer_id.in_(inactive),
            Contract.status.in_([ContractStatus.DRAFT, ContractStatus.ACTIVE]),
        )
        open_work = select(func.count()).where(
            WorkOrder.customer_id.in_(inactive),
            WorkOrder.status.in_([WorkOrderStatus.OPEN, WorkOrderStatus.IN_PROGRESS]),
        )
        open_tasks = (
            select(func.count())
            .select_from(Task)
            .join(WorkOrder, WorkOrder.id == Task.work_order_id)
            .where(
                WorkOrder.customer_id.in_(inactive),
                Task.status.in_([TaskStatus.OPEN, TaskStatus.IN_PROGRESS]),
            )
        )
        for query in (active_sites, live_contracts, open_work, open_tasks):
            assert (await conn.execute(query)).scalar_one() == 0
        cancelled = select(func.count()).where(
            WorkOrder.customer_id.in_(inactive), WorkOrder.status == WorkOrderStatus.CANCELLED
        )
        assert (await conn.execute(cancelled)).scalar_one() > 0
        archived = select(func.count()).where(Customer.archived_at.is_not(None))
        assert (await conn.execute(archived)).scalar_one() >= 1


async def test_the_demo_rep_has_customers_of_their_own(engine: AsyncEngine) -> None:
    await seed_demo(engine, customers=40, seed=3, today=TODAY)

    async with engine.connect() as conn:
        rep = (await conn.execute(select(User.id).where(User.email == "rep@example.com"))).scalar()
        theirs = select(func.count()).where(
            (Customer.owner_id == rep) | (Customer.manager_id == rep)
        )
        assert (await conn.execute(theirs)).scalar_one() >= 40 // 10
        owners = select(User.role).join(Customer, Customer.owner_id == User.id).distinct()
        assert set((await conn.execute(owners)).scalars()) <= {
            Role.ADMIN,
            Role.SALES_MANAGER,
            Role.SALES_REP,
        }


async def test_same_seed_same_data_other_seed_other_data(
    engine: AsyncEngine, backend: str, request: pytest.FixtureRequest
) -> None:
    factory: Any = request.getfixturevalue(f"{backend}_factory")
    twin = make_engine(factory.create())
    other = make_engine(factory.create())
    try:
        await seed_demo(engine, customers=12, seed=5, today=TODAY)
        await seed_demo(twin, customers=12, seed=5, today=TODAY)
        await seed_demo(other, customers=12, seed=6, today=TODAY)

        assert await _snapshot(engine) == await _snapshot(twin)
        names = [name for _, name in await _customer_names(engine)]
        assert names != [name for _, name in await _customer_names(other)]
    finally:
        await twin.dispose()
        await other.dispose()


@pytest.mark.backends("postgresql")
async def test_same_data_on_sqlite_and_postgresql(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """Runs where PostgreSQL is one of the backends: always under CI."""
    engines = [
        make_engine(request.getfixturevalue(f"{backend}_factory").create())
        for backend in ("sqlite", "postgresql")
    ]
    try:
        for engine in engines:
            await seed_demo(engine, customers=12, seed=9, today=TODAY)
        sqlite, postgresql = [await _snapshot(engine) for engine in engines]
        assert sqlite == postgresql
    finally:
        for engine in engines:
            await engine.dispose()


async def test_seeding_again_continues_ids_and_numbers(engine: AsyncEngine) -> None:
    first = await seed_demo(engine, customers=7, seed=1, today=TODAY)
    second = await seed_demo(engine, customers=7, seed=1, today=TODAY)

    assert (first.users, second.users) == (10, 0)
    numbers = [number for number, _ in await _customer_names(engine)]
    assert numbers == [f"C-{n:06d}" for n in range(1, 15)]
    async with engine.begin() as conn:
        assert await _count(conn, "users") == 10
        highest = (await conn.execute(select(func.max(Customer.id)))).scalar_one()
        owner = (await conn.execute(select(func.min(User.id)))).scalar_one()
        # Rows added afterwards without an explicit id (as the app adds them) still get one.
        customer = await make.customer(conn, owner)
        site = await make.site(conn, customer)
        await make.contact(conn, customer)
        await make.asset(conn, site_id=site, owner_customer_id=customer)
        await make.history_event(conn, customer)
    assert customer > highest


async def test_seeding_a_database_in_use(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        rep = await make.user(conn, email="only.rep@example.com", role=Role.SALES_REP)
        await make.user(conn, email="helpdesk@example.com", role=Role.SUPPORT)
        await make.customer(conn, rep, customer_number="C-000050")
        await make.customer(conn, rep, customer_number="ACME-7")

    summary = await seed_demo(engine, customers=3, seed=1, today=TODAY)

    assert summary.users == 0
    async with engine.connect() as conn:
        seeded = (
            await conn.execute(
                select(Customer.customer_number, Customer.owner_id, Customer.manager_id)
                .where(Customer.customer_number.not_in(["C-000050", "ACME-7"]))
                .order_by(Customer.customer_number)
            )
        ).all()
        assert await _count(conn, "users") == 2
    assert [number for number, _, _ in seeded] == ["C-000051", "C-000052", "C-000053"]
    assert {owner for _, owner, _ in seeded} | {manager for _, _, manager in seeded} == {rep}


async def test_seeding_nothing_writes_only_the_users(engine: AsyncEngine) -> None:
    summary = await seed_demo(engine, customers=0, today=TODAY)

    assert (summary.users, summary.customers, summary.rows) == (10, 0, 10)


async def test_a_negative_count_is_refused(engine: AsyncEngine) -> None:
    with pytest.raises(ValueError, match="negative"):
        await seed_demo(engine, customers=-1)
