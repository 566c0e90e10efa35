"""Where a server process spends its time: py-spy samples grouped by library.

A sample belongs to the library of its innermost frame outside the standard library
("other" when there is none, such as the event loop itself). Threads parked on a lock
(an idle worker thread) are not counted: py-spy cannot tell they wait.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LIBRARIES = (
    "customer_graph",
    "strawberry",
    "graphql",
    "sqlalchemy",
    "psycopg",
    "starlette",
    "uvicorn",
    "orjson",
    "pydantic",
    "argon2",
)


PARKED = ("Condition.wait (threading.py", "Event.wait (threading.py")


def library(frame: str) -> str | None:
    for name in LIBRARIES:
        if f"/{name}/" in frame or f"({name}/" in frame:
            return name
    return None


@dataclass
class Profile:
    samples: int
    by_library: collections.Counter[str]
    own: collections.Counter[str]
    """Samples by our own innermost function."""
    raw: Path

    def shares(self, top: int = 8) -> str:
        return ", ".join(
            f"{name} {count / self.samples:.0%}" for name, count in self.by_library.most_common(top)
        )


def breakdown(raw: Path) -> Profile:
    by_library: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        frames = stack.split(";")
        if frames[-1].startswith(PARKED):
            continue
        count = int(count_text)
        total += count
        owner = next((lib for frame in reversed(frames) if (lib := library(frame))), "other")
        by_library[owner] += count
        ours = [frame for frame in frames if library(frame) == "customer_graph"]
        if ours:
            own[ours[-1].split(" (")[0]] += count
    return Profile(max(total, 1), by_library, own, raw)


def sample(pid: int, seconds: int, load: Callable[[], object], raw: Path) -> Profile:
    """Samples ``pid`` for ``seconds`` while ``load`` (lasting a little longer) runs."""
    loader = threading.Thread(target=load)
    loader.start()
    subprocess.run(
        [str(Path(sys.executable).parent / "py-spy"), "record", "-p", str(pid), "-d",
         str(seconds), "-r", "250", "-f", "raw", "-o", str(raw)],
        check=True, capture_output=True,
    )  # fmt: skip
    loader.join()
    return breakdown(raw)
