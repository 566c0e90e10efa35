"""Limits of a partner-facing API: each refuses before any SQL runs, with a clear message."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from graphql import Source, TokenKind
from graphql.language.lexer import Lexer
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.api import checked_documents
from customer_graph.api.checked_documents import first_token_beyond
from customer_graph.api.context import Context
from customer_graph.api.schema import schema
from customer_graph.api.strawberry_internals import PreExecutionError
from customer_graph.db.change_feed import Broker, CustomerChange
from customer_graph.domain.tokens import create_token
from customer_graph.settings import Settings
from customer_graph.web.graphql_http import GRAPHQL_RESPONSE, JSON
from tests.graphql_client import (
    ADMIN,
    count_statements,
    execute,
    execute_expecting_error,
    global_id,
)
from tests.test_live_updates import CREATE as CREATE_CUSTOMER
from tests.test_live_updates import signed_in_manager
from tests.web_client import app_client


async def refused(engine: AsyncEngine, query: str) -> str:
    with count_statements(engine) as counter:
        result = await schema.execute(
            query, context_value=Context(engine=engine, settings=Settings(), actor=ADMIN)
        )
    assert result.errors, "expected a refusal"
    assert counter.count == 0, "refused before touching the database"
    return result.errors[0].message


def through_contacts(levels: int) -> str:
    """A selection on Customer 4 levels deeper per level: contacts → edges → node → customer."""
    inner = "id"
    for _ in range(levels):
        inner = f"contacts(first: 1) {{ edges {{ node {{ customer {{ {inner} }} }} }} }}"
    return inner


def nested(levels: int) -> str:
    """A valid query 4 levels deeper per level."""
    return f"{{ customers(first: 1) {{ edges {{ node {{ {through_contacts(levels)} }} }} }} }}"


async def test_depth_limit(engine: AsyncEngine) -> None:
    message = await refused(engine, nested(3))
    assert "exceeds maximum operation depth of 12" in message


async def test_alias_limit(engine: AsyncEngine) -> None:
    aliases = " ".join(f"a{i}: viewer {{ name }}" for i in range(31))
    message = await refused(engine, f"{{ {aliases} }}")
    assert "30" in message
    assert "aliases" in message.lower()


async def test_token_limit(engine: AsyncEngine) -> None:
    fields = " ".join("__typename" for _ in range(5001))
    message = await refused(engine, f"{{ {fields} }}")
    assert "token" in message.lower()


async def test_a_huge_document_is_refused_where_the_parser_would_stop(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    document = "{ viewer { " + " ".join(["__typename"] * 9996) + " } }"
    with caplog.at_level(logging.DEBUG, logger="strawberry.execution"):
        result = await schema.execute(
            document, context_value=Context(engine=engine, settings=Settings(), actor=ADMIN)
        )
    assert result.errors is not None
    error = result.errors[0]
    assert error.message == (
        "Syntax Error: Document contains more than 5000 tokens. Parsing aborted."
    )
    start_of_token_5001 = len("{ viewer { ") + (5001 - 4) * len("__typename ")
    assert error.locations is not None
    assert error.locations[0].column == start_of_token_5001 + 1
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not logged, "a client's bad document is not the server's error"
    assert all("__typename __typename" not in r.getMessage() for r in caplog.records)


def lexer_tokens(document: str) -> int:
    lexer, count = Lexer(Source(document)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


TRICKY = [
    '{ a(s: "x # not a comment { } ( ) ...") }',
    '{ a(s: """block "" with \\""" escaped { } and "quotes" """) b }',
    "# a comment { { { {\n{ a(n: -1.5e+3, m: 12) ... on T { b } ...F }",
    '{ a(s: "\\" \\u00e9 \\"") b(l: [1, 2, 3], o: {x: $v, y: true}) }',
    'query Q($v: [Int!]! = [1]) @d(x: "y") { a: b(c: $v) }',
    '{ a(s: """C:\\\\dir\\\\x""") b }',
]


def spa_documents() -> list[str]:
    manifest = Path(__file__).parent.parent / "frontend/src/gql/persisted-documents.json"
    return list(json.loads(manifest.read_text()).values())


@pytest.mark.parametrize("document", TRICKY + spa_documents())
def test_the_quick_token_count_never_exceeds_the_parsers(document: str) -> None:
    tokens = lexer_tokens(document)
    assert first_token_beyond(document, tokens) is None
    if len(document) > tokens - 1 and '"""' not in document and "e+" not in document:
        assert first_token_beyond(document, tokens - 1) is not None, "and counts them all"


async def test_cost_limit_refuses_what_could_return_too_many_nodes(engine: AsyncEngine) -> None:
    query = """{ customers(first: 100) { edges { node {
        sites(first: 100) { edges { node {
          assets(first: 100) { edges { node { id } } } } } } } } } }"""
    message = await refused(engine, query)
    assert "1010101 nodes" in message
    assert "limit is 100000" in message


async def test_cost_uses_variables_and_fragments(engine: AsyncEngine) -> None:
    query = """
    query($n: Int) { customers(first: $n) { edges { node { ...C } } } }
    fragment C on Customer { contacts(first: 10) { edges { node { id } } } }
    """
    result = await schema.execute(
        query,
        variable_values={"n": 7},
        context_value=Context(engine=engine, settings=Settings(), actor=ADMIN),
    )
    assert result.errors is None
    assert result.extensions == {"cost": {"requestedNodes": 1 + 7 + 70, "limit": 100_000}}


@pytest.mark.parametrize("first", [101, 1000])
async def test_page_size_is_capped(engine: AsyncEngine, first: int) -> None:
    result = await schema.execute(
        f"{{ customers(first: {first}) {{ totalCount }} }}",
        context_value=Context(engine=engine, settings=Settings(), actor=ADMIN),
    )
    assert result.errors
    assert "between 0 and 100" in result.errors[0].message


async def test_an_ordinary_page_passes(engine: AsyncEngine) -> None:
    data = await execute(engine, nested(2))
    assert data == {"customers": {"edges": []}}


# -- issue 15: refused or checked in bounded time, whatever the fragments -----------------


def fragment_explosion(levels: int, leaf: str = "viewer { name }") -> str:
    """Each fragment spreads the next twice: the leaf is selected 2^(levels - 1) times."""
    spreads = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels - 1)]
    return " ".join(["{ ...F0 }", *spreads, f"fragment F{levels - 1} on Query {{ {leaf} }}"])


async def refusal(engine: AsyncEngine, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The errors of a request refused before execution: no data, no SQL."""
    with count_statements(engine) as counter:
        result = await schema.execute(
            query,
            variable_values=variables,
            context_value=Context(engine=engine, settings=Settings(), actor=ADMIN),
        )
    assert result.errors, f"expected a refusal, got {result.data}"
    assert result.data is None, "refused before execution"
    assert counter.count == 0, "refused before touching the database"
    return result.errors


async def test_a_fragment_explosion_is_refused_by_its_expanded_size(engine: AsyncEngine) -> None:
    errors = await refusal(engine, fragment_explosion(19))
    assert errors[0].extensions == {"code": "MAX_FIELDS_EXCEEDED"}
    assert errors[0].message == (
        "This document selects 524288 fields once its fragments are expanded; the limit is 2000."
    )


_variants = itertools.count()


async def fastest_refusal(engine: AsyncEngine, levels: int) -> float:
    """Seconds to refuse a fragment explosion, the best of three of its variants (a new
    text each, never seen before, so nothing is remembered)."""
    times = []
    for _ in range(3):
        leaf = f"v{next(_variants)}: viewer {{ name }}"
        started = time.perf_counter()
        await refusal(engine, fragment_explosion(levels, leaf))
        times.append(time.perf_counter() - started)
    return min(times)


async def test_refusing_a_fragment_explosion_takes_as_long_as_reading_it(
    engine: AsyncEngine,
) -> None:
    """Eighteen levels select 64 times what twelve select; refusing them takes about as
    long (each fragment is measured once), where walking every spread took 64 times as
    long (a second)."""
    await fastest_refusal(engine, 8)
    twelve = await fastest_refusal(engine, 12)
    eighteen = await fastest_refusal(engine, 18)
    assert eighteen < 8 * twelve, f"12: {twelve * 1000:.1f} ms, 18: {eighteen * 1000:.1f} ms"


def deep_through_fragments(levels: int) -> str:
    """Each fragment nests four levels and spreads the next twice."""
    fragments = [
        f"fragment F{i} on Customer {{ contacts(first: 1) {{ edges {{ node {{ "
        f"customer {{ ...F{i + 1} ...F{i + 1} }} }} }} }} }}"
        for i in range(levels)
    ]
    fragments.append(f"fragment F{levels} on Customer {{ id }}")
    return " ".join(["{ customers(first: 1) { edges { node { ...F0 } } } }", *fragments])


async def test_depth_and_aliases_count_through_fragments(engine: AsyncEngine) -> None:
    errors = await refusal(engine, deep_through_fragments(3))
    assert [e.message for e in errors] == ["'anonymous' exceeds maximum operation depth of 12"]
    assert errors[0].extensions == {"code": "MAX_DEPTH_EXCEEDED"}
    aliased = await refusal(engine, fragment_explosion(6, "a: viewer { name } b: viewer { name }"))
    assert [e.message for e in aliased] == ["64 aliases found. Allowed: 30"]
    assert aliased[0].extensions == {"code": "MAX_ALIASES_EXCEEDED"}


async def test_a_field_repeated_hundreds_of_times_is_refused_quickly(engine: AsyncEngine) -> None:
    """graphql-core compares every pair of fields of one name: 600 ``viewer { name }`` took
    1.6 s; its budget for that comparison is now small."""
    errors = await refusal(engine, "{ " + " ".join(["viewer { name }"] * 600) + " }")
    assert errors[0].extensions == {"code": "DOCUMENT_TOO_COMPLEX"}
    assert "repeats fields of one name" in errors[0].message


# -- issue 15: the cost counts the values execution will use -------------------------------

THREE_LEVELS = """query($n: Int{default}) {{ customers(first: $n) {{ edges {{ node {{
  sites(first: $n) {{ edges {{ node {{ assets(first: $n) {{ totalCount }} }} }} }} }} }} }} }}"""


def three_levels(default: str = "") -> str:
    return THREE_LEVELS.format(default=default)


async def test_a_page_size_given_as_a_fraction_is_refused(engine: AsyncEngine) -> None:
    """``100.0`` coerces to 100: counted as 20 (not an int), it ran 100 at every level."""
    errors = await refusal(engine, three_levels(), {"n": 100.0})
    assert errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert errors[0].message == "`first` must be a whole number between 0 and 100; it was 100.0."
    message = await execute_expecting_error(engine, three_levels(), {"n": 1.5})
    assert message == "`first` must be a whole number between 0 and 100; it was 1.5."


async def test_a_page_size_from_a_variables_default_is_counted(engine: AsyncEngine) -> None:
    errors = await refusal(engine, three_levels(" = 100"))
    assert errors[0].extensions == {"code": "MAX_COST_EXCEEDED"}
    assert "1010101 nodes" in errors[0].message
    message = await execute_expecting_error(engine, three_levels(" = 100"))
    assert "1010101 nodes" in message


async def test_the_cost_is_remembered_by_the_values_not_their_equality(
    engine: AsyncEngine,
) -> None:
    """In Python 100 == 100.0: the remembered cost must tell them apart, and a default
    from a value given."""
    query = "query($n: Int = 100) { customers(first: $n) { totalCount } }"
    data = await execute(engine, query, {"n": 100})
    assert data == {"customers": {"totalCount": 0}}
    errors = await refusal(engine, query, {"n": 100.0})
    assert "whole number" in errors[0].message
    over = three_levels(" = 100")
    assert await execute(engine, over, {"n": 2}) == {"customers": {"edges": []}}
    assert "1010101 nodes" in (await refusal(engine, over, {}))[0].message


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            """{ a: customers(first: 100) { edges { node { sites(first: 100) { edges { node {
                 assets(first: 100) { totalCount } } } } } } }
               b: customers(first: 1) { edges { node {
                 sites(first: -10000000) { totalCount } } } } }""",
            None,
        ),
        (
            "query($n: Int) { customers(first: 5) { edges { node { sites(last: $n) {"
            " totalCount } } } } }",
            {"n": -5},
        ),
        ("{ users(first: -1) { totalCount } }", None),
    ],
)
async def test_a_negative_page_size_is_refused_before_anything_runs(
    engine: AsyncEngine, query: str, variables: dict[str, Any] | None
) -> None:
    """A negative page size made the cost negative: the costly branch beside it ran."""
    errors = await refusal(engine, query, variables)
    assert errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert "must be between 0 and 100; it was -" in errors[0].message
    assert "must be between 0 and 100" in await execute_expecting_error(engine, query, variables)


# -- issue 15: nodes(ids:) is capped and counted ---------------------------------------------

NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { id
  ... on Customer { contacts(first: 100) { totalCount } } } }"""


async def test_nodes_takes_at_most_100_ids(engine: AsyncEngine) -> None:
    ids = [global_id("Customer", i) for i in range(1, 20_001)]
    errors = await refusal(engine, NODES, {"ids": ids})
    assert errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert errors[0].message == "`ids` may hold at most 100 ids; it held 20000."
    literal = "{ nodes(ids: [" + ", ".join(f'"{i}"' for i in ids[:101]) + "]) { id } }"
    assert "at most 100 ids; it held 101" in (await refusal(engine, literal))[0].message


async def test_nodes_counts_its_ids_in_the_cost(engine: AsyncEngine) -> None:
    ids = [global_id("Customer", i) for i in range(1, 51)]
    result = await schema.execute(
        NODES,
        variable_values={"ids": ids},
        context_value=Context(engine=engine, settings=Settings(), actor=ADMIN),
    )
    assert result.errors is None
    assert result.extensions == {"cost": {"requestedNodes": 1 + 50 + 50 * 100, "limit": 100_000}}
    few = Settings(max_node_ids=3)
    refused = await schema.execute(
        NODES,
        variable_values={"ids": ids[:4]},
        context_value=Context(engine=engine, settings=few, actor=ADMIN),
    )
    assert refused.errors is not None
    assert refused.errors[0].message == "`ids` may hold at most 3 ids; it held 4."


# -- issue 15: subscriptions are limited as queries are -------------------------------------

COSTLY_EVENTS = """subscription { customerEvents { action customer {
  contacts(first: 100) { edges { node { customer {
    sites(first: 100) { edges { node { assets(first: 100) { totalCount } } } } } } } } } } }"""
DEEP_EVENTS = f"subscription {{ customerEvents {{ customer {{ {through_contacts(3)} }} }} }}"


@pytest.mark.parametrize(
    ("query", "code"),
    [(COSTLY_EVENTS, "MAX_COST_EXCEEDED"), (DEEP_EVENTS, "MAX_DEPTH_EXCEEDED")],
)
async def test_a_subscription_is_refused_before_it_starts(
    engine: AsyncEngine, query: str, code: str
) -> None:
    broker = Broker()
    stream: Any = await schema.subscribe(
        query, context_value=Context(engine=engine, settings=Settings(), actor=ADMIN, broker=broker)
    )
    first = asyncio.create_task(anext(stream))
    await asyncio.sleep(0.05)
    broker.deliver([CustomerChange(customer_id=424242, action="UPDATED")])
    result = await asyncio.wait_for(first, timeout=5)
    await stream.aclose()
    assert isinstance(result, PreExecutionError), f"it started: {result}"
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": code}


async def test_an_oversized_subscription_is_an_error_not_an_exception(engine: AsyncEngine) -> None:
    document = "subscription { customerEvents { " + " ".join(["action"] * 6000) + " } }"
    stream: Any = await schema.subscribe(
        document, context_value=Context(engine=engine, settings=Settings(), actor=ADMIN)
    )
    result = await asyncio.wait_for(anext(stream), timeout=5)
    assert isinstance(result, PreExecutionError)
    assert result.errors is not None
    assert "more than 5000 tokens" in result.errors[0].message


def test_a_costly_subscription_over_a_websocket_gets_an_error(database_url: str) -> None:
    with (
        signed_in_manager(database_url) as (client, headers),
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": COSTLY_EVENTS}})
        time.sleep(0.2)
        # Were it running, this change would reach it as a ``next`` message.
        client.post(
            "/graphql",
            json={"query": CREATE_CUSTOMER, "variables": {"name": "Watched Ltd"}},
            headers=headers,
        )
        message = ws.receive_json()
    assert message["type"] == "error", message
    assert message["id"] == "1"
    assert message["payload"][0]["extensions"] == {"code": "MAX_COST_EXCEEDED"}
    assert "1010101 nodes" in message["payload"][0]["message"]


# -- issue 15: refused over HTTP before Strawberry's request handling ----------------------


async def test_a_refused_document_is_answered_alike_however_it_is_sent(
    engine: AsyncEngine,
) -> None:
    """A POSTed document is refused before Strawberry's request handling (what makes a
    repeated one cheap), a GET one through it: the same answer, in either media type."""
    async with AsyncSession(engine) as session:
        issued = await create_token(session, name="partner", scopes=frozenset({"read"}))
        await session.commit()
    document = fragment_explosion(19)
    async with app_client(engine, Authorization=f"Bearer {issued.secret}") as client:
        answers = [
            await client.post("/graphql", json={"query": document}, headers={"Accept": media})
            for media in (GRAPHQL_RESPONSE, JSON)
        ]
        answers.append(
            await client.get(
                "/graphql", params={"query": document}, headers={"Accept": GRAPHQL_RESPONSE}
            )
        )
    assert [a.status_code for a in answers] == [400, 200, 400]
    assert [a.headers["content-type"].split(";")[0] for a in answers] == [
        GRAPHQL_RESPONSE,
        JSON,
        GRAPHQL_RESPONSE,
    ]
    bodies = [a.json() for a in answers]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["errors"][0]["extensions"] == {"code": "MAX_FIELDS_EXCEEDED"}
    assert "data" not in bodies[0]


async def test_a_document_is_checked_once_however_often_it_is_sent(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation is remembered by the text (rules built per request would defeat that)."""
    validations = []
    real = checked_documents.validate_document

    def counted(*args: Any) -> Any:
        validations.append(args)
        return real(*args)

    monkeypatch.setattr(checked_documents, "validate_document", counted)
    query = f"{{ customers(first: 3) {{ totalCount }} n{next(_variants)}: viewer {{ name }} }}"
    for _ in range(3):
        await execute(engine, query)
    assert len(validations) == 1
