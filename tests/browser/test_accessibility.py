"""Item 15: axe-core finds no critical or serious violation on any screen, at a desktop
width (1280 px) and a phone's (390 px); every screen's screenshot lands in
artifacts/browser/screen_<name>_<width>.png.

Screens are found the way a person finds them (roles and labels), and each waits for its
own content before it is checked, so screens that gain elements stay covered. To cover a
new screen, open it and call ``audit.check("<name>")`` (or ``assert_accessible``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import WIDTHS, Audit, settle
from tests.browser.api import Api
from tests.browser.conftest import sign_in
from tests.servers import Server

MANAGER = ("manager@example.com", "manager-demo-pass")

RELATIONS = [
    "contacts",
    "sites",
    "projects",
    "assets",
    "ownedAssets",
    "contracts",
    "workOrders",
    "opportunities",
    "orders",
    "invoices",
    "tickets",
    "leases",
    "priceSchedules",
    "history",
]


@pytest.fixture(params=sorted(WIDTHS), ids=lambda width: f"{width}px")
def width(request: pytest.FixtureRequest, page: Page) -> int:
    size: int = request.param
    page.set_viewport_size(WIDTHS[size])
    return size


@pytest.fixture(scope="module")
def busy_customer(server: Server) -> str:
    """An active customer with records on as many tabs as the demo data offers."""
    counts = " ".join(f"{name}(first: 1) {{ totalCount }}" for name in RELATIONS)
    data = Api(server.url, *MANAGER).run(
        "query { customers(first: 40, filter: {statuses: [ACTIVE]}) "
        f"{{ edges {{ node {{ id {counts} }} }} }} }}"
    )

    def filled(node: dict[str, Any]) -> tuple[int, int]:
        totals = [node[name]["totalCount"] for name in RELATIONS]
        return sum(1 for total in totals if total), sum(totals)

    best = max((edge["node"] for edge in data["customers"]["edges"]), key=filled)
    customer_id: str = best["id"]
    return customer_id


NOT_FOUND = re.compile("not found|no such|could not find|does not exist", re.IGNORECASE)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def close_dialog(page: Page) -> None:
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_sign_in(page: Page, width: int) -> None:
    audit = Audit(page)
    page.goto("/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    audit.check("sign_in")
    page.get_by_label("Email").fill(MANAGER[0])
    page.get_by_role("textbox", name="Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check("sign_in_refused")
    audit.assert_clean()


def test_customer_list_and_add_customer(page: Page, width: int) -> None:
    audit = Audit(page)
    sign_in(page, *MANAGER)
    rows = page.get_by_test_id("customer-card" if width < 768 else "customer-table")
    expect(rows.first).to_be_visible()
    expect(page.get_by_test_id("list-range")).to_be_visible()
    audit.check("customer_list")

    if width < 768:
        page.get_by_role("button", name=re.compile(r"^Filters")).click()
        expect(page.get_by_role("dialog", name="Filters")).to_be_visible()
        audit.check("customer_list_filters")
        close_dialog(page)

    page.get_by_role("button", name="Add customer").click()
    dialog = page.get_by_role("dialog", name="Add customer")
    expect(dialog.get_by_role("textbox").first).to_be_visible()
    audit.check("add_customer")
    close_dialog(page)
    audit.assert_clean()


def each_section(page: Page, width: int) -> Iterator[str]:
    """Opens each section of the detail page in turn, by its tab or, on a phone, by the
    Section picker that stands for the tabs; yields the section's label."""
    if width >= 768:
        tabs = page.get_by_role("tab")
        expect(tabs.first).to_be_visible()
        for index, label in enumerate(tabs.all_inner_texts()):
            tabs.nth(index).click()
            expect(tabs.nth(index)).to_have_attribute("aria-selected", "true")
            yield label.strip()
        return
    picker = page.get_by_role("combobox", name="Section").or_(
        page.get_by_role("textbox", name="Section")
    )
    picker.click()
    labels = [label.strip() for label in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    for label in labels:
        picker.click()
        page.get_by_role("option", name=label, exact=True).click()
        expect(picker).to_have_value(label)
        yield label


def test_customer_detail_tabs_and_forms(page: Page, width: int, busy_customer: str) -> None:
    audit = Audit(page)
    sign_in(page, *MANAGER)
    page.goto(f"/customers/{busy_customer}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    names = []
    for label in each_section(page, width):
        expect(page.get_by_role("tabpanel")).to_be_visible()
        settle(page)
        name = slug(re.sub(r"\(.*?\)", "", label))
        audit.check("customer_detail" if not names else f"customer_detail_{name}")
        names.append(label)
    assert len(names) >= 10, names

    page.goto(f"/customers/{busy_customer}")
    panel = page.get_by_role("tabpanel")
    panel.get_by_role("button", name=re.compile(r"^Add ")).first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("textbox").first).to_be_visible()
    audit.check("related_record_form")
    close_dialog(page)

    page.get_by_role("button", name=re.compile(r"^Edit")).first.click()
    dialog = page.get_by_role("dialog", name=re.compile(r"^Edit"))
    expect(dialog.get_by_role("textbox").first).to_be_visible()
    audit.check("edit_customer")
    close_dialog(page)
    audit.assert_clean()


def test_import_page(page: Page, width: int) -> None:
    audit = Audit(page)
    sign_in(page, *MANAGER)
    page.goto("/import")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check("import")
    audit.assert_clean()


def test_not_found_pages(page: Page, width: int) -> None:
    audit = Audit(page)
    sign_in(page, *MANAGER)
    page.goto("/no/such/page")
    expect(page.get_by_text(NOT_FOUND).first).to_be_visible()
    audit.check("not_found")
    page.goto("/customers/not-a-customer")
    expect(page.get_by_text(NOT_FOUND).or_(page.get_by_role("alert")).first).to_be_visible()
    audit.check("customer_not_found")
    audit.assert_clean()


def test_graphiql(page: Page, width: int) -> None:
    audit = Audit(page)
    sign_in(page, *MANAGER)
    html = page.request.get("/graphql", headers={"Accept": "text/html"}).text()
    assert not re.search(r"""(src|href)=["']https?://""", html), "GraphiQL is served from here"
    page.goto("/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible()
    audit.check("graphiql")
    audit.assert_clean()


def shown_width(page: Page, name: str) -> float:
    box = page.get_by_role("link", name=name).bounding_box()
    return box["width"] if box else 0.0


def test_skip_link_is_first_and_moves_the_focus_to_the_main_region(page: Page) -> None:
    page.goto("/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    skip = page.get_by_role("link", name="Skip to content")
    assert shown_width(page, "Skip to content") <= 1, "out of sight until it has the focus"
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert shown_width(page, "Skip to content") > 40, "shown while it has the focus"

    sign_in(page, *MANAGER)
    page.goto("/customers")
    expect(page.get_by_test_id("list-range")).to_be_visible()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), (
        "the next Tab stays in the main region, past the header"
    )
    assert shown_width(page, "Skip to content") <= 1
