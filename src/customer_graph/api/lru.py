"""A small least-recently-used cache for values that may be None."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LruCache(Generic[V]):
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> tuple[bool, V | None]:
        if key not in self._entries:
            return False, None
        self._entries.move_to_end(key)
        return True, self._entries[key]

    def remembered(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value remembered for ``key``, made (and remembered) when there is none."""
        found, value = self.get(key)
        if not found:
            value = make()
            self.put(key, value)
        return value  # type: ignore[return-value]  # found: a V was put for the key

    def put(self, key: Hashable, value: V) -> None:
        self._entries[key] = value
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
