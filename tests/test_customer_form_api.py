"""What the customer forms rely on: every field of the add form can be changed later, and
the owner and manager pickers search people by name; on both databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db import enums
from customer_graph.domain.permissions import Actor
from tests import factories as make
from tests.graphql_client import execute, global_id

CREATE = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
  customer { id version } userErrors { field code message } } }"""
UPDATE = """mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
  customer {
    name customerNumber kind segment description email phone contactTitle
    paymentTerms currency vatId taxId sharedFolderUrl notes createdOn tags version
    owner { name } manager { name }
    address { street1 street2 city region postalCode country }
    billingContact { name email phone }
    billingAddress { street1 city country }
    history(first: 1) { edges { node { action changes { field } } } }
  }
  userErrors { field code message } } }"""
USERS = """query($search: String) {
  users(first: 20, search: $search) { totalCount edges { node { name } } } }"""


async def test_every_field_of_the_add_form_changes_on_edit(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        manager_id = await make.user(conn, name="Mia Manager", role=enums.Role.SALES_MANAGER)
        owner_id = await make.user(conn, name="Olga Owner")
        other_id = await make.user(conn, name="Max Manager")
    manager = Actor.for_user(manager_id, "Mia Manager", enums.Role.SALES_MANAGER)
    created = (await execute(engine, CREATE, {"input": {"name": "Acme"}}, actor=manager))[
        "createCustomer"
    ]["customer"]

    changes: dict[str, Any] = {
        "name": "Acme Europe",
        "customerNumber": "ACME-EU",
        "kind": "INDIVIDUAL",
        "segment": "ENTERPRISE",
        "description": "Makes anvils.",
        "email": "hello@acme.test",
        "phone": "+33 1 23 45 67 89",
        "contactTitle": "CFO",
        "paymentTerms": "NET_60",
        "currency": "EUR",
        "vatId": "FR123",
        "taxId": "TX-9",
        "sharedFolderUrl": "https://files.acme.test/acme",
        "notes": "Prefers mornings.",
        "createdOn": "2024-05-06",
        "tags": ["Partner"],
        "ownerId": global_id("User", owner_id),
        "managerId": global_id("User", other_id),
        "address": {
            "street1": "1 Rue Haute",
            "street2": "Bât. B",
            "city": "Lyon",
            "region": "ARA",
            "postalCode": "69001",
            "country": "fr",
        },
        "billingContact": {
            "name": "Bill Payer",
            "email": "bill@acme.test",
            "phone": "+33 1 98 76 54 32",
        },
        "billingAddress": {"street1": "2 Rue Basse", "city": "Paris", "country": "FR"},
    }
    data = await execute(
        engine,
        UPDATE,
        {"input": {"id": created["id"], "expectedVersion": created["version"], **changes}},
        actor=manager,
    )
    payload = data["updateCustomer"]
    assert payload["userErrors"] == []
    customer = payload["customer"]
    for field in (
        "name",
        "customerNumber",
        "kind",
        "segment",
        "description",
        "email",
        "contactTitle",
        "paymentTerms",
        "currency",
        "vatId",
        "taxId",
        "sharedFolderUrl",
        "notes",
        "createdOn",
        "tags",
    ):
        assert customer[field] == changes[field], field
    assert customer["owner"] == {"name": "Olga Owner"}
    assert customer["manager"] == {"name": "Max Manager"}
    assert customer["address"] == changes["address"] | {"country": "FR"}
    assert customer["billingContact"]["name"] == "Bill Payer"
    assert customer["billingAddress"] == changes["billingAddress"]
    assert customer["version"] == created["version"] + 1
    event = customer["history"]["edges"][0]["node"]
    assert event["action"] == "UPDATED"
    recorded = {change["field"] for change in event["changes"]}
    assert {"ownerId", "managerId", "createdOn", "description", "address.street1"} <= recorded


async def test_the_people_pickers_search_active_users_by_name(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for name in ("Dana Whitfield", "Riley Carter", "Carter Diaz", "100% Sure"):
            await make.user(conn, name=name)
        await make.user(conn, name="Cartwright Gone", is_active=False)

    async def names(search: str | None) -> list[str]:
        users = (await execute(engine, USERS, {"search": search}))["users"]
        found = [edge["node"]["name"] for edge in users["edges"]]
        assert users["totalCount"] == len(found)
        return found

    assert await names("cart") == ["Carter Diaz", "Riley Carter"]
    assert await names("  WHIT ") == ["Dana Whitfield"]
    assert await names("%") == ["100% Sure"]
    assert await names("_") == []
    everyone = await names(None)
    assert await names("") == everyone
    assert "Cartwright Gone" not in everyone
