"""A bounded schemathesis pass over ``/graphql`` of a real server, signed in with a token.

Schemathesis draws documents for every query and mutation field of the published schema,
with arguments of every shape the types admit. Whatever it sends, the server must answer
without a server error: no 5xx, and no error in the body that is not a coded refusal of
the client's input, with no SQL or traceback in any message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from tests.conftest import BACKENDS
from tests.databases import PostgresFactory, SqliteFactory
from tests.servers import Server, cli, run_server

EXAMPLES_PER_FIELD = 25

schemathesis.graphql.scalar(
    "Decimal",
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=Decimal("-1e15"))
    .filter(lambda d: d <= Decimal("1e15"))
    .map(lambda d: nodes.String(str(d))),
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


def test_no_document_gets_a_server_error(fuzzed_server: tuple[Server, str]) -> None:
    server, token = fuzzed_server
    headers = {"Authorization": f"Bearer {token}"}
    api = schemathesis.graphql.from_url(f"{server.url}/graphql", headers=headers)
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
            failures[operation.label] = str(failure).splitlines()[0][:300]
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
