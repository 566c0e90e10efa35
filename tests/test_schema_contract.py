"""schema.graphql is the published contract: generated from the code, never edited by hand."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

from graphql import GraphQLObjectType, get_named_type
from strawberry.types import get_object_definition
from typer.testing import CliRunner

from customer_graph.api.compiled.selection import strawberry_field
from customer_graph.api.permissions import CanViewPayload
from customer_graph.api.readmodel import ENTITIES
from customer_graph.api.schema import NODE_CLASSES, schema, sdl
from customer_graph.api.strawberry_internals import graphql_core_schema
from customer_graph.cli import app

ROOT = Path(__file__).resolve().parent.parent


def test_schema_file_matches_the_code() -> None:
    published = (ROOT / "schema.graphql").read_text()
    assert published == sdl(), (
        "schema.graphql drifted: run `customer-graph schema > schema.graphql`"
    )


def test_cli_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == sdl()


def test_a_fresh_process_prints_the_published_schema() -> None:
    """Whatever the CLI imports first, types keep their descriptions."""
    cli = Path(sys.executable).parent / "customer-graph"
    printed = subprocess.run([cli, "schema"], capture_output=True, text=True, check=True)
    assert printed.stdout == (ROOT / "schema.graphql").read_text()


def test_every_node_field_is_mapped_once_in_the_read_model() -> None:
    for cls in NODE_CLASSES:
        entity = ENTITIES[cls.ENTITY.name]
        mapped = [
            *entity.columns,
            *entity.composites,
            *entity.references,
            *entity.relations,
            *entity.lists,
            *entity.figures,
            *entity.embedded,
            *entity.for_viewer,
            *entity.computed,
        ]
        assert len(mapped) == len(set(mapped)), f"{entity.name} maps a field twice"
        definition = get_object_definition(cls, strict=True)
        graphql_fields = {
            "id" if f.python_name == "_id" else f.python_name for f in definition.fields
        }  # relay serves `id` through `_id`, from the `id` column
        constructed = {f.name for f in dataclasses.fields(cls) if f.init}
        private = constructed - graphql_fields
        assert graphql_fields <= set(mapped), (
            f"{entity.name}: unmapped {graphql_fields - set(mapped)}"
        )
        assert private <= set(entity.columns), f"{entity.name}: private {private} not selected"


def test_every_list_is_a_connection_with_total_count() -> None:
    customer = schema.get_type_by_name("Customer")
    assert customer is not None
    connections = [
        f.python_name
        for f in customer.fields  # type: ignore[union-attr]
        if "Connection" in str(f.type)
    ]
    assert len(connections) == 14
    assert "totalCount: Int!" in sdl()


def test_every_payload_field_that_shows_stored_data_needs_the_read_permission() -> None:
    """A mutation payload's objects (the record, a cascade) are reads; ids and userErrors are
    the change's own answer."""
    mutation = graphql_core_schema(schema).mutation_type
    assert mutation is not None
    guarded, open_fields = set(), set()
    for root in mutation.fields.values():
        payload = get_named_type(root.type)
        assert isinstance(payload, GraphQLObjectType)
        for name, field in payload.fields.items():
            named = get_named_type(field.type)
            if not isinstance(named, GraphQLObjectType) or named.name == "UserError":
                continue
            permissions = strawberry_field(field).permission_classes
            (guarded if CanViewPayload in permissions else open_fields).add(f"{payload}.{name}")
    assert not open_fields
    assert len(guarded) == 18, sorted(guarded)


OUTSIDE_REFERENCES = re.compile(r"\bseeds? \d{3}|design\sdoc|DESIGN\.md|\.\./shared", re.IGNORECASE)
"""Words that point at documents a reader of the schema or of a clone does not have."""


def test_the_published_schema_is_product_text() -> None:
    """Descriptions speak of the product, never of where a requirement came from."""
    for text, source in ((sdl(), "the schema"), ((ROOT / "schema.graphql").read_text(), "file")):
        found = OUTSIDE_REFERENCES.findall(text)
        assert not found, f"{source} points outside the product: {found}"


def test_the_repository_points_nowhere_outside_itself() -> None:
    """Code, docs and the app's source stand on their own in a clone."""
    roots = ("src", "frontend/src", "docs", "tests", "bench", "scripts")
    files = [ROOT / "README.md", ROOT / "Makefile"]
    for root in roots:
        files += [
            path
            for path in (ROOT / root).rglob("*")
            if path.is_file()
            and path.suffix in {".py", ".ts", ".tsx", ".md", ".graphql", ".sh", ".css", ".html"}
            and not {"gql", "static", ".venv", "node_modules"} & set(path.relative_to(ROOT).parts)
        ]
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := OUTSIDE_REFERENCES.findall(path.read_text(encoding="utf-8")))
    }
    assert not offenders


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def leads_here(page: Path, target: str) -> bool:
    """A web address, an anchor, or a file of this repository."""
    if target.startswith(("http://", "https://", "#")):
        return True
    path = (page.parent / target.split("#")[0]).resolve()
    return path.is_relative_to(ROOT) and path.exists()


def test_every_link_of_the_readme_and_the_docs_leads_to_a_file_here() -> None:
    pages = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    assert ROOT / "docs" / "architecture.md" in pages, "the contributor's guide is missing"
    broken = [
        f"{page.relative_to(ROOT)}: {target}"
        for page in pages
        for target in MARKDOWN_LINK.findall(page.read_text(encoding="utf-8"))
        if not leads_here(page, target)
    ]
    assert broken == []
