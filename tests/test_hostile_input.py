"""Whatever a client sends gets a coded 4xx or a userError: never a 500, a traceback, SQL, or
an error in the server's log. Through the real app, on both databases."""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import exc as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.api import loaders, queries
from customer_graph.db import enums
from customer_graph.domain.imports import import_customers
from customer_graph.domain.permissions import Actor
from customer_graph.domain.tokens import create_token
from customer_graph.web.app import create_app
from customer_graph.web.graphql_http import GRAPHQL_RESPONSE
from tests import factories as make
from tests.graphql_client import TODAY, global_id
from tests.web_client import TEST_SETTINGS, app_client

MODERN = {"Accept": GRAPHQL_RESPONSE}
INTERNALS = ("SELECT", "INSERT", "sqlalchemy", "psycopg", "sqlite3", "Traceback")


def raw_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@dataclass
class World:
    client: httpx.AsyncClient
    owner: str
    customer: str


@pytest.fixture
async def world(engine: AsyncEngine) -> AsyncIterator[World]:
    async with engine.begin() as conn:
        owner = await make.user(conn, name="Olga Owner", role=enums.Role.SALES_MANAGER)
        customer = await make.customer(conn, owner, name="Acme", tags=["vip"])
    async with AsyncSession(engine) as session:
        token = await create_token(session, name="hostile", scopes=frozenset({"read", "write"}))
        await session.commit()
    async with app_client(engine, Authorization=f"Bearer {token.secret}", **MODERN) as client:
        yield World(client, global_id("User", owner), global_id("Customer", customer))


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog


def server_errors(logs: pytest.LogCaptureFixture) -> list[str]:
    """What the test logged at ERROR level or above (a client's error must log none)."""
    return [r.getMessage() for r in logs.records if r.levelno >= logging.ERROR]


async def graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert not any(word in response.text for word in INTERNALS), response.text
    return response


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


# -- global ids -----------------------------------------------------------------------------

MALFORMED_IDS = [
    "nope",
    "",
    raw_id("Customer: 1"),
    raw_id("Customer:１"),  # noqa: RUF001  (full-width digit one)
    raw_id("Customer:1_0"),
    raw_id("Customer:-1"),
    raw_id("Customer:01"),
    raw_id("Customer:1\x00"),
    raw_id("Site:1"),
]
BEYOND_RANGE = [2**31, 2**63, 2**64]
CUSTOMER = "query($id: ID!) { customer(id: $id) { name } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
ARCHIVE = """mutation($id: ID!) { archiveCustomer(input: {id: $id}) {
  customer { name } userErrors { field code message } } }"""


async def test_a_malformed_id_is_bad_user_input_in_a_query(
    world: World, logs: pytest.LogCaptureFixture
) -> None:
    for bad_id in MALFORMED_IDS:
        response = await graphql(world.client, CUSTOMER, id=bad_id)
        assert response.status_code == 200
        body = response.json()
        assert body["data"] == {"customer": None}, bad_id
        assert codes(body) == ["BAD_USER_INPUT"], bad_id
    for bad_id in MALFORMED_IDS[:-1]:  # Site:1 is a node's id
        for query, variables in (
            (NODE, {"id": bad_id}),
            (NODES, {"ids": [world.customer, bad_id]}),
        ):
            body = (await graphql(world.client, query, **variables)).json()
            assert codes(body) == ["BAD_USER_INPUT"], (bad_id, body)
    assert server_errors(logs) == []


async def test_a_malformed_id_in_a_mutation_is_an_invalid_user_error(
    world: World, logs: pytest.LogCaptureFixture
) -> None:
    for bad_id in MALFORMED_IDS:
        response = await graphql(world.client, ARCHIVE, id=bad_id)
        assert response.status_code == 200
        assert response.json()["data"]["archiveCustomer"] == {
            "customer": None,
            "userErrors": [
                {"field": "id", "code": "INVALID", "message": "Expected the id of a Customer."}
            ],
        }, bad_id
    assert server_errors(logs) == []


@pytest.mark.parametrize("key", BEYOND_RANGE)
async def test_an_id_beyond_the_integer_range_is_simply_not_found(
    world: World, key: int, logs: pytest.LogCaptureFixture
) -> None:
    beyond = global_id("Customer", key)
    customer = (await graphql(world.client, CUSTOMER, id=beyond)).json()
    assert customer == {"data": {"customer": None}, "extensions": customer["extensions"]}
    node = (await graphql(world.client, NODE, id=beyond)).json()
    assert node == {"data": {"node": None}, "extensions": node["extensions"]}
    nodes = (await graphql(world.client, NODES, ids=[beyond, world.customer])).json()
    assert nodes["data"] == {"nodes": [None, {"id": world.customer}]}
    owned = await graphql(
        world.client,
        "query($ids: [ID!]) { customers(filter: {ownerIds: $ids}) { totalCount } }",
        ids=[global_id("User", key)],
    )
    assert owned.json()["data"] == {"customers": {"totalCount": 0}}
    archive = (await graphql(world.client, ARCHIVE, id=beyond)).json()
    assert archive["data"]["archiveCustomer"]["userErrors"] == [
        {"field": "id", "code": "NOT_FOUND", "message": "No Customer has that id."}
    ]
    assert server_errors(logs) == []


async def test_the_canonical_id_still_finds_its_record(world: World) -> None:
    body = (await graphql(world.client, CUSTOMER, id=world.customer)).json()
    assert body["data"] == {"customer": {"name": "Acme"}}


# -- text and lists -------------------------------------------------------------------------

LIST = "query($filter: CustomerFilter) { customers(filter: $filter) { totalCount } }"
BY_NUMBER = "query($n: String!) { customerByNumber(customerNumber: $n) { name } }"
IN_A_TAB = """query($id: ID!, $s: String) {
  customer(id: $id) { assets(first: 10, search: $s) { totalCount } } }"""
PEOPLE = "query($s: String) { users(first: 5, search: $s) { totalCount } }"
TAGS = "query($s: String) { customerTags(first: 5, search: $s) { totalCount } }"


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        (LIST, {"filter": {"search": "Ac\x00me"}}, "`filter.search` contains a NUL character."),
        (LIST, {"filter": {"search": "a" * 100_000}}, "`filter.search` is longer than 200"),
        (LIST, {"filter": {"search": "a" * 201}}, "`filter.search` is longer than 200"),
        (LIST, {"filter": {"tags": ["vip", "v\x00ip"]}}, "`filter.tags` contains a NUL"),
        (LIST, {"filter": {"tags": ["t"] * 1001}}, "`filter.tags` has more than 1000 items."),
        (LIST, {"filter": {"tags": ["t" * 10_001]}}, "`filter.tags` is longer than 10000"),
        (BY_NUMBER, {"n": "C-1\x00"}, "`customerNumber` contains a NUL character."),
        (CUSTOMER, {"id": "Q" * 10_001}, "`id` is longer than 10000 characters."),
        (IN_A_TAB, {"id": "Q3VzdG9tZXI6MQ==", "s": "pu\x00mp"}, "`search` contains a NUL"),
        (IN_A_TAB, {"id": "Q3VzdG9tZXI6MQ==", "s": "p" * 100_000}, "`search` is longer than 200"),
        (PEOPLE, {"s": "R\x00y"}, "`search` contains a NUL character."),
        (TAGS, {"s": "V\x00IP"}, "`search` contains a NUL character."),
    ],
)
async def test_bad_text_in_a_query_is_refused_before_it_runs(
    world: World,
    query: str,
    variables: dict[str, Any],
    message: str,
    logs: pytest.LogCaptureFixture,
) -> None:
    response = await graphql(world.client, query, **variables)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"].startswith(message)
    assert server_errors(logs) == []


async def test_bad_text_in_a_literal_is_refused_too(world: World) -> None:
    query = '{ customers(filter: {search: "Ac\\u0000me"}) { totalCount } }'
    response = await graphql(world.client, query)
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]


async def test_text_at_the_limits_is_searched(world: World) -> None:
    for search in ("a" * 200, "Acme"):
        response = await graphql(world.client, LIST, filter={"search": search})
        assert response.status_code == 200
    assert response.json()["data"] == {"customers": {"totalCount": 1}}


CREATE = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
  customer { name } userErrors { field code message } } }"""
CREATE_CONTACT = """mutation($input: CreateContactInput!) { createContact(input: $input) {
  contact { name } userErrors { field code message } } }"""


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "Ac\x00me"}, "name", "`name` contains a NUL character."),
        ({"tags": ["ok", "b\x00d"]}, "tags", "`tags` contains a NUL character."),
        (
            {"address": {"city": "Ly\x00n"}},
            "address.city",
            "`address.city` contains a NUL character.",
        ),
        ({"notes": "n" * 100_000}, "notes", "`notes` is longer than 10000 characters."),
        ({"tags": ["t"] * 1001}, "tags", "`tags` has more than 1000 items."),
        ({"ownerId": "\x00"}, "ownerId", "`ownerId` contains a NUL character."),
    ],
)
async def test_bad_text_in_a_mutation_is_a_user_error_and_writes_nothing(
    world: World,
    fields: dict[str, Any],
    field: str,
    message: str,
    logs: pytest.LogCaptureFixture,
) -> None:
    given = {"name": "Fine", "ownerId": world.owner, "managerId": world.owner} | fields
    response = await graphql(world.client, CREATE, input=given)
    assert response.status_code == 200
    result = response.json()["data"]["createCustomer"]
    assert result["customer"] is None
    assert result["userErrors"] == [{"field": field, "code": "INVALID", "message": message}]
    listed = await graphql(world.client, "{ customers { totalCount } }")
    assert listed.json()["data"] == {"customers": {"totalCount": 1}}
    assert server_errors(logs) == []


async def test_bad_text_in_a_record_mutation_is_a_user_error(world: World) -> None:
    given = {"customerId": world.customer, "name": "Zed\x00"}
    result = (await graphql(world.client, CREATE_CONTACT, input=given)).json()
    assert result["data"]["createContact"] == {
        "contact": None,
        "userErrors": [
            {"field": "name", "code": "INVALID", "message": "`name` contains a NUL character."}
        ],
    }


async def test_a_good_mutation_still_runs(world: World) -> None:
    given = {"name": "Fine", "ownerId": world.owner, "managerId": world.owner, "tags": ["a"]}
    result = (await graphql(world.client, CREATE, input=given)).json()
    assert result["data"]["createCustomer"] == {"customer": {"name": "Fine"}, "userErrors": []}


async def test_an_imported_nul_is_a_row_error(engine: AsyncEngine, world: World) -> None:
    """The CSV import goes through the domain's rules, which refuse NUL characters too."""
    owner = int(base64.b64decode(world.owner).decode().split(":")[1])
    admin = Actor.for_user(owner, "Olga Owner", enums.Role.SALES_MANAGER)
    text = "name,tags,city\r\nNul\x00Co,ok,Lyon\r\nFine Co,b\x00d,Ly\x00n\r\n"
    async with AsyncSession(engine) as session:
        report = await import_customers(session, admin, io.StringIO(text, newline=""), today=TODAY)
    assert (report.rejected, report.applied) == (2, False)
    messages = [e.message for row in report.rejected_rows for e in row.errors]
    assert messages == [
        "Name contains a NUL character.",
        "City contains a NUL character.",
        "The tag 'b\\x00d' contains a NUL character.",
    ]


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ customers(first: 1.5) { totalCount } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("query($n: Int) { customers(first: $n) { totalCount } }", {"n": 1.5}, "BAD_USER_INPUT"),
        (
            'mutation($v: Int) { archiveCustomer(input: {id: "", expectedVersion: $v}) {'
            " userErrors { code } } }",
            {"v": 2**31},
            "BAD_USER_INPUT",
        ),
        ("{ customers(first: 99999999999) { totalCount } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_a_number_that_is_no_int_is_refused_with_a_code(
    world: World, query: str, variables: dict[str, Any], code: str
) -> None:
    response = await graphql(world.client, query, **variables)
    assert response.status_code == 400
    assert codes(response.json()) == [code]


async def test_a_negative_page_size_is_bad_user_input(
    world: World, logs: pytest.LogCaptureFixture
) -> None:
    body = (await graphql(world.client, "{ customers(first: -1) { totalCount } }")).json()
    assert codes(body) == ["BAD_USER_INPUT"]
    assert server_errors(logs) == []


# -- errors of the server -------------------------------------------------------------------

NO_COMPILER = TEST_SETTINGS.model_copy(update={"compiled_reads": False})


async def test_an_unexpected_error_is_masked_with_an_id_that_is_logged(
    engine: AsyncEngine,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*_: Any) -> Any:
        raise RuntimeError("SELECT secret FROM vault WHERE key = 'hunter2'")

    monkeypatch.setattr(queries, "load_node", broken)
    headers = {"Authorization": world.client.headers["Authorization"], **MODERN}
    async with app_client(engine, NO_COMPILER, **headers) as client:
        response = await client.post(
            "/graphql", json={"query": CUSTOMER, "variables": {"id": world.customer}}
        )
    assert "hunter2" not in response.text
    body = response.json()
    assert body["data"] == {"customer": None}
    [error] = body["errors"]
    error_id = error["extensions"]["errorId"]
    assert error["message"] == f"Internal error; reference {error_id}"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    [logged] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error_id in logged.getMessage()
    assert "hunter2" in str((logged.exc_info or (None, None))[1])


async def test_an_unreachable_database_is_service_unavailable(
    engine: AsyncEngine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refused(*_: Any, **__: Any) -> Any:
        raise sa.OperationalError("SELECT customers.name", {}, ConnectionRefusedError(111, "no"))

    monkeypatch.setattr(loaders.Loaders, "fetch", refused)
    headers = {"Authorization": world.client.headers["Authorization"], **MODERN}
    async with app_client(engine, NO_COMPILER, **headers) as client:
        response = await client.post("/graphql", json={"query": "{ customers { totalCount } }"})
    assert "SELECT" not in response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["errorId"] in error["message"]


@pytest.mark.backends("postgresql")
async def test_an_error_on_the_compiled_path_is_masked_and_a_500(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prepared path's statement fails first, then the compiled executor's."""
    from customer_graph.api.compiled import executor
    from customer_graph.db import read_pool

    async def broken(*_: Any) -> Any:
        raise sa.ProgrammingError("SELECT json_build_object(...)", {}, Exception("syntax"))

    class BrokenCursor:
        def __init__(self, *_: Any) -> None:
            pass

        async def execute(self, *_: Any) -> Any:
            raise psycopg.errors.SyntaxError("SELECT json_build_object(...)")

    monkeypatch.setattr(executor, "fetch_row", broken)
    monkeypatch.setattr(read_pool, "AsyncRawCursor", BrokenCursor)
    response = await world.client.post(
        "/graphql", json={"query": "{ customers(first: 3) { edges { node { name } } } }"}
    )
    assert response.status_code == 500
    assert "SELECT" not in response.text
    assert codes(response.json()) == ["INTERNAL_SERVER_ERROR"]


async def test_health_does_not_tell_why_the_database_fails(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_: Any, **__: Any) -> Any:
        raise sa.OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "host db:5432"))

    async with app_client(engine) as client:
        monkeypatch.setattr(type(engine), "connect", refused)
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


# -- malformed requests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'"x"',
        b"null",
        b"12",
        b"true",
        b'{"query": "{ viewer { name } }"\xff\xfe}',
        b'{"query": "{ viewer { name } }", "variables": {"a": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}",
        b'{"query": "{ viewer { name } }", "variables": 12}',
        b'{"query": 12}',
    ],
)
async def test_a_malformed_body_is_a_400_with_a_message(
    world: World, body: bytes, logs: pytest.LogCaptureFixture
) -> None:
    response = await world.client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert server_errors(logs) == []


# -- body sizes -----------------------------------------------------------------------------

TWO_MB = 2 * 1024 * 1024
CHUNK = 64 * 1024


class Chunks:
    """A chunked body (no Content-Length) that counts what the server pulled."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += CHUNK
            yield b" " * CHUNK


@pytest.mark.parametrize("path", ["/graphql", "/auth/login"])
async def test_a_body_over_the_cap_is_a_413_before_it_is_read(world: World, path: str) -> None:
    declared = await world.client.post(
        path, content=b" " * TWO_MB, headers={"content-type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    chunks = Chunks(TWO_MB)
    chunked = await world.client.post(
        path, content=chunks, headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413
    assert chunks.sent <= TEST_SETTINGS.max_request_bytes + CHUNK


async def test_a_body_under_the_cap_is_read(world: World) -> None:
    padded = json.dumps({"query": "{ viewer { name } }" + " " * 900_000})
    response = await world.client.post(
        "/graphql", content=padded, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"viewer": {"name": "hostile"}}


async def test_the_import_keeps_its_own_cap(world: World) -> None:
    """2 MB reach the import, which reads them and refuses the header: a 400, not a 413."""
    junk = "x" * TWO_MB
    response = await world.client.post("/import/customers.csv", content=f"nope\r\n{junk}")
    assert response.status_code == 400
    assert "nope" in response.json()["error"]


@pytest.mark.parametrize("path", ["/graphql", "/auth/login"])
async def test_a_client_that_leaves_mid_body_is_no_error(
    engine: AsyncEngine, world: World, path: str, logs: pytest.LogCaptureFixture
) -> None:
    app = create_app(TEST_SETTINGS, engine=engine)
    token = world.client.headers["Authorization"].encode()
    messages = iter(
        [
            {"type": "http.request", "body": b'{"query": "{ vie', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"authorization", token),
        ],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "app": app,
    }
    await app(scope, receive, send)
    assert [r for r in logs.records if r.levelno >= logging.WARNING] == []
    assert any("left mid-body" in r.getMessage() for r in logs.records)
    assert sent == []
