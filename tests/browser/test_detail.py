"""A customer's page as people use it: every related record reached page by page and by a
search inside its tab, a history that reads like words, figures that say what they count,
and a page that reads on a phone."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.api import Api
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.servers import Server

MANAGER = ("manager@example.com", "manager-demo-pass")


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


def open_customer(page: Page, customer_id: str) -> None:
    page.goto(f"/customers/{customer_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def add(api: Api, mutation: str, payload: str, **input_: Any) -> dict[str, Any]:
    """Run ``create<Mutation>`` and return the created record (its ``id``)."""
    data = api.run(
        f"""mutation($input: {mutation[0].upper()}{mutation[1:]}Input!) {{
            {mutation}(input: $input) {{ {payload} {{ id }} userErrors {{ message }} }} }}""",
        input=input_,
    )[mutation]
    assert data["userErrors"] == [], data
    created: dict[str, Any] = data[payload]
    return created


def shows_range(page: Page, text: str) -> None:
    """The tab's range reads ``text`` ("1-10 of 300", with the app's en dash)."""
    expect(page.get_by_test_id("tab-range")).to_have_text(text.replace("-", "\N{EN DASH}"))


def test_every_one_of_300_assets_is_reached_by_pages_and_by_search(
    page: Page, server: Server
) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Three Hundred Pumps"))
    for n in range(1, 301):
        add(
            api,
            "createAsset",
            "asset",
            name=f"Pump {n:03d}",
            serialNumber=f"SN-{uuid.uuid4().hex[:10]}",
            ownerCustomerId=customer["id"],
        )
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    page.get_by_role("tab", name="Assets owned (300)").click()
    shows_range(page, "1-10 of 300")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text("Pump 001")

    page.get_by_role("button", name="Next page").click()
    shows_range(page, "11-20 of 300")
    expect(rows.first).to_contain_text("Pump 011")
    page.get_by_role("button", name="Last page").click()
    shows_range(page, "291-300 of 300")
    expect(rows.last).to_contain_text("Pump 300")
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.get_by_role("button", name="Previous page").click()
    shows_range(page, "281-290 of 300")
    expect(rows.first).to_contain_text("Pump 281")
    page.get_by_role("button", name="First page").click()
    shows_range(page, "1-10 of 300")
    expect(page.get_by_role("button", name="Previous page")).to_be_disabled()

    search = page.get_by_role("textbox", name="Search assets")
    search.fill("pump 2")
    shows_range(page, "1-10 of 100")
    expect(rows.first).to_contain_text("Pump 200")
    page.get_by_role("button", name="Last page").click()
    shows_range(page, "91-100 of 100")
    expect(rows.last).to_contain_text("Pump 299")
    search.fill("PUMP 150")
    shows_range(page, "1-1 of 1")
    expect(rows).to_have_count(1)
    search.fill("no such pump")
    expect(page.get_by_text("No assets match “no such pump”.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "detail_tab_search.png", full_page=True)


def test_history_reads_like_words(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    me = api.run("{ viewer { name } }")["viewer"]["name"]
    customer = api.create_customer(unique("Worded History"), segment="SMB")
    manager = api.run(
        "query($id: ID!) { customer(id: $id) { manager { id name } } }", id=customer["id"]
    )["customer"]["manager"]
    people = api.run("{ users(first: 20) { edges { node { id name } } } }")["users"]["edges"]
    other = next(edge["node"] for edge in people if edge["node"]["id"] != manager["id"])
    api.run(
        """mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
            userErrors { message } } }""",
        input={
            "id": customer["id"],
            "expectedVersion": customer["version"],
            "managerId": other["id"],
            "segment": "ENTERPRISE",
            "paymentTerms": "NET_60",
            "billingAddress": {"postalCode": "0150"},
        },
    )
    contact = add(api, "createContact", "contact", customerId=customer["id"], name="Jane Doe")
    api.run(
        """mutation($input: UpdateContactInput!) { updateContact(input: $input) {
            userErrors { message } } }""",
        input={"id": contact["id"], "name": "Jane Doe", "title": "Buyer", "isPrimary": True},
    )
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    page.get_by_role("tab", name=re.compile("^History")).click()
    history = page.get_by_role("list", name="Change history")
    expect(history.get_by_text(f"{me} changed the customer")).to_be_visible()
    expect(history.get_by_text("Segment: SMB → Enterprise")).to_be_visible()
    expect(history.get_by_text(f"Manager: {manager['name']} → {other['name']}")).to_be_visible()
    expect(history.get_by_text("Payment terms: Net 30 days → Net 60 days")).to_be_visible()
    expect(history.get_by_text("Billing postal code: — → 0150")).to_be_visible()
    expect(history.get_by_text(f"{me} added contact Jane Doe")).to_be_visible()
    expect(history.get_by_text(f"{me} changed contact Jane Doe")).to_be_visible()
    expect(history.get_by_text("Primary contact: No → Yes")).to_be_visible()
    expect(history.get_by_text(f"{me} added the customer")).to_be_visible()
    text = history.inner_text()
    for code in ("billingAddress", "postalCode", "ENTERPRISE", "NET_60", "isPrimary", "Contact "):
        assert code not in text, f"{code!r} in the history"

    page.get_by_role("textbox", name="Search history").fill("jane")
    shows_range(page, "1-2 of 2")
    expect(history.get_by_text("the customer")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "detail_history.png", full_page=True)


def test_figures_say_what_they_count_in_the_customers_currency(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Adams & Müller"), currency="EUR")
    add(
        api,
        "createInvoice",
        "invoice",
        customerId=customer["id"],
        number=f"INV-{uuid.uuid4().hex[:6]}",
        amount={"amount": "224318.00"},
        status="PAID",
        issuedOn="2026-01-05",
        dueOn="2026-02-04",
        paidOn="2026-01-20",
    )
    site = add(api, "createSite", "site", customerId=customer["id"], name="Yard")
    order = add(
        api,
        "createWorkOrder",
        "workOrder",
        customerId=customer["id"],
        siteId=site["id"],
        title="Fix gate",
    )
    add(api, "createTask", "task", workOrderId=order["id"], title="Order hinges")
    add(
        api,
        "createOpportunity",
        "opportunity",
        customerId=customer["id"],
        name="Second cold room",
        amount={"amount": "5000"},
    )
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])

    expect(page.get_by_test_id("customer-value")).to_have_text("€224,318.00")
    expect(page.get_by_text("€0.00 ordered · €224,318.00 paid on invoices")).to_be_visible()
    expect(page.get_by_text("1 open opportunity", exact=True)).to_be_visible()
    header = page.get_by_text(re.compile(r"· Company · SMB · owner"))
    expect(header).to_be_visible()
    projects = page.get_by_role("list", name="Projects by phase")
    for label in ("Upcoming 0", "Active 0", "Past 0"):
        expect(projects.get_by_text(label)).to_be_visible()
    assets = page.get_by_role("list", name="Assets by place")
    expect(assets.get_by_text("On location 0")).to_be_visible()
    expect(assets.get_by_text("Owned 0")).to_be_visible()

    page.get_by_role("tab", name=re.compile("^Work orders")).click()
    expect(page.get_by_role("button", name="1 task", exact=True)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "detail_figures.png", full_page=True)


def test_the_detail_page_reads_on_a_phone(browser: Browser, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    busy = api.run(
        """{ customers(first: 1, orderBy: { field: TOTAL_REVENUE, direction: DESC }) {
            edges { node { id name contacts { totalCount } ownedAssets { totalCount } } } } }"""
    )["customers"]["edges"][0]["node"]
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, *MANAGER)
        open_customer(page, busy["id"])
        expect(page.get_by_test_id("customer-value")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width} px wide"
        for element in (
            page.get_by_role("heading", level=1),
            page.get_by_role("button", name="Edit", exact=True).first,
            page.get_by_role("button", name="Delete", exact=True).first,
            page.get_by_test_id("customer-value"),
            page.get_by_role("list", name="Assets by place"),
        ):
            box = element.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 390, element

        expect(page.get_by_role("tablist")).to_have_count(0)
        section = page.get_by_role("combobox", name="Section")
        expect(section).to_have_value(f"Contacts ({busy['contacts']['totalCount']})")
        section.click()
        page.get_by_role("option", name=re.compile("^Assets owned")).click()
        expect(page.get_by_role("textbox", name="Search assets")).to_be_visible()
        expect(page.get_by_test_id("tab-range")).to_contain_text(
            f"of {busy['ownedAssets']['totalCount']}"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the section scrolls the page sideways: {width} px wide"
        page.screenshot(path=ARTIFACTS / "detail_phone_390.png", full_page=True)
    finally:
        context.close()
