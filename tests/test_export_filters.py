"""The export takes the customer list's filter and order: it selects and orders exactly the
customers ``customers(filter:, orderBy:)`` lists, by the same parameters' names, and takes
ids (the app's "Export selected") in a POST form when they are too many for a URL."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.db.seed import seed_demo
from customer_graph.domain import exports
from customer_graph.domain.tokens import create_token
from tests.graphql_client import TODAY, execute
from tests.web_client import app_client

LISTED = """
query Listed($filter: CustomerFilter, $orderBy: CustomerOrder, $after: String) {
  customers(first: 100, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { node { id customerNumber } }
    pageInfo { hasNextPage endCursor }
  }
  users(first: 100) { edges { node { id } } }
}
"""


@pytest.fixture
async def seeded(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> str:
    """Demo customers, exported in batches of 7 so that the order carries across batches;
    a read token."""
    await seed_demo(engine, customers=60, seed=7, today=TODAY)
    monkeypatch.setattr(exports, "BATCH", 7)
    monkeypatch.setattr("customer_graph.api.compiled.export.BATCH", 7)
    async with AsyncSession(engine) as session:
        issued = await create_token(session, name="bi", scopes=frozenset({"read"}))
        await session.commit()
    return issued.secret


async def listed(engine: AsyncEngine, variables: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The customer numbers the list shows, every page, and the users' ids."""
    numbers: list[str] = []
    after = None
    while True:
        data = await execute(engine, LISTED, {**variables, "after": after})
        page = data["customers"]
        numbers += [edge["node"]["customerNumber"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            users = [edge["node"]["id"] for edge in data["users"]["edges"]]
            return numbers, users
        after = page["pageInfo"]["endCursor"]


def as_parameters(variables: dict[str, Any]) -> list[tuple[str, str]]:
    """A list's variables as the export's parameters: the same names, lists repeated, and the
    list's archive rule said out loud (an export holds archived customers unless told)."""
    given = variables.get("filter", {})
    archived = given.get("archived") or ("INCLUDE" if given.get("search") else "EXCLUDE")
    parameters = [("archived", archived)] + [
        (name, value)
        for name, values in given.items()
        if name != "archived"
        for value in (values if isinstance(values, list) else [values])
    ]
    order = variables.get("orderBy")
    if order:
        parameters += [("orderBy", order["field"]), ("direction", order["direction"])]
    return parameters


def exported_numbers(fmt: str, text: str) -> list[str]:
    if fmt == "csv":
        return [row["customer_number"] for row in csv.DictReader(io.StringIO(text))]
    return [json.loads(line)["customer_number"] for line in text.splitlines()]


FILTERS: list[dict[str, Any]] = [
    {"filter": {"statuses": ["INACTIVE"]}},
    {"filter": {"kinds": ["INDIVIDUAL"], "segments": ["SMB", "STARTUP"]}},
    {"filter": {"tags": ["Churn risk", "VIP"]}, "orderBy": {"field": "NAME", "direction": "DESC"}},
    {"filter": {"search": "a", "archived": "EXCLUDE"}},
    {"filter": {"archived": "ONLY"}},
    {"orderBy": {"field": "TOTAL_REVENUE", "direction": "DESC"}},
    {"filter": {"archived": "INCLUDE"}, "orderBy": {"field": "CREATED_ON", "direction": "ASC"}},
    {"orderBy": {"field": "CUSTOMER_NUMBER", "direction": "DESC"}},
    {"filter": {"ownerIds": "owner"}},
    {"filter": {"managerIds": "manager", "statuses": ["ACTIVE"]}},
]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("variables", FILTERS)
async def test_the_export_selects_and_orders_what_the_list_shows(
    engine: AsyncEngine, seeded: str, fmt: str, variables: dict[str, Any]
) -> None:
    _, users = await listed(engine, {})
    people = {"owner": [users[1]], "manager": [users[0], users[2]]}
    given = {
        **variables,
        "filter": {
            name: people[value] if isinstance(value, str) and value in people else value
            for name, value in variables.get("filter", {}).items()
        },
    }
    expected, _ = await listed(engine, given)
    assert expected, "the filter selects somebody"
    async with app_client(engine, Authorization=f"Bearer {seeded}") as client:
        response = await client.get(f"/export/customers.{fmt}", params=as_parameters(given))
    assert response.status_code == 200, response.text
    numbers = exported_numbers(fmt, response.text)
    if "orderBy" not in given:
        numbers.sort(key=expected.index)
    assert numbers == expected


async def test_selected_ids_are_exported_in_a_form_archived_ones_too(
    engine: AsyncEngine, seeded: str
) -> None:
    data = await execute(
        engine,
        """{ customers(first: 60, filter: { archived: INCLUDE }) {
            edges { node { id customerNumber isArchived } } } }""",
    )
    nodes = [edge["node"] for edge in data["customers"]["edges"]]
    archived = next(node for node in nodes if node["isArchived"])
    chosen = [nodes[3], archived, nodes[0]]
    form = {"ids": [node["id"] for node in chosen], "orderBy": "CUSTOMER_NUMBER"}
    async with app_client(engine, Authorization=f"Bearer {seeded}") as client:
        posted = await client.post("/export/customers.csv", data=form)
        unknown_only = await client.get(
            "/export/customers.jsonl", params={"ids": "Q3VzdG9tZXI6OTk5OTk5"}
        )
    assert posted.status_code == 200, posted.text
    assert exported_numbers("csv", posted.text) == sorted(n["customerNumber"] for n in chosen)
    assert unknown_only.status_code == 200
    assert unknown_only.text == "", "ids of nobody select nobody, not everybody"


@pytest.mark.parametrize(
    ("method", "query", "body", "status", "error"),
    [
        ("GET", "status=ACTIVE", None, 400, "Unknown parameter 'status'; the parameters are: "),
        ("GET", "kinds=PERSON", None, 400, "kinds is one of COMPANY, INDIVIDUAL; 'PERSON' is not."),
        ("GET", "ownerIds=nonsense", None, 400, "ownerIds takes ids; 'nonsense' is not one."),
        (
            "GET",
            "ownerIds=Q3VzdG9tZXI6MQ==",
            None,
            400,
            "`ownerIds` takes ids of users; Q3VzdG9tZXI6MQ== is not one.",
        ),
        ("GET", "ids=VXNlcjox", None, 400, "ids takes ids of customers; VXNlcjox is not one."),
        ("GET", "tags=a%00b", None, 400, "tags contains a NUL character."),
        ("GET", "search=a&search=b", None, 400, "search is given 2 times; give it once."),
        ("GET", "direction=DESC", None, 400, "direction needs orderBy."),
        ("GET", "orderBy=SIZE", None, 400, "orderBy is one of NAME, CUSTOMER_NUMBER, "),
        ("GET", "archived=maybe", None, 400, "archived is one of EXCLUDE, INCLUDE, ONLY;"),
        ("POST", "", '{"ids": []}', 415, "POST the parameters as a form"),
        ("POST", "search=a", "tags=VIP", 400, "POST the parameters in the body only"),
    ],
)
async def test_parameters_the_list_cannot_be_read_by_are_refused(
    engine: AsyncEngine,
    seeded: str,
    method: str,
    query: str,
    body: str | None,
    status: int,
    error: str,
) -> None:
    headers = {"Authorization": f"Bearer {seeded}"}
    if body is not None and body.startswith("{"):
        headers["Content-Type"] = "application/json"
    elif body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    async with app_client(engine) as client:
        response = await client.request(
            method, f"/export/customers.csv?{query}", content=body, headers=headers
        )
    assert response.status_code == status, response.text
    assert response.json()["error"].startswith(error)


async def test_more_values_than_a_list_takes_are_refused(engine: AsyncEngine, seeded: str) -> None:
    form = "&".join(f"tags=t{n}" for n in range(1001))
    async with app_client(engine, Authorization=f"Bearer {seeded}") as client:
        response = await client.post(
            "/export/customers.csv",
            content=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 400
    assert response.json()["error"] == "tags has more than 1000 values."
