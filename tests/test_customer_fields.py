"""A customer field is declared once, on its column; the rest of the product follows.

Adding a field to a customer touches its column (with the rule that checks it), the
migration, the GraphQL type and the input. These tests fail when a field is missing from
a place that should follow from its declaration, or is listed by hand somewhere else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType, build_schema, get_named_type

from customer_graph.api.naming import graphql_path
from customer_graph.api.readmodel import ENTITIES
from customer_graph.db.models import Customer
from customer_graph.domain.customer_fields import FIELDS, HISTORY_COLUMNS, SPECS, label_of
from customer_graph.domain.exports import COLUMNS
from customer_graph.domain.history_fields import field_label

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "customer_graph"

PLACES = (
    "db/models/customers.py",  # the column, and the rule that checks what is given
    "db/migrations/versions/",  # the migration
    "api/types/customer.py",  # the GraphQL type
    "api/mutations/customers.py",  # the input
    "db/seed.py",  # the demo data, where the field has some
)
"""Where a customer field's name may be written. Everything else derives it: the read
model, the rules that check input, the paths in errors and history, the words history
shows for it (``domain/history_fields.py``) and the CSV columns."""

SCHEMA = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))


def _field_at(type_name: str, path: str) -> bool:
    named = SCHEMA.get_type(type_name)
    for part in path.split("."):
        if not isinstance(named, GraphQLObjectType | GraphQLInputObjectType):
            return False
        found = named.fields.get(part)
        if found is None:
            return False
        named = get_named_type(found.type)
    return True


PLAIN = [
    column.name
    for column, spec in FIELDS
    if spec.rule in ("text", "email", "phone", "url") and spec.path is None and "_" in column.name
]
"""Fields with no rule of their own beyond their check, and a name no other concept has."""


def test_there_are_plain_fields_to_follow() -> None:
    assert {"contact_title", "shared_folder_url", "vat_id", "tax_id"} <= set(PLAIN)


@pytest.mark.parametrize("column", PLAIN)
def test_a_customer_field_is_named_only_in_its_places(column: str) -> None:
    mentioned = sorted(
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if column in path.read_text(encoding="utf-8")
    )
    elsewhere = [path for path in mentioned if not path.startswith(PLACES)]
    assert elsewhere == [], f"{column} is listed by hand in {elsewhere}; derive it instead"


@pytest.mark.parametrize("name", list(SPECS))
def test_each_declared_field_reaches_the_type_the_input_the_history_and_the_files(
    name: str,
) -> None:
    """The history records it, and names it in the words declared with it."""
    spec = SPECS[name]
    column = Customer.__table__.c[name]
    path = graphql_path(spec.path or name)
    assert path is not None
    read_model = ENTITIES["Customer"]
    served = read_model.columns.get(name) is column or any(
        part is column for parts in read_model.composites.values() for part in parts.values()
    )
    assert served, f"the read model does not serve {name}"
    shown_as = path.removesuffix("Id") if spec.rule == "person" else path
    assert _field_at("Customer", shown_as), f"Customer.{shown_as} is not in the schema"
    if spec.editable:
        assert _field_at("UpdateCustomerInput", path), f"UpdateCustomerInput.{path} is missing"
    assert name in HISTORY_COLUMNS
    assert field_label("Customer", spec.path or name) == label_of(name)
    if spec.exported:
        assert name in COLUMNS, f"{name} is not a column of the export and the import"
