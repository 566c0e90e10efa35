"""History names each changed field in the words people read (``FieldChange.label``): the
words declared with the field (a customer's column, each other kind's ``field_labels``),
else its path in words; the same on both read paths and both databases."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.api.naming import graphql_path
from customer_graph.db import enums
from customer_graph.domain.history_fields import FIELD_LABELS, field_label
from tests import factories as make
from tests.customer_records import World, mutate
from tests.customer_records import world as records_world
from tests.graphql_client import execute, global_id, run

world = records_world

SHOWN_BEFORE = {
    "customerNumber": "Customer number",
    "name": "Name",
    "kind": "Type",
    "segment": "Segment",
    "description": "Description",
    "status": "Status",
    "email": "Email",
    "phone": "Phone",
    "contactTitle": "Contact title",
    "contactName": "Contact name",
    "title": "Title",
    "isPrimary": "Primary contact",
    "paymentTerms": "Payment terms",
    "currency": "Currency",
    "sharedFolderUrl": "Shared folder",
    "notes": "Notes",
    "vatId": "VAT ID",
    "taxId": "Tax ID",
    # The page said "Created on" here; the field is declared "Date created", as the
    # customer's form, its list's column and its filter call it.
    "createdOn": "Date created",
    "ownerId": "Owner",
    "managerId": "Manager",
    "tags": "Tags",
    "address.street1": "Street",
    "address.street2": "Street (line 2)",
    "address.city": "City",
    "address.region": "Region",
    "address.postalCode": "Postal code",
    "address.country": "Country",
    "billingAddress.street1": "Billing street",
    "billingAddress.street2": "Billing street (line 2)",
    "billingAddress.city": "Billing city",
    "billingAddress.region": "Billing region",
    "billingAddress.postalCode": "Billing postal code",
    "billingAddress.country": "Billing country",
    "billingContact.name": "Billing contact",
    "billingContact.email": "Billing email",
    "billingContact.phone": "Billing phone",
    "serialNumber": "Serial number",
    "siteId": "Site",
    "ownerCustomerId": "Owned by",
    "assetId": "Asset",
    "projectId": "Project",
    "number": "Number",
    "startDate": "Start date",
    "endDate": "End date",
    "value.amount": "Value",
    "value.currency": "Currency",
    "amount.amount": "Amount",
    "amount.currency": "Currency",
    "total.amount": "Total",
    "total.currency": "Currency",
    "rate.amount": "Rate",
    "rate.currency": "Currency",
    "unitPrice.amount": "Unit price",
    "unitPrice.currency": "Currency",
    "ratePeriod": "Billed",
    "stage": "Stage",
    "expectedCloseOn": "Expected to close",
    "orderedOn": "Ordered on",
    "issuedOn": "Issued on",
    "dueOn": "Due on",
    "paidOn": "Paid on",
    "scheduledOn": "Scheduled on",
    "subject": "Subject",
    "priority": "Priority",
    "closedAt": "Closed",
    "productCode": "Product code",
    "productName": "Product",
    "validFrom": "Valid from",
    "validTo": "Valid to",
}
"""The words the customer page showed for each field history names, by the field's path as
the API answers it, when the page kept them itself."""

RECORDED = [
    (entity_type, stored) for entity_type, fields in FIELD_LABELS.items() for stored in fields
]


@pytest.mark.parametrize(("entity_type", "stored"), RECORDED, ids=lambda v: str(v))
def test_a_recorded_field_keeps_the_words_the_page_showed(entity_type: str, stored: str) -> None:
    path = graphql_path(stored)
    assert path is not None
    words = field_label(entity_type, stored)
    assert words == SHOWN_BEFORE.get(path, words), f"{entity_type}.{path}"


def test_every_field_the_page_named_is_still_recorded_by_some_kind() -> None:
    recorded = {graphql_path(stored) for _, stored in RECORDED} | {"tags"}
    assert set(SHOWN_BEFORE) - recorded == set()


def test_a_field_nothing_declares_reads_as_its_path_in_words() -> None:
    assert field_label("Customer", "tags") == "Tags"
    assert field_label("Site", "opening_hours") == "Opening hours"
    assert field_label("Gadget", "spare_part.serial_number") == "Serial number"
    assert field_label("Site", "") == ""


HISTORY = """query($id: ID!) { customer(id: $id) { history(first: 100) { edges { node {
  entityType changes { field label } } } } } }"""


async def labels(engine: AsyncEngine, customer_id: str) -> dict[tuple[str, str], str]:
    """Each change of the customer's history: its words, by kind and path. Both read paths
    answer the same JSON, byte for byte; on PostgreSQL the compiled one really answers."""
    variables = {"id": customer_id}
    resolved, _ = await run(engine, HISTORY, variables, compiled=False)
    compiled, context = await run(engine, HISTORY, variables, compiled=True)
    assert resolved.errors is None
    assert compiled.errors is None
    assert orjson.dumps(compiled.data) == orjson.dumps(resolved.data)
    assert context.answered_compiled == (engine.dialect.name == "postgresql")
    assert resolved.data is not None
    return {
        (edge["node"]["entityType"], change["field"]): change["label"]
        for edge in resolved.data["customer"]["history"]["edges"]
        for change in edge["node"]["changes"]
    }


async def test_a_customers_changes_read_in_words(engine: AsyncEngine, world: World) -> None:
    acme = world.ids["acme"]
    version = (
        await execute(engine, "query($id: ID!) { customer(id: $id) { version } }", {"id": acme})
    )["customer"]["version"]
    changes: dict[str, Any] = {
        "kind": "INDIVIDUAL",
        "vatId": "FR123",
        "sharedFolderUrl": "https://files.acme.test/acme",
        "createdOn": "2024-05-06",
        "managerId": global_id("User", world.manager.user_id or 0),
        "address": {"street1": "2 Rue Haute", "postalCode": "69002"},
        "billingContact": {"name": "Bill Payer"},
        "billingAddress": {"city": "Paris", "postalCode": "75001"},
        "tags": ["Partner"],
    }
    updated = await mutate(
        engine,
        "updateCustomer",
        {"id": acme, "expectedVersion": version, **changes},
        "customer { id }",
        world.rep,
    )
    assert updated["userErrors"] == []
    found = await labels(engine, acme)
    assert {path: words for (kind, path), words in found.items() if kind == "Customer"} == {
        "kind": "Type",
        "vatId": "VAT ID",
        "sharedFolderUrl": "Shared folder",
        "createdOn": "Date created",
        "managerId": "Manager",
        "address.street1": "Street",
        "address.postalCode": "Postal code",
        "billingContact.name": "Billing contact",
        "billingAddress.city": "Billing city",
        "billingAddress.postalCode": "Billing postal code",
        "tags": "Tags",
    }


async def test_each_kind_of_record_reads_in_its_own_words(
    engine: AsyncEngine, world: World
) -> None:
    acme, rep = world.ids["acme"], world.rep
    created = [
        ("createSite", {"customerId": acme, "name": "Depot", "address": {"postalCode": "69003"}}),
        (
            "createContract",
            {
                "customerId": acme,
                "number": "K-1",
                "startDate": "2026-01-01",
                "value": {"amount": "9"},
            },
        ),
        ("createAsset", {"ownerCustomerId": acme, "name": "Pump"}),
        ("createContact", {"customerId": acme, "name": "Ada", "isPrimary": True}),
    ]
    for name, given in created:
        assert (await mutate(engine, name, given, "__typename", rep))["userErrors"] == []
    async with engine.begin() as conn:
        await make.history_event(
            conn,
            world.acme,
            entity_type="Site",
            entity_id=world.acme_site,
            action=enums.HistoryAction.UPDATED,
            changes=[{"field": "opening_hours", "before": None, "after": "9-5"}],
        )
        await make.history_event(
            conn,
            world.acme,
            entity_type="Gadget",
            entity_id=1,
            action=enums.HistoryAction.UPDATED,
            changes=[{"field": "spare_part.serial_number", "before": None, "after": "SN-1"}],
        )
    found = await labels(engine, acme)
    assert found[("Site", "address.postalCode")] == "Postal code"
    assert found[("Site", "name")] == "Name"
    assert found[("Contract", "value.amount")] == "Value"
    assert found[("Contract", "value.currency")] == "Currency"
    assert found[("Contract", "startDate")] == "Start date"
    assert found[("Asset", "ownerCustomerId")] == "Owned by"
    assert found[("Contact", "isPrimary")] == "Primary contact"
    assert found[("Site", "openingHours")] == "Opening hours"
    assert found[("Gadget", "sparePart.serialNumber")] == "Serial number"
