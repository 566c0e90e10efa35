"""A bounded schemathesis pass over ``/graphql`` of a real server, signed in with a token.

Schemathesis draws documents for every query and mutation field of the published schema,
with arguments of every shape the types admit. Whatever it sends, the server must answer
without a server error: no 5xx, and no error in the body that is not a coded refusal of
the client's input, with no SQL or traceback in any message.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from graphql import GraphQLObjectType, build_client_schema, get_introspection_query, get_named_type
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from tests.conftest import BACKENDS
from tests.databases import PostgresFactory, SqliteFactory
from tests.servers import Server, cli, run_server

EXAMPLES_PER_FIELD = 60

schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,4})?[eE][+-]?[0-9]{1,4}", fullmatch=True),
        st.sampled_from(["NaN", "Infinity", "-0", "12,500", "1_000"]),
    ).map(nodes.String),
)
schemathesis.graphql.scalar("Date", st.dates().map(lambda d: nodes.String(d.isoformat())))
schemathesis.graphql.scalar(
    "DateTime", st.datetimes().map(lambda d: nodes.String(d.isoformat() + "Z"))
)

INTERNALS = re.compile(
    r"Traceback|sqlalchemy|psycopg|sqlite3|\bSELECT\b|\bINSERT\b|\bUPDATE \w+ SET\b|"
    r"\[SQL:|File \"/",
    re.IGNORECASE,
)


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    """A server on a database with demo customers, and a token that reads, writes and deletes."""
    workdir = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    factory: PostgresFactory | SqliteFactory = request.getfixturevalue(f"{request.param}_factory")
    database_url = str(factory.create())
    cli(database_url, "seed", "--customers", "30")
    token = cli(database_url, "token", "create", "--name", "fuzz", "--scopes", "read,write,delete")
    with run_server(workdir, database_url, CUSTOMER_GRAPH_SECRET_KEY="f" * 48) as server:
        yield server, token


def server_errors(body: Any) -> list[str]:
    """What in a response body is a server's failure rather than a refusal of the input."""
    if not isinstance(body, dict):
        return [f"not a GraphQL response: {body!r:.200}"]
    found = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        message = str(error.get("message"))
        if not isinstance(code, str) or code == "INTERNAL_SERVER_ERROR":
            found.append(f"uncoded or internal error: {message!r:.300}")
        if INTERNALS.search(message):
            found.append(f"internals in an error: {message!r:.300}")
    return found


def stored_ids(url: str, headers: dict[str, str]) -> list[str]:
    """Ids of stored records of every kind: customers, everything on each customer's
    connections, and users."""
    schema = build_client_schema(
        httpx.post(url, json={"query": get_introspection_query()}, headers=headers).json()["data"]
    )
    customer = schema.get_type("Customer")
    assert isinstance(customer, GraphQLObjectType)
    lists = " ".join(
        f"{name}(first: 2) {{ edges {{ node {{ id }} }} }}"
        for name, field in customer.fields.items()
        if get_named_type(field.type).name.endswith("Connection")
    )
    query = (
        "{ users(first: 5) { edges { node { id } } } "
        "customers(first: 10, filter: { archived: INCLUDE }) "
        f"{{ edges {{ node {{ id {lists} }} }} }} }}"
    )
    body = httpx.post(url, json={"query": query}, headers=headers).json()
    return sorted(set(re.findall(r'"id":"([^"]+)"', json.dumps(body, separators=(",", ":")))))


def test_no_document_gets_a_server_error(fuzzed_server: tuple[Server, str]) -> None:
    server, token = fuzzed_server
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{server.url}/graphql"
    ids = stored_ids(url, headers)
    assert len(ids) > 50, "the fuzzed database holds records of every kind"
    customers = [i for i in ids if base64.b64decode(i).startswith(b"Customer:")]
    # Mostly ids of stored records, customers most of all (most changes name one), so that
    # drawn changes reach the rules behind the ids.
    schemathesis.graphql.scalar(
        "ID",
        st.one_of(st.sampled_from(customers), st.sampled_from(ids), st.text()).map(nodes.String),
    )
    api = schemathesis.graphql.from_url(url, headers=headers)
    failures: dict[str, str] = {}
    for found in api.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_FIELD,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        def answers_without_a_server_error(case: Any) -> None:
            response = case.call(headers=headers, timeout=30)
            assert response.status_code < 500, response.text[:500]
            assert not INTERNALS.search(response.text), response.text[:500]
            errors = server_errors(response.json())
            assert not errors, f"{errors[0]}\n  for {case.body}"

        try:
            answers_without_a_server_error()
        except Exception as failure:
            failures[operation.label] = " ".join(str(failure).splitlines()[:2])[:600]
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
