"""Strawberry's internals are used in one module only: ``api/strawberry_internals.py``.

A Strawberry release may change a private attribute, a private constructor or a name its
module does not export without notice. With every such use in one module, an upgrade is
checked there, and the functions below fail first when one of them moved.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from graphql import GraphQLField, GraphQLString

from customer_graph.api.schema import schema
from customer_graph.api.strawberry_internals import (
    graphql_core_schema,
    strawberry_field_of,
    strawberry_schema_of,
)

SOURCE = Path(__file__).resolve().parent.parent / "src" / "customer_graph"
INTERNALS = SOURCE / "api" / "strawberry_internals.py"

STRAWBERRY_PRIVATE = frozenset({"_schema", "_strawberry_schema", "_raw_info", "_field"})
"""Strawberry's private attributes, refused even on ``self`` (a subclass of its schema)."""

STRAWBERRY_KEYS = frozenset({"strawberry-definition"})
"""Where Strawberry keeps its definitions in graphql-core's ``extensions``."""


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _own(node: ast.Attribute) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")


def internals_used(source: str) -> list[str]:
    """Each place in ``source`` that reaches into Strawberry (or another library): a private
    attribute of anything but ``self``, a private keyword of a constructor, a name a
    ``strawberry`` module does not export, or Strawberry's own key in ``extensions``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if not _own(node) or node.attr in STRAWBERRY_PRIVATE:
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Call):
            found.extend(
                f"line {node.lineno}: {keyword.arg}="
                for keyword in node.keywords
                if keyword.arg is not None and _private(keyword.arg)
            )
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
                and _private(node.args[1].value)
            ):
                found.append(f"line {node.lineno}: {node.func.id}(..., {node.args[1].value!r})")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "strawberry":
            assert node.module is not None
            exported = getattr(importlib.import_module(node.module), "__all__", None)
            found.extend(
                f"line {node.lineno}: {node.module}.{alias.name}"
                for alias in node.names
                if _private(alias.name) or (exported is not None and alias.name not in exported)
            )
        elif isinstance(node, ast.Constant) and node.value in STRAWBERRY_KEYS:
            found.append(f"line {node.lineno}: {node.value!r}")
    return found


def test_only_strawberry_internals_uses_strawberrys_internals() -> None:
    modules = sorted(path for path in SOURCE.rglob("*.py") if path != INTERNALS)
    assert len(modules) > 100
    found = {
        str(path.relative_to(SOURCE)): used
        for path in modules
        if (used := internals_used(path.read_text()))
    }
    assert found == {}, "use customer_graph.api.strawberry_internals instead"


@pytest.mark.parametrize(
    "source",
    [
        "raw = info._raw_info",
        "schema = context.schema._schema",
        "strawberry_schema = self.schema._strawberry_schema",
        "class S(strawberry.Schema):\n    def f(self):\n        return self._schema",
        "info = Info(_raw_info=raw, _field=definition)",
        "found = getattr(schema, '_strawberry_schema', None)",
        "definition = field.extensions.get('strawberry-definition')",
        "from strawberry.schema.schema import validate_document",
        "from strawberry.types.arguments import convert_arguments",
        "from strawberry.types.execution import PreExecutionError",
        "from strawberry.relay.fields import NodeExtension",
    ],
)
def test_each_way_of_reaching_in_is_found(source: str) -> None:
    assert internals_used(source)


@pytest.mark.parametrize(
    "source",
    [
        "self._names = itertools.count()",
        "return cls._cache",
        "from strawberry.types import Info, get_object_definition",
        "from strawberry.relay import NodeExtension",
        "from strawberry.asgi import GraphQL",
        "for key, _field, _details, answer in roots: pass",
        "schema = graphql_core_schema(context.schema)",
    ],
)
def test_public_names_and_own_attributes_pass(source: str) -> None:
    assert internals_used(source) == []


def test_the_two_schemas_lead_to_each_other() -> None:
    core = graphql_core_schema(schema)
    assert core.query_type is not None
    assert core.query_type.name == "Query"
    assert strawberry_schema_of(core) is schema


def test_a_graphql_field_leads_to_its_strawberry_field() -> None:
    query = graphql_core_schema(schema).query_type
    assert query is not None
    customers = strawberry_field_of(query.fields["customers"])
    assert customers is not None
    assert customers.python_name == "customers"
    assert {"filter", "order_by"} <= {argument.python_name for argument in customers.arguments}
    assert strawberry_field_of(GraphQLField(GraphQLString)) is None
