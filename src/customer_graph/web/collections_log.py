"""Time each garbage collection of the server process, for measuring collector pauses.

Off unless ``CUSTOMER_GRAPH_GC_LOG`` names a file: then a ``gc.callbacks`` hook notes each
collection's generation, start (``time.monotonic``, comparable across processes),
duration (wall clock and the thread's CPU time: on a busy machine the first includes time
waiting for a core) and the objects it freed, and the server appends them to that file as
JSON lines when it stops, followed by a summary line. Off, nothing is installed and
requests pay nothing.
"""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path
from typing import Any


class CollectionsLog:
    """The collections seen while installed: (generation, start, seconds, CPU seconds,
    objects collected) each."""

    def __init__(self) -> None:
        self.collections: list[tuple[int, float, float, float, int]] = []
        self._started = 0.0
        self._cpu = 0.0

    def _hook(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.monotonic()
            self._cpu = time.thread_time()
        else:
            cpu = time.thread_time() - self._cpu
            seconds = time.monotonic() - self._started
            self.collections.append(
                (info["generation"], self._started, seconds, cpu, info["collected"])
            )

    def install(self) -> None:
        gc.callbacks.append(self._hook)

    def uninstall(self) -> None:
        if self._hook in gc.callbacks:
            gc.callbacks.remove(self._hook)

    def summary(self) -> dict[str, Any]:
        counts = [0, 0, 0]
        for collection in self.collections:
            counts[collection[0]] += 1
        longest = max(self.collections, key=lambda c: c[2], default=(0, 0.0, 0.0, 0.0, 0))
        return {
            "pid": os.getpid(),
            "collections": counts,
            "longest_ms": round(longest[2] * 1000, 3),
            "longest_generation": longest[0],
            "longest_cpu_ms": round(max((c[3] for c in self.collections), default=0) * 1000, 3),
            "total_ms": round(sum(c[2] for c in self.collections) * 1000, 3),
        }

    def write(self, path: Path) -> None:
        """Append every collection, then the summary, as JSON lines."""
        pid = os.getpid()
        with path.open("a") as out:
            for generation, started, seconds, cpu, collected in self.collections:
                line = {
                    "pid": pid,
                    "generation": generation,
                    "start": started,
                    "seconds": seconds,
                    "cpu_seconds": cpu,
                    "collected": collected,
                }
                out.write(json.dumps(line) + "\n")
            out.write(json.dumps({"summary": self.summary()}) + "\n")
