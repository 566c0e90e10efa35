"""Limits of a partner-facing API: each refuses before any SQL runs, with a clear message."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from graphql import Source, TokenKind
from graphql.language.lexer import Lexer
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.api.context import Context
from customer_graph.api.limits import first_token_beyond
from customer_graph.api.schema import schema
from customer_graph.settings import Settings
from tests.graphql_client import ADMIN, count_statements, execute


async def refused(engine: AsyncEngine, query: str) -> str:
    with count_statements(engine) as counter:
        result = await schema.execute(
            query, context_value=Context(engine=engine, settings=Settings(), actor=ADMIN)
        )
    assert result.errors, "expected a refusal"
    assert counter.count == 0, "refused before touching the database"
    return result.errors[0].message


def nested(levels: int) -> str:
    """A valid query 4 levels deeper per level: customer → contacts → edges → node → customer."""
    inner = "id"
    for _ in range(levels):
        inner = f"contacts(first: 1) {{ edges {{ node {{ customer {{ {inner} }} }} }} }}"
    return f"{{ customers(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"


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
