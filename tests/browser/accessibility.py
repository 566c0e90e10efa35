"""axe-core on a screen of the app, and its screenshot: helpers any browser test can call.

``audit(page, name)`` runs axe-core (the copy the frontend's packages install) on what the
page shows now, saves a full-page screenshot as ``artifacts/browser/screen_<name>_<width>.png``
and returns every critical or serious violation, one line each (rule, target, summary).
``Audit`` collects them across the screens of a test, so one run names every problem
instead of stopping at the first screen that has one.

axe is put in the page by the test driver (``page.evaluate``), not by a ``<script>``
element: the app's Content-Security-Policy rightly refuses inline scripts, and the
``page`` fixture fails any test in which the browser refused something.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from playwright.sync_api import Page, ViewportSize

from tests.browser.conftest import ARTIFACTS, ROOT

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("critical", "serious")
WIDTHS: dict[int, ViewportSize] = {
    1280: {"width": 1280, "height": 800},
    390: {"width": 390, "height": 844},
}


@cache
def axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make frontend` (it installs axe-core).")
    return AXE.read_text(encoding="utf-8")


def settle(page: Page) -> None:
    """Wait until nothing on the screen is still loading (a spinner, a busy region) and no
    CSS transition or animation runs (a modal fading in, a drawer sliding up), so what is
    checked is what a person ends up seeing."""
    page.wait_for_function(
        """() => ![...document.querySelectorAll('.mantine-Loader-root, [aria-busy="true"]')]
            .some((element) => element.checkVisibility())"""
    )
    page.wait_for_function(
        """() => document.getAnimations().every(
            (animation) => animation.playState !== "running"
                || animation.effect?.getComputedTiming().iterations === Infinity)"""
    )


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of critical or serious impact on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const results = await window.axe.run(document, { resultTypes: ["violations"] });
            return results.violations.map((violation) => ({
                id: violation.id,
                impact: violation.impact,
                help: violation.help,
                nodes: violation.nodes.map((node) => ({
                    impact: node.impact,
                    target: node.target.map(String).join(" "),
                    summary: node.failureSummary,
                })),
            }));
        }"""
    )
    return [v for v in found if v["impact"] in FAILING_IMPACTS]


def describe(violation: dict[str, Any]) -> list[str]:
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        summary = re.sub(r"\s+", " ", node["summary"] or "").strip()
        lines.append(f"    {node['target']}: {summary}")
    return lines


def screenshot(page: Page, name: str) -> None:
    width = (page.viewport_size or {"width": 0})["width"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"screen_{name}_{width}.png"), full_page=True)


def audit(page: Page, name: str) -> list[str]:
    """Screenshot the screen ``name`` as it is now and return its critical or serious
    axe-core violations, one line per rule and one per element it found."""
    settle(page)
    screenshot(page, name)
    lines: list[str] = []
    for violation in violations(page):
        lines.extend(describe(violation))
    return lines


def assert_accessible(page: Page, name: str) -> None:
    problems = audit(page, name)
    assert not problems, f"axe-core on {name}:\n" + "\n".join(problems)


@dataclass
class Audit:
    """Audits screen after screen of one page and fails once, at the end, naming them all."""

    page: Page
    problems: dict[str, list[str]] = field(default_factory=dict)
    screens: list[str] = field(default_factory=list)

    def check(self, name: str) -> None:
        self.screens.append(name)
        found = audit(self.page, name)
        if found:
            self.problems[name] = found

    def assert_clean(self) -> None:
        assert self.screens, "no screen was audited"
        report = [
            line
            for name, lines in self.problems.items()
            for line in (f"axe-core on {name}:", *(f"  {text}" for text in lines))
        ]
        assert not report, "\n".join(report)
