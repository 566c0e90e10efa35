"""Turn a row of the read model into a Strawberry object, composites included."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any

Plan = tuple[tuple[str, Any], ...]


def _object_class(annotation: Any) -> type[Any]:
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    return typing.cast("type[Any]", args[0] if args else annotation)


@cache
def _plan(cls: Any) -> Plan:
    """For each constructor field: a row label, or a nested plan for an object field."""
    hints = typing.get_type_hints(cls, include_extras=False)
    steps: list[tuple[str, Any]] = []
    for item in dataclasses.fields(cls):
        if not item.init:
            continue
        annotation = hints[item.name]
        target = _object_class(annotation)
        if dataclasses.is_dataclass(target):
            steps.append((item.name, (target, _plan(target))))
        else:
            steps.append((item.name, None))
    return tuple(steps)


def assemble(cls: Any, values: Mapping[Any, Any], prefix: str = "") -> Any:
    """Build ``cls`` from labelled values; nested objects read ``<field>__<part>`` labels."""
    kwargs: dict[str, Any] = {}
    for name, nested in _plan(cls):
        label = f"{prefix}{name}"
        if nested is None:
            kwargs[name] = values[label]
        else:
            nested_cls, _ = nested
            kwargs[name] = assemble(nested_cls, values, f"{label}__")
    return cls(**kwargs)
