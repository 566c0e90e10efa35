"""What the query limits add to a request at steady state, for each benchmark document.

    .venv/bin/python bench/limits_overhead.py

The depth, alias, token and size limits are decided once per document text, with its
parsing and validation (``api/checked_documents.py``); the page sizes and the cost once
per text and page-size variables (``api/limits.py``). Once a document has been seen, what
is left is their extensions' hooks and cache lookups, run as Strawberry runs them (a
fresh extension per request, entered through its context managers). This times the whole
operation's hooks with and without them, on this schema, and prints the difference in
microseconds per request.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from graphql import parse
from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    OperationContextManager,
    ParsingContextManager,
    ValidationContextManager,
)
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ops
from customer_graph.api.checked_documents import CheckedDocuments
from customer_graph.api.limits import QueryCost
from customer_graph.api.schema import schema
from customer_graph.settings import get_settings

Factory = Callable[[], SchemaExtension]


def seconds_per_request(
    document: str, variables: dict[str, Any], factories: list[Factory], rounds: int
) -> float:
    parsed = parse(document)
    context = SimpleNamespace(settings=get_settings())

    def one() -> None:
        execution = ExecutionContext(
            query=document,
            schema=schema,
            allowed_operations=(OperationType.QUERY,),
            context=context,
            variables=variables,
        )
        execution.graphql_document = parsed
        extensions = [factory() for factory in factories]
        for extension in extensions:
            extension.execution_context = execution
        with OperationContextManager(extensions):
            with ParsingContextManager(extensions):
                pass
            with ValidationContextManager(extensions):
                pass
            with ExecutingContextManager(extensions):
                pass

    for _ in range(200):
        one()
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            one()
        best = min(best, (time.perf_counter() - started) / rounds)
    return best


def overhead_us(rounds: int = 2000) -> dict[str, float]:
    """Microseconds the limits add to a request, per benchmark read."""
    limits: list[Factory] = [lambda: CheckedDocuments(schema.documents), QueryCost]
    results = {}
    for op in ops.OPS:
        variables = op.ours_variables(None)
        with_limits = seconds_per_request(op.ours, variables, limits, rounds)
        without = seconds_per_request(op.ours, variables, [], rounds)
        results[op.name] = (with_limits - without) * 1e6
    return results


if __name__ == "__main__":
    print(json.dumps({name: round(us, 1) for name, us in overhead_us().items()}))
