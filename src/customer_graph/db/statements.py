"""Statements built once and bound per run.

SQLAlchemy finds a statement's compiled form by its cache key, which it works out by
walking the statement, once per statement object. A statement built anew for each write
pays for that walk (and for building itself) every time; one built once, with its values
bound when it runs, pays once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class BuiltOnce(Generic[T]):
    """The statement ``build`` makes for each owner (a constant the statement depends on,
    such as a kind of record or a statement it carries), kept as long as this is. An owner
    that is a tuple is told by the constants it holds, not by the tuple itself."""

    def __init__(self, build: Callable[[object], T], *, most: int = 64) -> None:
        self._build = build
        self._most = most
        self._built: dict[object, tuple[object, T]] = {}

    def __call__(self, owner: object) -> T:
        key = tuple(map(id, owner)) if isinstance(owner, tuple) else id(owner)
        found = self._built.get(key)
        if found is None:
            if len(self._built) >= self._most:
                self._built.clear()
            # The owner is kept beside its statement, so the ids in its key stay its own.
            found = self._built[key] = (owner, self._build(owner))
        return found[1]
