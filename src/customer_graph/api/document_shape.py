"""How big a document is once its fragments are expanded, measured without expanding them.

Nineteen fragments that each spread the next one twice make 750 characters select a
field 2^18 times: a walk that follows every spread (Strawberry's depth and alias limits,
a cost walker) takes seconds. Here every fragment is measured once, in an order that
measures a fragment's spreads before it, and a spread adds its fragment's measure; the
walk within one definition is as deep as the parser allows (200), never from fragment to
fragment, however long a chain of spreads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

T = TypeVar("T")

SATURATED = 1 << 40
"""Counts stop here: enough to exceed any limit, small enough to stay a machine word."""


@dataclass(frozen=True)
class Shape:
    fields: int
    """Fields selected once every spread is replaced by its fragment."""
    aliases: int
    """Aliased fields, counted as ``fields`` are."""
    depth: int
    """Nested selection sets, as Strawberry's depth limiter counts them: a field without
    a selection set adds nothing, nor does an introspection field (``__schema``)."""

    def plus(self, other: Shape) -> Shape:
        return Shape(
            min(self.fields + other.fields, SATURATED),
            min(self.aliases + other.aliases, SATURATED),
            max(self.depth, other.depth),
        )


NOTHING = Shape(0, 0, 0)


def fragment_definitions(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def operation_definitions(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def spreads_in(selection_set: SelectionSetNode) -> Iterator[str]:
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            yield selection.name.value
        elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
            yield from spreads_in(selection.selection_set)


def in_dependency_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Every fragment after the fragments it spreads, found without recursion.

    A spread that closes a cycle is not followed (validation reports the cycle), nor one
    of an unknown fragment.
    """
    spreads = {name: list(spreads_in(f.selection_set)) for name, f in fragments.items()}
    order: list[str] = []
    done: set[str] = set()
    for root in fragments:
        if root in done:
            continue
        path = [(root, iter(spreads[root]))]
        on_path = {root}
        while path:
            name, pending = path[-1]
            for spread in pending:
                if spread in spreads and spread not in done and spread not in on_path:
                    path.append((spread, iter(spreads[spread])))
                    on_path.add(spread)
                    break
            else:
                path.pop()
                on_path.discard(name)
                done.add(name)
                order.append(name)
    return order


def per_fragment(
    fragments: Mapping[str, FragmentDefinitionNode],
    measure: Callable[[FragmentDefinitionNode, Mapping[str, T]], T],
) -> dict[str, T]:
    """``measure`` of each fragment, given the measures of the fragments it spreads
    (a spread closing a cycle is missing from them)."""
    measured: dict[str, T] = {}
    for name in in_dependency_order(fragments):
        measured[name] = measure(fragments[name], measured)
    return measured


def _shape(selection_set: SelectionSetNode, fragments: Mapping[str, Shape]) -> Shape:
    fields = aliases = depth = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            fields += 1
            if selection.alias is not None:
                aliases += 1
            if selection.selection_set is not None:
                inner = _shape(selection.selection_set, fragments)
                fields += inner.fields
                aliases += inner.aliases
                if not selection.name.value.startswith("__"):
                    depth = max(depth, 1 + inner.depth)
            continue
        if isinstance(selection, InlineFragmentNode):
            inner = _shape(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            inner = fragments.get(selection.name.value, NOTHING)
        else:
            continue
        fields += inner.fields
        aliases += inner.aliases
        depth = max(depth, inner.depth)
    return Shape(min(fields, SATURATED), min(aliases, SATURATED), depth)


def operation_shapes(document: DocumentNode) -> list[tuple[OperationDefinitionNode, Shape]]:
    """Each operation of ``document`` with its shape; O(size of the document)."""
    shapes = per_fragment(
        fragment_definitions(document), lambda f, measured: _shape(f.selection_set, measured)
    )
    return [(op, _shape(op.selection_set, shapes)) for op in operation_definitions(document)]
