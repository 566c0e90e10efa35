"""A change's payload shows the record as any read of it does afterwards.

Where the record's fields read its own row alone, the write returns them itself (no read
after it): what it returns must be what a read returns, field for field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.db.enums import Role
from customer_graph.domain.permissions import Actor
from tests import factories as make
from tests.graphql_client import execute, global_id

CUSTOMER_FIELDS = """
    id customerNumber name kind segment description status archivedAt isArchived email
    phone contactTitle paymentTerms currency sharedFolderUrl notes vatId taxId createdOn
    version createdAt updatedAt viewerCanEdit viewerCanDelete tags
    address { street1 street2 city region postalCode country }
    billingAddress { city country } billingContact { name email phone }
    owner { name } manager { name }
"""
SITE_FIELDS = """
    id name status contactName email phone createdAt
    address { street1 city postalCode country } customer { name version }
"""
CONTACT_FIELDS = "id name title email phone isPrimary createdAt customer { name }"


async def read(engine: AsyncEngine, actor: Actor, type_name: str, fields: str, id_: str) -> Any:
    query = f'{{ node(id: "{id_}") {{ ... on {type_name} {{ {fields} }} }} }}'
    return (await execute(engine, query, actor=actor))["node"]


async def test_what_a_write_answers_is_what_a_read_shows(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        owner = await make.user(conn, name="Olga Owner", role=Role.SALES_MANAGER)
    actor = Actor.for_user(owner, "Olga Owner", Role.SALES_MANAGER)

    created = (await execute(
        engine,
        f"""mutation($input: CreateCustomerInput!) {{ createCustomer(input: $input) {{
            customer {{ {CUSTOMER_FIELDS} }} userErrors {{ code }} }} }}""",
        {"input": {"name": "Answered", "email": "a@example.com", "tags": ["b", "a"],
                   "ownerId": global_id("User", owner),
                   "address": {"city": "Lyon", "country": "FR"}}},
        actor=actor,
    ))["createCustomer"]  # fmt: skip
    assert created["userErrors"] == []
    customer = created["customer"]
    assert customer["tags"] == ["a", "b"]
    assert customer == await read(engine, actor, "Customer", CUSTOMER_FIELDS, customer["id"])

    updated = (await execute(
        engine,
        f"""mutation($input: UpdateCustomerInput!) {{ updateCustomer(input: $input) {{
            customer {{ {CUSTOMER_FIELDS} }} userErrors {{ code }} }} }}""",
        {"input": {"id": customer["id"], "expectedVersion": customer["version"],
                   "name": "Answered again", "billingAddress": {"city": "Nice"}}},
        actor=actor,
    ))["updateCustomer"]  # fmt: skip
    assert updated["userErrors"] == []
    assert updated["customer"]["version"] == customer["version"] + 1
    assert updated["customer"] == await read(
        engine, actor, "Customer", CUSTOMER_FIELDS, customer["id"]
    )

    contact = (
        await execute(
            engine,
            f"""mutation($input: CreateContactInput!) {{ createContact(input: $input) {{
            contact {{ {CONTACT_FIELDS} }} userErrors {{ code }} }} }}""",
            {"input": {"customerId": customer["id"], "name": "Pia Primary", "isPrimary": True}},
            actor=actor,
        )
    )["createContact"]
    assert contact["userErrors"] == []
    assert contact["contact"] == await read(
        engine, actor, "Contact", CONTACT_FIELDS, contact["contact"]["id"]
    )

    site = (
        await execute(
            engine,
            f"""mutation($input: CreateSiteInput!) {{ createSite(input: $input) {{
            site {{ {SITE_FIELDS} }} userErrors {{ code }} }} }}""",
            {"input": {"customerId": customer["id"], "name": "Depot"}},
            actor=actor,
        )
    )["createSite"]
    assert site["userErrors"] == []
    assert site["site"]["contactName"] == "Pia Primary"
    assert site["site"] == await read(engine, actor, "Site", SITE_FIELDS, site["site"]["id"])

    renamed = (
        await execute(
            engine,
            f"""mutation($input: UpdateSiteInput!) {{ updateSite(input: $input) {{
            site {{ {SITE_FIELDS} }} userErrors {{ code }} }} }}""",
            {"input": {"id": site["site"]["id"], "name": "Depot North", "status": "INACTIVE"}},
            actor=actor,
        )
    )["updateSite"]
    assert renamed["userErrors"] == []
    assert renamed["site"]["status"] == "INACTIVE"
    assert renamed["site"] == await read(engine, actor, "Site", SITE_FIELDS, site["site"]["id"])
