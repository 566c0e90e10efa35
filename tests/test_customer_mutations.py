"""Customer mutations: the lifecycle and field rules, on both databases."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from customer_graph.db.models import Contract, Customer, HistoryEvent, Site, Task, User, WorkOrder
from customer_graph.domain import lifecycle
from customer_graph.domain.permissions import Actor
from tests import factories as make
from tests.graphql_client import TODAY, execute, global_id

CREATE = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
  customer { id name customerNumber status createdOn version tags owner { name } manager { name }
             address { city country } billingContact { email } }
  userErrors { field code message } } }"""
UPDATE = """mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
  customer { id name version billingAddress { city } tags
             history(first: 5) {
               edges { node { action actorName changes { field before after } } } } }
  userErrors { field code message } } }"""
DEACTIVATE = """mutation($input: CustomerLifecycleInput!) {
 deactivateCustomer(input: $input) {
  customer { status version } userErrors { field code message }
  cascade { sitesDeactivated contractsCancelled workOrdersCancelled tasksCancelled } } }"""
LIFECYCLE = """mutation($input: CustomerLifecycleInput!) {
  reactivate: reactivateCustomer(input: $input) { customer { status } userErrors { code message } }
}"""
ARCHIVE = """mutation($input: CustomerLifecycleInput!) { archiveCustomer(input: $input) {
  customer { isArchived } userErrors { code message } } }"""
UNARCHIVE = """mutation($input: CustomerLifecycleInput!) { unarchiveCustomer(input: $input) {
  customer { isArchived } userErrors { code message } } }"""
DELETE = """mutation($input: DeleteCustomerInput!) { deleteCustomer(input: $input) {
  deletedCustomerId userErrors { field code message } } }"""


@dataclass
class Staff:
    manager: Actor
    rep: Actor
    support: Actor
    other_rep_id: int


@pytest.fixture
async def staff(engine: AsyncEngine) -> Staff:
    async with engine.begin() as conn:
        manager = await make.user(conn, name="Mia Manager", role=enums.Role.SALES_MANAGER)
        rep = await make.user(conn, name="Ray Rep", role=enums.Role.SALES_REP)
        support = await make.user(conn, name="Sue Support", role=enums.Role.SUPPORT)
        other = await make.user(conn, name="Otto Other", role=enums.Role.SALES_REP)
    return Staff(
        Actor.for_user(manager, "Mia Manager", enums.Role.SALES_MANAGER),
        Actor.for_user(rep, "Ray Rep", enums.Role.SALES_REP),
        Actor.for_user(support, "Sue Support", enums.Role.SUPPORT),
        other,
    )


async def create(engine: AsyncEngine, actor: Actor, **fields: Any) -> dict[str, Any]:
    data = await execute(engine, CREATE, {"input": {"name": "Acme"} | fields}, actor=actor)
    result: dict[str, Any] = data["createCustomer"]
    return result


async def count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())


async def test_create_with_only_a_name(engine: AsyncEngine, staff: Staff) -> None:
    result = await create(engine, staff.rep, name="  Acme Corp ")
    assert result["userErrors"] == []
    customer = result["customer"]
    assert customer["name"] == "Acme Corp"
    assert customer["status"] == "ACTIVE"
    assert customer["customerNumber"] == "C-000001"
    assert customer["createdOn"] == TODAY.isoformat()
    assert customer["version"] == 1
    assert customer["owner"] == {"name": "Ray Rep"}
    assert customer["manager"] == {"name": "Ray Rep"}
    second = await create(engine, staff.rep, name="Beta")
    assert second["customer"]["customerNumber"] == "C-000002"


async def test_create_with_everything(engine: AsyncEngine, staff: Staff) -> None:
    result = await create(
        engine,
        staff.manager,
        customerNumber="ACME-1",
        address={"city": "Lyon", "country": "fr"},
        billingContact={"email": "billing@acme.test"},
        tags=["VIP", " Partner ", "VIP", ""],
        ownerId=global_id("User", staff.rep.user_id or 0),
    )
    assert result["userErrors"] == []
    customer = result["customer"]
    assert customer["customerNumber"] == "ACME-1"
    assert customer["address"] == {"city": "Lyon", "country": "FR"}
    assert customer["billingContact"] == {"email": "billing@acme.test"}
    assert customer["tags"] == ["Partner", "VIP"]
    assert customer["owner"] == {"name": "Ray Rep"}
    assert customer["manager"] == {"name": "Mia Manager"}


async def test_every_field_error_at_once_and_nothing_written(
    engine: AsyncEngine, staff: Staff
) -> None:
    await create(engine, staff.manager, customerNumber="TAKEN")
    before = await count(engine, Customer)
    result = await create(
        engine,
        staff.manager,
        name="   ",
        customerNumber="TAKEN",
        email="not an email",
        phone="call me",
        sharedFolderUrl="ftp://files",
        address={"country": "XX"},
        billingContact={"email": "@nope"},
        currency="ZZZ",
    )
    assert result["customer"] is None
    errors = {(e["field"], e["code"]) for e in result["userErrors"]}
    assert errors == {
        ("name", "REQUIRED"),
        ("customerNumber", "DUPLICATE"),
        ("email", "INVALID"),
        ("phone", "INVALID"),
        ("sharedFolderUrl", "INVALID"),
        ("address.country", "INVALID"),
        ("billingContact.email", "INVALID"),
        ("currency", "INVALID"),
    }
    assert await count(engine, Customer) == before


async def test_a_token_must_name_owner_and_manager(engine: AsyncEngine, staff: Staff) -> None:
    writer = Actor.for_token(1, "partner sync", frozenset({"read", "write"}))
    result = await create(engine, writer)
    assert {(e["field"], e["code"]) for e in result["userErrors"]} == {
        ("ownerId", "REQUIRED"),
        ("managerId", "REQUIRED"),
    }
    manager = global_id("User", staff.manager.user_id or 0)
    result = await create(engine, writer, ownerId=manager, managerId=manager)
    assert result["userErrors"] == []


@pytest.mark.parametrize(
    ("who", "allowed"), [("manager", True), ("rep", True), ("support", False), ("reader", False)]
)
async def test_who_may_create(engine: AsyncEngine, staff: Staff, who: str, allowed: bool) -> None:
    actor = (
        Actor.for_token(1, "reader", frozenset({"read"}))
        if who == "reader"
        else getattr(staff, who)
    )
    result = await create(
        engine,
        actor,
        ownerId=global_id("User", staff.other_rep_id),
        managerId=global_id("User", staff.other_rep_id),
    )
    if allowed:
        assert result["userErrors"] == []
    else:
        assert [e["code"] for e in result["userErrors"]] == ["FORBIDDEN"]
        assert await count(engine, Customer) == 0


async def test_update_records_field_level_history(engine: AsyncEngine, staff: Staff) -> None:
    created = (await create(engine, staff.rep, tags=["VIP"]))["customer"]
    data = await execute(
        engine,
        UPDATE,
        {
            "input": {
                "id": created["id"],
                "expectedVersion": 1,
                "name": "Acme Renamed",
                "billingAddress": {"city": "Paris"},
                "tags": ["VIP", "Key account"],
            }
        },
        actor=staff.rep,
    )
    result = data["updateCustomer"]
    assert result["userErrors"] == []
    customer = result["customer"]
    assert customer["name"] == "Acme Renamed"
    assert customer["version"] == 2
    assert customer["billingAddress"] == {"city": "Paris"}
    events = [edge["node"] for edge in customer["history"]["edges"]]
    assert [event["action"] for event in events] == ["UPDATED", "CREATED"]
    assert events[0]["actorName"] == "Ray Rep"
    assert {c["field"]: (c["before"], c["after"]) for c in events[0]["changes"]} == {
        "name": ("Acme", "Acme Renamed"),
        "billingAddress.city": (None, "Paris"),
        "tags": (["VIP"], ["Key account", "VIP"]),
    }


async def test_a_stale_version_changes_nothing(engine: AsyncEngine, staff: Staff) -> None:
    created = (await create(engine, staff.manager))["customer"]
    first = {"id": created["id"], "expectedVersion": 1, "name": "First"}
    assert (await execute(engine, UPDATE, {"input": first}, actor=staff.manager))["updateCustomer"][
        "userErrors"
    ] == []
    stale = {"id": created["id"], "expectedVersion": 1, "name": "Second", "notes": "lost?"}
    result = (await execute(engine, UPDATE, {"input": stale}, actor=staff.manager))[
        "updateCustomer"
    ]
    assert result["customer"] is None
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
        ("expectedVersion", "CONFLICT")
    ]
    async with engine.connect() as conn:
        row = (await conn.execute(select(Customer.name, Customer.notes, Customer.version))).one()
    assert tuple(row) == ("First", None, 2)


async def test_concurrent_updates_never_lose_one_silently(
    engine: AsyncEngine, staff: Staff
) -> None:
    created = (await create(engine, staff.manager))["customer"]

    async def update(name: str) -> list[dict[str, Any]]:
        data = await execute(
            engine,
            UPDATE,
            {"input": {"id": created["id"], "expectedVersion": 1, "name": name}},
            actor=staff.manager,
        )
        errors: list[dict[str, Any]] = data["updateCustomer"]["userErrors"]
        return errors

    outcomes = await asyncio.gather(*(update(f"Writer {i}") for i in range(6)))
    winners = [i for i, errors in enumerate(outcomes) if not errors]
    assert len(winners) == 1
    assert all(errors[0]["code"] == "CONFLICT" for errors in outcomes if errors)
    async with engine.connect() as conn:
        row = (await conn.execute(select(Customer.name, Customer.version))).one()
    assert tuple(row) == (f"Writer {winners[0]}", 2)


async def test_sales_rep_edits_only_assigned_customers(engine: AsyncEngine, staff: Staff) -> None:
    theirs = global_id("User", staff.other_rep_id)
    other = (await create(engine, staff.manager, ownerId=theirs, managerId=theirs))["customer"]
    result = (
        await execute(
            engine,
            UPDATE,
            {"input": {"id": other["id"], "expectedVersion": 1, "name": "Mine now"}},
            actor=staff.rep,
        )
    )["updateCustomer"]
    assert [e["code"] for e in result["userErrors"]] == ["FORBIDDEN"]
    assert "own or manage" in result["userErrors"][0]["message"]
    mine = (
        await create(engine, staff.manager, managerId=global_id("User", staff.rep.user_id or 0))
    )["customer"]
    result = (
        await execute(
            engine,
            UPDATE,
            {"input": {"id": mine["id"], "expectedVersion": 1, "name": "Managed by Ray"}},
            actor=staff.rep,
        )
    )["updateCustomer"]
    assert result["userErrors"] == []


@dataclass
class Busy:
    id: str
    database_id: int


@pytest.fixture
async def busy(engine: AsyncEngine, staff: Staff) -> Busy:
    """An active customer with sites, contracts and work orders in every state."""
    async with engine.begin() as conn:
        cid = await make.customer(conn, staff.manager.user_id or 0, name="Busy")
        s1 = await make.site(conn, cid)
        await make.site(conn, cid)
        await make.site(conn, cid, status=enums.SiteStatus.INACTIVE)
        await make.contract(conn, cid)
        await make.contract(conn, cid, status=enums.ContractStatus.DRAFT)
        await make.contract(conn, cid, status=enums.ContractStatus.EXPIRED)
        open_wo = await make.work_order(conn, cid, s1)
        await make.task(conn, open_wo)
        await make.task(conn, open_wo, status=enums.TaskStatus.DONE)
        started = await make.work_order(conn, cid, s1, status=enums.WorkOrderStatus.IN_PROGRESS)
        await make.task(conn, started, status=enums.TaskStatus.IN_PROGRESS)
        done = await make.work_order(conn, cid, s1, status=enums.WorkOrderStatus.DONE)
        await make.task(conn, done, status=enums.TaskStatus.DONE)
    return Busy(global_id("Customer", cid), cid)


async def statuses(engine: AsyncEngine) -> dict[str, list[str]]:
    async with engine.connect() as conn:
        result = {}
        for name, model in (
            ("sites", Site),
            ("contracts", Contract),
            ("work_orders", WorkOrder),
            ("tasks", Task),
        ):
            rows = await conn.execute(select(model.status).order_by(model.id))
            result[name] = [row[0].value for row in rows]
        result["customer"] = [(await conn.execute(select(Customer.status))).scalar_one().value]
    return result


async def test_deactivation_cascades_in_one_transaction(
    engine: AsyncEngine, staff: Staff, busy: Busy
) -> None:
    data = await execute(engine, DEACTIVATE, {"input": {"id": busy.id}}, actor=staff.manager)
    result = data["deactivateCustomer"]
    assert result["userErrors"] == []
    assert result["customer"] == {"status": "INACTIVE", "version": 2}
    assert result["cascade"] == {
        "sitesDeactivated": 2,
        "contractsCancelled": 2,
        "workOrdersCancelled": 2,
        "tasksCancelled": 2,
    }
    assert await statuses(engine) == {
        "sites": ["INACTIVE", "INACTIVE", "INACTIVE"],
        "contracts": ["CANCELLED", "CANCELLED", "EXPIRED"],
        "work_orders": ["CANCELLED", "CANCELLED", "DONE"],
        "tasks": ["CANCELLED", "DONE", "CANCELLED", "DONE"],
        "customer": ["INACTIVE"],
    }
    async with engine.connect() as conn:
        logged = (
            await conn.execute(
                select(HistoryEvent.entity_type, func.count()).group_by(HistoryEvent.entity_type)
            )
        ).all()
    assert dict(logged) == {"Customer": 1, "Site": 2, "Contract": 2, "WorkOrder": 2, "Task": 2}

    again = await execute(engine, DEACTIVATE, {"input": {"id": busy.id}}, actor=staff.manager)
    assert [e["code"] for e in again["deactivateCustomer"]["userErrors"]] == ["NOT_ACTIVE"]

    back = await execute(engine, LIFECYCLE, {"input": {"id": busy.id}}, actor=staff.manager)
    assert back["reactivate"] == {"customer": {"status": "ACTIVE"}, "userErrors": []}
    after = await statuses(engine)
    assert after["customer"] == ["ACTIVE"]
    assert after["sites"] == ["INACTIVE", "INACTIVE", "INACTIVE"], "reactivation restores nothing"


async def test_a_cascade_failing_halfway_changes_nothing(
    engine: AsyncEngine, staff: Staff, busy: Busy, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await statuses(engine)

    async def broken(*_args: Any) -> list[Any]:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(lifecycle, "cancel_work_orders", broken)
    from customer_graph.api.context import Context
    from customer_graph.api.schema import schema
    from customer_graph.settings import Settings

    result = await schema.execute(
        DEACTIVATE,
        variable_values={"input": {"id": busy.id}},
        context_value=Context(engine=engine, settings=Settings(), actor=staff.manager),
    )
    assert result.errors
    assert await statuses(engine) == before
    assert await count(engine, HistoryEvent) == 0


async def test_deactivation_with_a_stale_version_changes_nothing(
    engine: AsyncEngine, staff: Staff, busy: Busy
) -> None:
    before = await statuses(engine)
    data = await execute(
        engine, DEACTIVATE, {"input": {"id": busy.id, "expectedVersion": 7}}, actor=staff.manager
    )
    assert [e["code"] for e in data["deactivateCustomer"]["userErrors"]] == ["CONFLICT"]
    assert await statuses(engine) == before


async def test_archive_hides_from_lists_but_not_from_search(
    engine: AsyncEngine, staff: Staff
) -> None:
    customer = (await create(engine, staff.manager, name="Hidden Gem"))["customer"]
    await create(engine, staff.manager, name="Visible")
    archived = await execute(
        engine, ARCHIVE, {"input": {"id": customer["id"]}}, actor=staff.manager
    )
    assert archived["archiveCustomer"] == {"customer": {"isArchived": True}, "userErrors": []}
    listing = "query($f: CustomerFilter) { customers(filter: $f) { edges { node { name } } } }"
    names = lambda data: [e["node"]["name"] for e in data["customers"]["edges"]]  # noqa: E731
    assert names(await execute(engine, listing, {})) == ["Visible"]
    assert names(await execute(engine, listing, {"f": {"search": "gem"}})) == ["Hidden Gem"]
    assert names(await execute(engine, listing, {"f": {"archived": "ONLY"}})) == ["Hidden Gem"]
    twice = await execute(engine, ARCHIVE, {"input": {"id": customer["id"]}}, actor=staff.manager)
    assert [e["code"] for e in twice["archiveCustomer"]["userErrors"]] == ["INVALID"]
    restored = await execute(
        engine, UNARCHIVE, {"input": {"id": customer["id"]}}, actor=staff.manager
    )
    assert restored["unarchiveCustomer"] == {"customer": {"isArchived": False}, "userErrors": []}
    assert names(await execute(engine, listing, {})) == ["Hidden Gem", "Visible"]


async def test_delete_only_what_nothing_references(
    engine: AsyncEngine, staff: Staff, busy: Busy
) -> None:
    refused = await execute(engine, DELETE, {"input": {"id": busy.id}}, actor=staff.manager)
    error = refused["deleteCustomer"]["userErrors"][0]
    assert error["code"] == "REFERENCED"
    assert "3 sites" in error["message"]
    assert "3 contracts" in error["message"]
    assert "Archive it instead" in error["message"]

    plain = (await create(engine, staff.manager, name="Short-lived"))["customer"]
    by_rep = await execute(engine, DELETE, {"input": {"id": plain["id"]}}, actor=staff.rep)
    assert [e["code"] for e in by_rep["deleteCustomer"]["userErrors"]] == ["FORBIDDEN"]
    deleted = await execute(engine, DELETE, {"input": {"id": plain["id"]}}, actor=staff.manager)
    assert deleted["deleteCustomer"] == {"deletedCustomerId": plain["id"], "userErrors": []}
    gone = await execute(
        engine, "query($id: ID!) { customer(id: $id) { name } }", {"id": plain["id"]}
    )
    assert gone == {"customer": None}
    deleted_id = int(base64.b64decode(plain["id"]).decode().split(":")[1])
    async with engine.connect() as conn:
        actions = (
            await conn.scalars(
                select(HistoryEvent.action)
                .where(HistoryEvent.customer_id == deleted_id)
                .order_by(HistoryEvent.id)
            )
        ).all()
    assert actions == [enums.HistoryAction.CREATED, enums.HistoryAction.DELETED], "history outlives"


async def test_unknown_or_wrong_ids_are_user_errors(engine: AsyncEngine, staff: Staff) -> None:
    missing = await execute(
        engine, DEACTIVATE, {"input": {"id": global_id("Customer", 999)}}, actor=staff.manager
    )
    assert [(e["field"], e["code"]) for e in missing["deactivateCustomer"]["userErrors"]] == [
        ("id", "NOT_FOUND")
    ]
    wrong = await execute(
        engine, DEACTIVATE, {"input": {"id": global_id("Site", 1)}}, actor=staff.manager
    )
    assert [(e["field"], e["code"]) for e in wrong["deactivateCustomer"]["userErrors"]] == [
        ("id", "INVALID")
    ]


async def test_the_impact_shown_before_deactivating_is_what_deactivation_does(
    engine: AsyncEngine, staff: Staff, busy: Busy
) -> None:
    impact_query = """query($id: ID!) { customer(id: $id) { deactivationImpact {
        sitesDeactivated contractsCancelled workOrdersCancelled tasksCancelled } } }"""
    before = await execute(engine, impact_query, {"id": busy.id})
    data = await execute(engine, DEACTIVATE, {"input": {"id": busy.id}}, actor=staff.manager)
    assert before["customer"]["deactivationImpact"] == data["deactivateCustomer"]["cascade"]
    after = await execute(engine, impact_query, {"id": busy.id})
    assert set(after["customer"]["deactivationImpact"].values()) == {0}


async def test_writers_racing_for_one_customer_number_lose_with_duplicate(
    engine: AsyncEngine, staff: Staff
) -> None:
    """Eight writers give the same number at once, ten times: one wins each round, and
    every loser is told the number is taken, on the field, whoever reached the database
    first."""
    for round_ in range(10):
        number = f"RACE-{round_}"
        outcomes = await asyncio.gather(
            *(
                execute(
                    engine,
                    CREATE,
                    {"input": {"name": f"Racer {i}", "customerNumber": number}},
                    actor=staff.manager,
                )
                for i in range(8)
            )
        )
        errors = [outcome["createCustomer"]["userErrors"] for outcome in outcomes]
        assert sum(1 for error in errors if not error) == 1
        assert all(
            [(e["field"], e["code"]) for e in error] == [("customerNumber", "DUPLICATE")]
            for error in errors
            if error
        ), errors


async def test_writers_racing_to_renumber_customers_alike_lose_with_duplicate(
    engine: AsyncEngine, staff: Staff
) -> None:
    """Eight customers are given the same new number at once, five times: one takes it each
    time, and the others are told it is taken, on the field."""
    customers = [
        (await create(engine, staff.manager, name=f"Renumbered {i}"))["customer"] for i in range(8)
    ]
    for round_ in range(5):
        outcomes = await asyncio.gather(
            *(
                execute(
                    engine,
                    UPDATE,
                    {
                        "input": {
                            "id": customer["id"],
                            "expectedVersion": customer["version"],
                            "customerNumber": f"RENUMBER-{round_}",
                        }
                    },
                    actor=staff.manager,
                )
                for customer in customers
            )
        )
        results = [outcome["updateCustomer"] for outcome in outcomes]
        assert sum(1 for result in results if not result["userErrors"]) == 1
        for customer, result in zip(customers, results, strict=True):
            if result["userErrors"]:
                assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
                    ("customerNumber", "DUPLICATE")
                ], result
            else:
                customer["version"] = result["customer"]["version"]


async def test_history_names_the_people_an_id_referred_to(
    engine: AsyncEngine, staff: Staff
) -> None:
    """A change of owner is recorded with both people's names, so the history reads
    "Owner: Mia Manager → Otto Other" instead of two ids."""
    created = (await create(engine, staff.manager))["customer"]
    other = global_id("User", staff.other_rep_id)
    data = await execute(
        engine,
        """mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
          customer { history(first: 1) { edges { node {
            changes { field before after beforeName afterName } } } } }
          userErrors { field code message } } }""",
        {"input": {"id": created["id"], "expectedVersion": 1, "ownerId": other}},
        actor=staff.manager,
    )
    result = data["updateCustomer"]
    assert result["userErrors"] == []
    [change] = result["customer"]["history"]["edges"][0]["node"]["changes"]
    assert change == {
        "field": "ownerId",
        "before": staff.manager.user_id,
        "after": staff.other_rep_id,
        "beforeName": "Mia Manager",
        "afterName": "Otto Other",
    }


async def test_an_owner_deactivated_between_two_changes_is_refused_the_second_time(
    engine: AsyncEngine, staff: Staff
) -> None:
    """What one change learnt of the people it checked is not remembered by the next, even
    on the same pooled connection: an owner deactivated in between is refused. (Several
    changes each side, so that every pooled connection serves one before and one after.)"""
    other = global_id("User", staff.other_rep_id)
    for _ in range(POOLED):
        first = await create(engine, staff.manager, ownerId=other, managerId=other)
        assert first["userErrors"] == []
    async with engine.begin() as conn:
        await conn.execute(
            update(User).where(User.id == staff.other_rep_id).values(is_active=False)
        )
    for _ in range(POOLED):
        second = await create(engine, staff.manager, ownerId=other, managerId=other)
        assert second["customer"] is None
        assert [(e["field"], e["code"]) for e in second["userErrors"]] == [
            ("ownerId", "NOT_FOUND"),
            ("managerId", "NOT_FOUND"),
        ]


POOLED = 6
"""More than the pool keeps (``db.engine.make_engine``: 5)."""


async def test_a_null_composite_changes_none_of_its_parts(
    engine: AsyncEngine, staff: Staff
) -> None:
    created = await create(engine, staff.manager, address={"city": "Lyon", "country": "FR"})
    assert created["userErrors"] == []
    customer = created["customer"]
    data = await execute(
        engine,
        UPDATE,
        {"input": {"id": customer["id"], "expectedVersion": customer["version"],
                   "address": None, "name": "Renamed"}},
        actor=staff.manager,
    )  # fmt: skip
    result = data["updateCustomer"]
    assert result["userErrors"] == []
    assert result["customer"]["name"] == "Renamed"
    reread = await execute(
        engine, f'{{ node(id: "{customer["id"]}") {{ ... on Customer {{ address {{ city }} }} }} }}'
    )
    assert reread["node"]["address"] == {"city": "Lyon"}
