"""Time each garbage collection of the server process, for measuring collector pauses.

Off unless ``CUSTOMER_GRAPH_GC_LOG`` names a file: then a ``gc.callbacks`` hook notes each
collection's generation, start (``time.monotonic``, comparable across processes) and
duration, and the server appends them to that file as JSON lines when it stops, followed
by a summary line. Off, nothing is installed and requests pay nothing.
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path
from typing import Any


class CollectionsLog:
    """The collections seen while installed: (generation, start, seconds) each."""

    def __init__(self) -> None:
        self.collections: list[tuple[int, float, float]] = []
        self._started = 0.0

    def _hook(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.monotonic()
        else:
            now = time.monotonic()
            self.collections.append((info["generation"], self._started, now - self._started))

    def install(self) -> None:
        gc.callbacks.append(self._hook)

    def uninstall(self) -> None:
        if self._hook in gc.callbacks:
            gc.callbacks.remove(self._hook)

    def summary(self) -> dict[str, Any]:
        counts = [0, 0, 0]
        for generation, _, _ in self.collections:
            counts[generation] += 1
        longest = max(self.collections, key=lambda c: c[2], default=(0, 0.0, 0.0))
        return {
            "pid": os.getpid(),
            "collections": counts,
            "longest_ms": round(longest[2] * 1000, 3),
            "longest_generation": longest[0],
            "total_ms": round(sum(c[2] for c in self.collections) * 1000, 3),
        }

    def write(self, path: Path) -> None:
        """Append every collection, then the summary, as JSON lines."""
        pid = os.getpid()
        with path.open("a") as out:
            for generation, started, seconds in self.collections:
                line = {"pid": pid, "generation": generation, "start": started, "seconds": seconds}
                out.write(json.dumps(line) + "\n")
            out.write(json.dumps({"summary": self.summary()}) + "\n")
