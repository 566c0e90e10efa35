"""A customer list's filter and order given as URL parameters (the bulk export's), with the
names and the meaning of ``customers(filter:, orderBy:)``.

Each field of ``CustomerFilter`` is a parameter of the same name; a list repeats it
(``tags=VIP&tags=Partner``). ``ids`` picks customers by id, ``orderBy`` and ``direction``
are ``CustomerOrder``'s. The values become a ``CustomerFilter`` and go through the API's
own conversion, so the export selects exactly the customers the list shows.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from graphql import GraphQLError
from strawberry import relay

from customer_graph.api.ids import MalformedId, decode, key_of
from customer_graph.api.read_rules import (
    CustomerFilter,
    CustomerOrder,
    to_domain_filter,
)
from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus
from customer_graph.domain.customer_list import (
    ArchivedFilter,
    CustomerListFilter,
    CustomerListOrder,
    CustomerOrderField,
    OrderDirection,
    search_refusal,
)
from customer_graph.settings import Settings

E = TypeVar("E", bound=enum.Enum)

LISTS = ("kinds", "segments", "statuses", "tags", "ownerIds", "managerIds", "ids")
SINGLE = ("search", "archived", "orderBy", "direction")


class ParameterError(ValueError):
    """A parameter the list cannot be read by; the message says which and why."""


@dataclass(frozen=True)
class ListParameters:
    list_filter: CustomerListFilter
    order: CustomerListOrder | None
    """None: no ``orderBy`` was given."""


def _enum_values(enum_class: type[E], name: str, given: Sequence[str]) -> list[E] | None:
    allowed = {member.value: member for member in enum_class}
    chosen = []
    for text in given:
        member = allowed.get(text.strip().upper())
        if member is None:
            raise ParameterError(f"{name} is one of {', '.join(allowed)}; {text!r} is not.")
        chosen.append(member)
    return chosen or None


def _global_ids(name: str, given: Sequence[str]) -> list[relay.GlobalID] | None:
    ids = []
    for text in given:
        try:
            ids.append(decode(text))
        except MalformedId:
            raise ParameterError(f"{name} takes ids; {text!r} is not one.") from None
    return ids or None


def _customer_keys(given: Sequence[relay.GlobalID] | None) -> list[int] | None:
    """The keys of the customers named; None when none is named (no condition)."""
    if given is None:
        return None
    keys = []
    for global_id in given:
        try:
            key = key_of(global_id, "Customer")
        except MalformedId:
            raise ParameterError(f"ids takes ids of customers; {global_id} is not one.") from None
        if key is not None:
            keys.append(key)
    return keys


def _one(name: str, values: Sequence[str]) -> list[str]:
    if len(values) > 1:
        raise ParameterError(f"{name} is given {len(values)} times; give it once.")
    return list(values)


def _enum_value(enum_class: type[E], name: str, values: Sequence[str]) -> E | None:
    chosen = _enum_values(enum_class, name, _one(name, values))
    return chosen[0] if chosen else None


def _check_text(name: str, values: Sequence[str], settings: Settings) -> None:
    if len(values) > settings.max_list_length:
        raise ParameterError(f"{name} has more than {settings.max_list_length} values.")
    for text in values:
        if "\x00" in text:
            raise ParameterError(f"{name} contains a NUL character.")
        if len(text) > settings.max_text_length:
            raise ParameterError(f"{name} is longer than {settings.max_text_length} characters.")


def list_parameters(
    parameters: Mapping[str, Sequence[str]],
    settings: Settings,
    *,
    others: Sequence[str] = (),
    archived_default: ArchivedFilter | None = None,
) -> ListParameters:
    """The filter and order the parameters give; ``others`` are the caller's own parameters,
    known but not read here. Empty values count as not given. ``archived_default`` stands
    for an ``archived`` not given (None: the list's own rule)."""
    unknown = sorted(set(parameters) - {*LISTS, *SINGLE, *others})
    if unknown:
        known = ", ".join((*SINGLE, *LISTS, *others))
        raise ParameterError(f"Unknown parameter {unknown[0]!r}; the parameters are: {known}.")
    given = {
        name: [value for value in parameters.get(name, ()) if value.strip()]
        for name in (*LISTS, *SINGLE)
    }
    search = _one("search", given.pop("search"))
    refusal = search_refusal(search[0] if search else None, settings.max_search_length)
    if refusal is not None:
        raise ParameterError(refusal)
    for name, values in given.items():
        _check_text(name, values, settings)
    graphql_filter = CustomerFilter(
        search=search[0] if search else None,
        kinds=_enum_values(CustomerKind, "kinds", given["kinds"]),
        segments=_enum_values(CustomerSegment, "segments", given["segments"]),
        statuses=_enum_values(CustomerStatus, "statuses", given["statuses"]),
        tags=given["tags"] or None,
        owner_ids=_global_ids("ownerIds", given["ownerIds"]),
        manager_ids=_global_ids("managerIds", given["managerIds"]),
        archived=_enum_value(ArchivedFilter, "archived", given["archived"]) or archived_default,
    )
    try:
        list_filter = to_domain_filter(graphql_filter)
    except GraphQLError as error:
        raise ParameterError(error.message) from None
    ids = _customer_keys(_global_ids("ids", given["ids"]))
    field = _enum_value(CustomerOrderField, "orderBy", given["orderBy"])
    direction = _enum_value(OrderDirection, "direction", given["direction"])
    if direction is not None and field is None:
        raise ParameterError("direction needs orderBy.")
    order = (
        None if field is None else CustomerListOrder(field, direction or CustomerOrder().direction)
    )
    return ListParameters(replace(list_filter, ids=ids), order)
