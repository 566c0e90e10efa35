"""What every kind of a customer's records goes through, contacts to price schedules:
create, update and remove; field errors; who may change them; ids; subscribers; the
customer's status. On both databases."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.api.context import Context
from customer_graph.api.schema import schema
from customer_graph.db import enums
from customer_graph.db.change_feed import Broker, CustomerChange
from customer_graph.db.models import (
    Asset,
    Contact,
    Contract,
    HistoryEvent,
    Invoice,
    Lease,
    Order,
    PriceSchedule,
    Project,
    Site,
    WorkOrder,
)
from customer_graph.db.models import Customer as CustomerRow
from customer_graph.domain.permissions import Actor
from customer_graph.settings import Settings
from tests import customer_records
from tests import factories as make
from tests.customer_records import (
    TOKENS,
    World,
    changes_of,
    count,
    database_id,
    history,
    mutate,
    refusals,
    resolve,
)
from tests.graphql_client import TODAY, execute, global_id, run

world = customer_records.world


@dataclass(frozen=True)
class Case:
    """One kind of record: how to create it, change it, and what a user sees."""

    type_name: str
    parent: dict[str, str]
    """Input fields naming where the record goes, as keys of ``World.ids``."""
    create: dict[str, Any]
    selection: str
    created: dict[str, Any]
    update: dict[str, Any]
    updated: dict[str, Any]
    changed: dict[str, tuple[Any, Any]]
    """What the UPDATED event in the customer's history says."""

    @property
    def payload_field(self) -> str:
        return self.type_name[0].lower() + self.type_name[1:]


CASES = [
    Case(
        "Contact",
        {"customerId": "acme"},
        {"name": " Ada Lovelace ", "title": "CTO"},
        "name title email isPrimary",
        {"name": "Ada Lovelace", "title": "CTO", "email": None, "isPrimary": False},
        {"title": None, "email": "ada@acme.test"},
        {"name": "Ada Lovelace", "title": None, "email": "ada@acme.test", "isPrimary": False},
        {"title": ("CTO", None), "email": (None, "ada@acme.test")},
    ),
    Case(
        "Site",
        {"customerId": "acme"},
        {"name": "Depot", "address": {"city": "Lille", "country": "fr"}},
        "name status address { city country }",
        {"name": "Depot", "status": "ACTIVE", "address": {"city": "Lille", "country": "FR"}},
        {"name": "Old depot", "status": "INACTIVE"},
        {"name": "Old depot", "status": "INACTIVE", "address": {"city": "Lille", "country": "FR"}},
        {"name": ("Depot", "Old depot"), "status": ("ACTIVE", "INACTIVE")},
    ),
    Case(
        "Project",
        {"customerId": "acme"},
        {"name": "Migration", "startDate": "2026-02-01"},
        "name status phase startDate endDate",
        {
            "name": "Migration",
            "status": "PLANNED",
            "phase": "UPCOMING",
            "startDate": "2026-02-01",
            "endDate": None,
        },
        {"startDate": "2026-01-01", "endDate": "2026-03-31"},
        {
            "name": "Migration",
            "status": "PLANNED",
            "phase": "ACTIVE",
            "startDate": "2026-01-01",
            "endDate": "2026-03-31",
        },
        {"startDate": ("2026-02-01", "2026-01-01"), "endDate": (None, "2026-03-31")},
    ),
    Case(
        "Asset",
        {"siteId": "acme_site", "ownerCustomerId": "acme"},
        {"name": "Pump", "serialNumber": "SN-100"},
        "name serialNumber status site { name } ownerCustomer { name }",
        {
            "name": "Pump",
            "serialNumber": "SN-100",
            "status": "IN_SERVICE",
            "site": {"name": "Acme HQ"},
            "ownerCustomer": {"name": "Acme"},
        },
        {"status": "IN_REPAIR", "serialNumber": None},
        {
            "name": "Pump",
            "serialNumber": None,
            "status": "IN_REPAIR",
            "site": {"name": "Acme HQ"},
            "ownerCustomer": {"name": "Acme"},
        },
        {"status": ("IN_SERVICE", "IN_REPAIR"), "serialNumber": ("SN-100", None)},
    ),
    Case(
        "Contract",
        {"customerId": "acme"},
        {"number": "K-100", "startDate": "2026-01-01", "value": {"amount": "1200.5"}},
        "number status endDate value { amount currency }",
        {
            "number": "K-100",
            "status": "DRAFT",
            "endDate": None,
            "value": {"amount": "1200.50", "currency": "USD"},
        },
        {"status": "ACTIVE", "value": {"amount": "1300", "currency": "usd"}},
        {
            "number": "K-100",
            "status": "ACTIVE",
            "endDate": None,
            "value": {"amount": "1300.00", "currency": "USD"},
        },
        {"status": ("DRAFT", "ACTIVE"), "value.amount": ("1200.50", "1300.00")},
    ),
    Case(
        "WorkOrder",
        {"customerId": "acme"},
        {"title": "Fix pump", "siteId": "$acme_site"},
        "number title status scheduledOn site { name }",
        {
            "number": "WO-000001",
            "title": "Fix pump",
            "status": "OPEN",
            "scheduledOn": None,
            "site": {"name": "Acme HQ"},
        },
        {"status": "IN_PROGRESS", "scheduledOn": "2026-02-01"},
        {
            "number": "WO-000001",
            "title": "Fix pump",
            "status": "IN_PROGRESS",
            "scheduledOn": "2026-02-01",
            "site": {"name": "Acme HQ"},
        },
        {"status": ("OPEN", "IN_PROGRESS"), "scheduledOn": (None, "2026-02-01")},
    ),
    Case(
        "Task",
        {"workOrderId": "acme_work_order"},
        {"title": "Order a part", "dueOn": "2026-01-20"},
        "title status dueOn workOrder { title }",
        {
            "title": "Order a part",
            "status": "OPEN",
            "dueOn": "2026-01-20",
            "workOrder": {"title": "Inspection"},
        },
        {"status": "DONE", "dueOn": None},
        {
            "title": "Order a part",
            "status": "DONE",
            "dueOn": None,
            "workOrder": {"title": "Inspection"},
        },
        {"status": ("OPEN", "DONE"), "dueOn": ("2026-01-20", None)},
    ),
    Case(
        "Lease",
        {"customerId": "acme"},
        {"siteId": "$other_site", "startDate": "2026-01-01", "rate": {"amount": "99.9"}},
        "startDate ratePeriod rate { amount currency } site { name } asset { name }",
        {
            "startDate": "2026-01-01",
            "ratePeriod": "MONTHLY",
            "rate": {"amount": "99.90", "currency": "USD"},
            "site": {"name": "Other Yard"},
            "asset": None,
        },
        {"ratePeriod": "YEARLY", "rate": {"amount": "1000"}},
        {
            "startDate": "2026-01-01",
            "ratePeriod": "YEARLY",
            "rate": {"amount": "1000.00", "currency": "USD"},
            "site": {"name": "Other Yard"},
            "asset": None,
        },
        {"ratePeriod": ("MONTHLY", "YEARLY"), "rate.amount": ("99.90", "1000.00")},
    ),
    Case(
        "Opportunity",
        {"customerId": "acme"},
        {"name": "Upsell", "amount": {"amount": "5000", "currency": "USD"}},
        "name stage isOpen amount { amount }",
        {"name": "Upsell", "stage": "PROSPECTING", "isOpen": True, "amount": {"amount": "5000.00"}},
        {"stage": "WON"},
        {"name": "Upsell", "stage": "WON", "isOpen": False, "amount": {"amount": "5000.00"}},
        {"stage": ("PROSPECTING", "WON")},
    ),
    Case(
        "Order",
        {"customerId": "acme"},
        {"number": "O-1", "orderedOn": "2026-01-10", "total": {"amount": "250"}},
        "number status orderedOn total { amount currency }",
        {
            "number": "O-1",
            "status": "PENDING",
            "orderedOn": "2026-01-10",
            "total": {"amount": "250.00", "currency": "USD"},
        },
        {"status": "FULFILLED", "number": "O-1b"},
        {
            "number": "O-1b",
            "status": "FULFILLED",
            "orderedOn": "2026-01-10",
            "total": {"amount": "250.00", "currency": "USD"},
        },
        {"status": ("PENDING", "FULFILLED"), "number": ("O-1", "O-1b")},
    ),
    Case(
        "Invoice",
        {"customerId": "acme"},
        {
            "number": "I-1",
            "amount": {"amount": "100"},
            "projectId": "$acme_project",
            "issuedOn": "2026-01-01",
        },
        "number status amount { amount } project { name } issuedOn dueOn",
        {
            "number": "I-1",
            "status": "DRAFT",
            "amount": {"amount": "100.00"},
            "project": {"name": "Rollout"},
            "issuedOn": "2026-01-01",
            "dueOn": None,
        },
        {"status": "ISSUED", "projectId": None, "dueOn": "2026-01-31"},
        {
            "number": "I-1",
            "status": "ISSUED",
            "amount": {"amount": "100.00"},
            "project": None,
            "issuedOn": "2026-01-01",
            "dueOn": "2026-01-31",
        },
        {
            "status": ("DRAFT", "ISSUED"),
            "projectId": ("#acme_project", None),
            "dueOn": (None, "2026-01-31"),
        },
    ),
    Case(
        "SupportTicket",
        {"customerId": "acme"},
        {"subject": "Pump is noisy"},
        "subject status priority",
        {"subject": "Pump is noisy", "status": "OPEN", "priority": "NORMAL"},
        {"priority": "URGENT"},
        {"subject": "Pump is noisy", "status": "OPEN", "priority": "URGENT"},
        {"priority": ("NORMAL", "URGENT")},
    ),
    Case(
        "PriceSchedule",
        {"customerId": "acme"},
        {
            "productCode": "P-1",
            "productName": "Widget",
            "unitPrice": {"amount": "9.99"},
            "validFrom": "2026-01-01",
        },
        "productCode productName unitPrice { amount currency } validFrom validTo",
        {
            "productCode": "P-1",
            "productName": "Widget",
            "unitPrice": {"amount": "9.99", "currency": "USD"},
            "validFrom": "2026-01-01",
            "validTo": None,
        },
        {"validTo": "2026-06-30", "unitPrice": {"amount": "10.49"}},
        {
            "productCode": "P-1",
            "productName": "Widget",
            "unitPrice": {"amount": "10.49", "currency": "USD"},
            "validFrom": "2026-01-01",
            "validTo": "2026-06-30",
        },
        {"validTo": (None, "2026-06-30"), "unitPrice.amount": ("9.99", "10.49")},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.type_name for case in CASES])
async def test_create_update_remove(engine: AsyncEngine, world: World, case: Case) -> None:
    actor = world.rep
    parent = {name: world.ids[which] for name, which in case.parent.items()}
    created = await mutate(
        engine,
        f"create{case.type_name}",
        parent | resolve(case.create, world),
        f"{case.payload_field} {{ id {case.selection} }}",
        actor,
    )
    assert created["userErrors"] == []
    record = created[case.payload_field]
    record_id = record.pop("id")
    assert record == case.created

    updated = await mutate(
        engine,
        f"update{case.type_name}",
        {"id": record_id} | resolve(case.update, world),
        f"{case.payload_field} {{ id {case.selection} }}",
        actor,
    )
    assert updated["userErrors"] == []
    assert updated[case.payload_field] == {"id": record_id} | case.updated

    removed = await mutate(
        engine,
        f"remove{case.type_name}",
        {"id": record_id},
        f"removed{case.type_name}Id",
        actor,
    )
    assert removed == {f"removed{case.type_name}Id": record_id, "userErrors": []}
    gone = await execute(engine, "query($id: ID!) { node(id: $id) { id } }", {"id": record_id})
    assert gone == {"node": None}

    events = [
        event
        for event in await history(engine, world.ids["acme"])
        if event["entityType"] == case.type_name and event["entityId"] == database_id(record_id)
    ]
    assert [event["action"] for event in events] == ["CREATED", "UPDATED", "DELETED"]
    assert changes_of(events[1]) == resolve(case.changed, world)
    assert events[2]["changes"]
    assert all(change["after"] is None for change in events[2]["changes"])


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("createSite", {"name": "Late site"}),
        ("createContract", {"number": "K-9", "startDate": "2026-01-01", "value": {"amount": "1"}}),
        ("createWorkOrder", {"title": "Late work", "siteId": "$dormant_site"}),
    ],
)
async def test_only_active_customers_get_new_sites_contracts_and_work_orders(
    engine: AsyncEngine, world: World, name: str, given: dict[str, Any]
) -> None:
    async with engine.begin() as conn:
        dormant_site = await make.site(conn, world.dormant, status=enums.SiteStatus.INACTIVE)
    world.ids["dormant_site"] = global_id("Site", dormant_site)
    model = {"createSite": Site, "createContract": Contract, "createWorkOrder": WorkOrder}[name]
    before = await count(engine, model), await count(engine, HistoryEvent)
    result = await mutate(
        engine,
        name,
        {"customerId": world.ids["dormant"]} | resolve(given, world),
        "__typename",
        world.rep,
    )
    assert refusals(result) == {("customerId", "NOT_ACTIVE")}
    assert "Dormant is inactive" in result["userErrors"][0]["message"]
    assert (await count(engine, model), await count(engine, HistoryEvent)) == before


async def test_inactive_customers_still_get_other_records(
    engine: AsyncEngine, world: World
) -> None:
    result = await mutate(
        engine,
        "createSupportTicket",
        {"customerId": world.ids["dormant"], "subject": "Why am I inactive?"},
        "supportTicket { subject }",
        world.rep,
    )
    assert result == {"supportTicket": {"subject": "Why am I inactive?"}, "userErrors": []}


@pytest.mark.parametrize(
    ("name", "field", "status"),
    [("updateContract", "contract", "ACTIVE"), ("updateWorkOrder", "workOrder", "OPEN")],
)
async def test_what_deactivation_cancelled_stays_cancelled(
    engine: AsyncEngine, world: World, name: str, field: str, status: str
) -> None:
    async with engine.begin() as conn:
        site = await make.site(conn, world.dormant, status=enums.SiteStatus.INACTIVE)
        ids = {
            "updateContract": global_id(
                "Contract",
                await make.contract(conn, world.dormant, status=enums.ContractStatus.CANCELLED),
            ),
            "updateWorkOrder": global_id(
                "WorkOrder",
                await make.work_order(
                    conn, world.dormant, site, status=enums.WorkOrderStatus.CANCELLED
                ),
            ),
        }
    reopened = await mutate(
        engine, name, {"id": ids[name], "status": status}, f"{field} {{ status }}", world.rep
    )
    assert refusals(reopened) == {("status", "NOT_ACTIVE")}
    kept = await mutate(
        engine, name, {"id": ids[name], "status": "CANCELLED"}, f"{field} {{ status }}", world.rep
    )
    assert kept == {field: {"status": "CANCELLED"}, "userErrors": []}


@dataclass(frozen=True)
class Refusal:
    name: str
    given: dict[str, Any]
    errors: set[tuple[str | None, str]]
    model: Any


REFUSALS = [
    Refusal(
        "createContact",
        {
            "customerId": "$acme",
            "name": " ",
            "email": "nope",
            "phone": "call me",
            "title": "x" * 101,
        },
        {("name", "REQUIRED"), ("email", "INVALID"), ("phone", "INVALID"), ("title", "INVALID")},
        Contact,
    ),
    Refusal(
        "createSite",
        {"customerId": "$acme", "name": "S", "address": {"country": "XX"}, "email": "@"},
        {("address.country", "INVALID"), ("email", "INVALID")},
        Site,
    ),
    Refusal(
        "createProject",
        {"customerId": "$acme", "name": "P", "startDate": "2026-02-01", "endDate": "2026-01-31"},
        {("endDate", "INVALID")},
        Project,
    ),
    Refusal(
        "createContract",
        {
            "customerId": "$acme",
            "number": "K-EXISTING",
            "startDate": "2026-01-01",
            "endDate": "2025-12-31",
            "value": {"amount": "-5", "currency": "EUR"},
        },
        {
            ("number", "DUPLICATE"),
            ("endDate", "INVALID"),
            ("value.amount", "INVALID"),
            ("value.currency", "INVALID"),
        },
        Contract,
    ),
    Refusal(
        "createContract",
        {
            "customerId": "$acme",
            "number": "K-2",
            "startDate": "2026-01-01",
            "value": {"amount": "1.005"},
        },
        {("value.amount", "INVALID")},
        Contract,
    ),
    Refusal(
        "createWorkOrder",
        {"customerId": "$acme", "siteId": "$other_site", "title": "Job", "number": "WO-EXISTING"},
        {("siteId", "INVALID"), ("number", "DUPLICATE")},
        WorkOrder,
    ),
    Refusal(
        "createAsset",
        {"name": "Twin", "serialNumber": "SN-EXISTING", "ownerCustomerId": "$acme"},
        {("serialNumber", "DUPLICATE")},
        Asset,
    ),
    Refusal(
        "createLease",
        {
            "customerId": "$acme",
            "siteId": "$acme_site",
            "assetId": "$existing_asset",
            "startDate": "2026-01-01",
            "rate": {"amount": "-1"},
        },
        {("siteId", "INVALID"), ("rate.amount", "INVALID")},
        Lease,
    ),
    Refusal(
        "createLease",
        {"customerId": "$acme", "startDate": "2026-01-01", "rate": {"amount": "1"}},
        {("assetId", "INVALID")},
        Lease,
    ),
    Refusal(
        "createOrder",
        {
            "customerId": "$acme",
            "number": "O-EXISTING",
            "orderedOn": "2026-01-01",
            "total": {"amount": "1"},
        },
        {("number", "DUPLICATE")},
        Order,
    ),
    Refusal(
        "createInvoice",
        {
            "customerId": "$acme",
            "number": "I-EXISTING",
            "amount": {"amount": "1"},
            "projectId": "$other_project",
            "issuedOn": "2026-01-10",
            "dueOn": "2026-01-09",
        },
        {("number", "DUPLICATE"), ("projectId", "INVALID"), ("dueOn", "INVALID")},
        Invoice,
    ),
    Refusal(
        "createPriceSchedule",
        {
            "customerId": "$acme",
            "productCode": "P-EXISTING",
            "productName": "Same again",
            "unitPrice": {"amount": "1"},
            "validFrom": "2026-01-01",
        },
        {("validFrom", "DUPLICATE")},
        PriceSchedule,
    ),
]


@pytest.mark.parametrize(
    "refusal",
    REFUSALS,
    ids=[f"{r.name}-{'-'.join(sorted(f or '' for f, _ in r.errors))}" for r in REFUSALS],
)
async def test_every_field_error_at_once_and_nothing_written(
    engine: AsyncEngine, world: World, refusal: Refusal
) -> None:
    async with engine.begin() as conn:
        await make.contract(conn, world.other, number="K-EXISTING")
        await make.work_order(conn, world.other, world.other_site, number="WO-EXISTING")
        asset = await make.asset(conn, serial_number="SN-EXISTING", owner_customer_id=world.other)
        await make.order(conn, world.other, "1.00", number="O-EXISTING")
        await make.invoice(
            conn, world.other, "1.00", enums.InvoiceStatus.DRAFT, number="I-EXISTING"
        )
        other_project = await make.project(conn, world.other, date(2025, 1, 1))
        await make.price_schedule(
            conn, world.acme, product_code="P-EXISTING", valid_from=date(2026, 1, 1)
        )
    world.ids["existing_asset"] = global_id("Asset", asset)
    world.ids["other_project"] = global_id("Project", other_project)
    before = await count(engine, refusal.model), await count(engine, HistoryEvent)
    result = await mutate(
        engine, refusal.name, resolve(refusal.given, world), "__typename", world.manager
    )
    assert refusals(result) == refusal.errors
    assert (await count(engine, refusal.model), await count(engine, HistoryEvent)) == before


@pytest.mark.parametrize(
    ("name", "given", "selection", "field"),
    [
        ("updateContact", {"name": None}, "contact { name }", "name"),
        ("updateProject", {"startDate": None}, "project { name }", "startDate"),
        ("updateContract", {"value": None}, "contract { number }", "value"),
        ("updateContract", {"number": ""}, "contract { number }", "number"),
        ("updateWorkOrder", {"siteId": None}, "workOrder { number }", "siteId"),
    ],
)
async def test_null_for_a_required_field_is_refused(
    engine: AsyncEngine, world: World, name: str, given: dict[str, Any], selection: str, field: str
) -> None:
    async with engine.begin() as conn:
        ids = {
            "updateContact": global_id("Contact", await make.contact(conn, world.acme)),
            "updateProject": world.ids["acme_project"],
            "updateContract": global_id("Contract", await make.contract(conn, world.acme)),
            "updateWorkOrder": world.ids["acme_work_order"],
        }
    before = await count(engine, HistoryEvent)
    result = await mutate(engine, name, {"id": ids[name]} | given, selection, world.rep)
    assert refusals(result) == {(field, "REQUIRED")}
    assert await count(engine, HistoryEvent) == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e400", "The amount is too large."),
        ("1E+12", "The amount is too large."),
        ("-1e400", "The amount cannot be negative."),
        ("1e-400", "The amount has more than two decimals."),
        ("Infinity", "The amount is not a number."),
    ],
)
async def test_an_amount_in_any_notation_is_checked_as_a_number(
    engine: AsyncEngine, world: World, amount: str, message: str
) -> None:
    """An exponent far past what the database stores is a field error, not a failed
    rounding in the server."""
    given = {"customerId": world.ids["acme"], "number": "O-1", "orderedOn": "2026-01-01"}
    result = await mutate(
        engine, "createOrder", given | {"total": {"amount": amount}}, "__typename", world.manager
    )
    assert result["userErrors"] == [
        {"field": "total.amount", "code": "INVALID", "message": message}
    ]
    assert await count(engine, Order) == 0


@pytest.mark.parametrize(
    ("who", "customer", "edits", "removes"),
    [
        ("manager", "other", True, True),
        ("rep", "acme", True, True),
        ("rep", "other", False, False),
        ("support", "acme", False, False),
        ("reader", "acme", False, False),
        ("writer", "other", True, False),
        ("deleter", "other", True, True),
    ],
)
async def test_who_may_change_a_customers_records(
    engine: AsyncEngine, world: World, who: str, customer: str, edits: bool, removes: bool
) -> None:
    actor = TOKENS.get(who) or getattr(world, who)
    async with engine.begin() as conn:
        contact = await make.contact(conn, getattr(world, customer), name="Kim")
    contact_id = global_id("Contact", contact)
    before = await count(engine, Contact), await count(engine, HistoryEvent)
    outcomes = [
        await mutate(
            engine,
            "createContact",
            {"customerId": world.ids[customer], "name": "New"},
            "contact { id }",
            actor,
        ),
        await mutate(
            engine, "updateContact", {"id": contact_id, "name": "Kim K"}, "contact { id }", actor
        ),
        await mutate(engine, "removeContact", {"id": contact_id}, "removedContactId", actor),
    ]
    codes = [[e["code"] for e in outcome["userErrors"]] for outcome in outcomes]
    assert codes == [[] if edits else ["FORBIDDEN"]] * 2 + [[] if removes else ["FORBIDDEN"]]
    if not edits:
        assert (await count(engine, Contact), await count(engine, HistoryEvent)) == before


@pytest.mark.parametrize("case", CASES, ids=[f"remove{case.type_name}" for case in CASES])
async def test_removing_a_record_needs_the_delete_scope(
    engine: AsyncEngine, world: World, case: Case
) -> None:
    """Removing is deleting: ``write`` creates and edits, only ``delete`` removes."""
    parent = {name: world.ids[which] for name, which in case.parent.items()}
    created = await mutate(
        engine,
        f"create{case.type_name}",
        parent | resolve(case.create, world),
        f"{case.payload_field} {{ id }}",
        world.rep,
    )
    record_id = created[case.payload_field]["id"]
    remove, removed_field = f"remove{case.type_name}", f"removed{case.type_name}Id"
    events = await count(engine, HistoryEvent)

    refused = await mutate(engine, remove, {"id": record_id}, removed_field, TOKENS["writer"])
    assert refused[removed_field] is None
    assert [(e["code"], e["message"]) for e in refused["userErrors"]] == [
        ("FORBIDDEN", "You are not allowed to remove records; a token needs the delete scope.")
    ]
    still = await execute(engine, "query($id: ID!) { node(id: $id) { id } }", {"id": record_id})
    assert still == {"node": {"id": record_id}}
    assert await count(engine, HistoryEvent) == events

    done = await mutate(engine, remove, {"id": record_id}, removed_field, TOKENS["blind deleter"])
    assert done == {removed_field: record_id, "userErrors": []}
    gone = await execute(engine, "query($id: ID!) { node(id: $id) { id } }", {"id": record_id})
    assert gone == {"node": None}


INPUT_TYPES = {"deactivateCustomer": "CustomerLifecycleInput"}


async def change_as(
    engine: AsyncEngine, actor: Actor, mutation: str, given: dict[str, Any], selection: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A mutation's payload and its GraphQL errors (a refused read is one)."""
    input_type = INPUT_TYPES.get(mutation, mutation[0].upper() + mutation[1:] + "Input")
    query = f"""mutation($input: {input_type}!) {{
        {mutation}(input: $input) {{ {selection} userErrors {{ code }} }} }}"""
    result, _ = await run(engine, query, {"input": given}, actor=actor, compiled=False)
    assert result.data is not None
    errors = [error.formatted for error in result.errors or []]
    return result.data[mutation], errors


async def test_a_token_without_read_gets_no_record_back_from_a_change(
    engine: AsyncEngine, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A payload's record is a read: the change is made, but what is stored stays hidden.
    The refusal is the client's business: nothing is logged as the server's error."""
    async with engine.begin() as conn:
        contact = await make.contact(conn, world.acme, name="Kim", email="kim@acme.test")
        version = await conn.scalar(select(CustomerRow.version).where(CustomerRow.id == world.acme))
    changes = [
        ("updateContact", {"id": global_id("Contact", contact)}, "contact", "name email"),
        (
            "updateCustomer",
            {"id": world.ids["acme"], "expectedVersion": version},
            "customer",
            "notes history { totalCount }",
        ),
        ("createSite", {"customerId": world.ids["acme"], "name": "Annex"}, "site", "id name"),
        ("deactivateCustomer", {"id": world.ids["other"]}, "cascade", "sitesDeactivated"),
    ]
    sites = await count(engine, Site)
    caplog.set_level(logging.WARNING)
    for mutation, given, field_name, selection in changes:
        payload, errors = await change_as(
            engine, TOKENS["blind writer"], mutation, given, f"{field_name} {{ {selection} }}"
        )
        assert payload == {field_name: None, "userErrors": []}, mutation
        assert [(e["path"], e["extensions"]) for e in errors] == [
            ([mutation, field_name], {"code": "FORBIDDEN"})
        ]
        assert errors[0]["message"] == "You are not allowed to view customers."
    assert await count(engine, Site) == sites + 1, "the change was made all the same"
    assert not caplog.records

    payload, errors = await change_as(
        engine, TOKENS["writer"], "updateContact", changes[0][1], "contact { name email }"
    )
    assert errors == []
    assert payload["contact"] == {"name": "Kim", "email": "kim@acme.test"}


async def test_a_refused_change_is_no_refused_read(engine: AsyncEngine, world: World) -> None:
    """Nothing is withheld from a refused change's payload: only its userErrors."""
    payload, errors = await change_as(
        engine,
        TOKENS["blind writer"],
        "updateContact",
        {"id": global_id("Contact", 999)},
        "contact { name }",
    )
    assert payload == {"contact": None, "userErrors": [{"code": "NOT_FOUND"}]}
    assert errors == []


async def test_unknown_and_mistyped_ids_are_user_errors(engine: AsyncEngine, world: World) -> None:
    missing = await mutate(
        engine,
        "createContact",
        {"customerId": global_id("Customer", 999), "name": "X"},
        "contact { id }",
        world.manager,
    )
    assert refusals(missing) == {("customerId", "NOT_FOUND")}
    mistyped = await mutate(
        engine,
        "createContact",
        {"customerId": world.ids["acme_site"], "name": "X"},
        "contact { id }",
        world.manager,
    )
    assert refusals(mistyped) == {("customerId", "INVALID")}
    no_site = await mutate(
        engine,
        "updateSite",
        {"id": global_id("Site", 999), "name": "X"},
        "site { id }",
        world.manager,
    )
    assert refusals(no_site) == {("id", "NOT_FOUND")}
    no_lease_site = await mutate(
        engine,
        "createLease",
        {
            "customerId": world.ids["acme"],
            "siteId": global_id("Site", 999),
            "startDate": "2026-01-01",
            "rate": {"amount": "1"},
        },
        "lease { id }",
        world.manager,
    )
    assert refusals(no_lease_site) == {("siteId", "NOT_FOUND")}


async def test_changes_reach_subscribers_of_every_customer_touched(
    engine: AsyncEngine, world: World
) -> None:
    broker = Broker()
    query = """mutation($input: CreateAssetInput!) { createAsset(input: $input) {
        asset { id } userErrors { code } } }"""
    given = {"name": "Van", "siteId": world.ids["other_site"], "ownerCustomerId": world.ids["acme"]}
    async with broker.subscribe() as changes:
        result = await schema.execute(
            query,
            variable_values={"input": given},
            context_value=Context(
                engine=engine, settings=Settings(), actor=world.manager, today=TODAY, broker=broker
            ),
        )
        assert result.errors is None
        received = [await asyncio.wait_for(changes.get(), 1) for _ in range(2)]
        assert changes.empty()
    assert set(received) == {
        CustomerChange(world.acme, "UPDATED"),
        CustomerChange(world.other, "UPDATED"),
    }
