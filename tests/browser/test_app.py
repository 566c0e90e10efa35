"""The app in a real browser against the real server: what a person does, end to end."""

from __future__ import annotations

import csv
import io
import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.browser.api import Api
from tests.browser.conftest import ARTIFACTS, Server, sign_in

MANAGER = ("manager@example.com", "manager-demo-pass")
REP = ("rep@example.com", "rep-demo-pass")
SUPPORT = ("support@example.com", "support-demo-pass")


def plural(count: int, one: str) -> str:
    """ "1 site", "2 sites": as the app counts."""
    return f"{count} {one}" if count == 1 else f"{count} {one}s"


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


def open_customer(page: Page, customer_id: str) -> None:
    page.goto(f"/customers/{customer_id}")
    expect(page.get_by_role("tab", name=re.compile("^Contacts"))).to_be_visible()


def test_sign_in_wrong_then_right_then_out(page: Page) -> None:
    page.goto("/customers")
    page.wait_for_url("**/login**")
    page.get_by_label("Email").fill(MANAGER[0])
    page.get_by_role("textbox", name="Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The email or the password is wrong.")
    page.get_by_role("textbox", name="Password").fill(MANAGER[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/customers**")
    expect(page.get_by_test_id("viewer-name")).to_be_visible()
    expect(page.get_by_text("Sales manager")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login**")
    page.goto("/customers")
    page.wait_for_url("**/login**")


def test_search_filter_and_reload_keep_the_list(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    name = unique("Zephyr Searchable")
    api.create_customer(name)
    sign_in(page, *MANAGER)
    page.get_by_role("textbox", name="Search").fill("zephyr searchable")
    expect(page.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_test_id("list-range")).to_have_text(re.compile(r"^1\u2013\d+ of [1-9]"))
    page.reload()
    expect(page.get_by_role("textbox", name="Search")).to_have_value("zephyr searchable")
    expect(page.get_by_role("link", name=name)).to_be_visible()

    page.get_by_role("textbox", name="Search").fill("")
    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Inactive").click()
    page.wait_for_url(re.compile("status=INACTIVE"))
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("Inactive")
    for status in page.locator("tbody tr td:nth-child(6)").all_inner_texts():
        assert status.lower() == "inactive"


def test_create_shows_a_duplicate_number_on_its_field(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    taken = api.create_customer(unique("Number holder"))["customerNumber"]
    sign_in(page, *MANAGER)
    page.get_by_role("button", name="Add customer").click()
    dialog = page.get_by_role("dialog", name="Add customer")
    name = unique("Brand New Co")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Customer ID").fill(taken)
    dialog.get_by_role("button", name="Add").click()
    expect(dialog.get_by_text(f"Customer number {taken} is taken.")).to_be_visible()
    expect(dialog.get_by_label("Customer ID")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("Customer ID").fill("")
    dialog.get_by_label("Owner").click()
    page.get_by_role("option", name="Riley Carter").click()
    dialog.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name=name, exact=True, level=1)).to_be_visible()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    expect(page.get_by_text("owner Riley Carter · manager Dana Whitfield")).to_be_visible()


def test_edit_saves_and_a_conflict_offers_a_reload(browser: Browser, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Editable"))
    first = browser.new_context(base_url=server.url)
    second = browser.new_context(base_url=server.url)
    mine, theirs = first.new_page(), second.new_page()
    try:
        for page in (mine, theirs):
            sign_in(page, *MANAGER)
            open_customer(page, customer["id"])
        mine.get_by_role("button", name="Edit").click()
        theirs.get_by_role("button", name="Edit").click()
        theirs.get_by_label("Name").fill("Saved first")
        theirs.get_by_role("button", name="Save").click()
        expect(
            theirs.get_by_role("heading", name="Saved first", exact=True, level=1)
        ).to_be_visible()

        mine.get_by_label("Name").fill("Saved second")
        mine.get_by_label("Billing city").fill("Lyon")
        mine.get_by_role("button", name="Save").click()
        expect(mine.get_by_text("Someone else saved this customer first")).to_be_visible()
        mine.get_by_role("button", name="Reload").click()
        expect(mine.get_by_label("Name")).to_have_value("Saved first")
        mine.get_by_label("Name").fill("Saved second")
        mine.get_by_role("button", name="Save").click()
        expect(
            mine.get_by_role("heading", name="Saved second", exact=True, level=1)
        ).to_be_visible()
        assert api.customer(customer["id"])["name"] == "Saved second"
    finally:
        mine.screenshot(path=ARTIFACTS / "edit_conflict_mine.png", full_page=True)
        first.close()
        second.close()


def test_deactivation_says_what_it_cancels_and_does_it(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    found = api.run(
        """{ customers(first: 50, filter: { statuses: [ACTIVE] }) { edges { node { id
            deactivationImpact {
              sitesDeactivated contractsCancelled workOrdersCancelled tasksCancelled }
        } } } }"""
    )
    busy = next(
        edge["node"]
        for edge in found["customers"]["edges"]
        if edge["node"]["deactivationImpact"]["sitesDeactivated"] > 0
    )
    impact = busy["deactivationImpact"]
    sign_in(page, *MANAGER)
    open_customer(page, busy["id"])
    page.get_by_role("button", name="Deactivate").click()
    dialog = page.get_by_role("dialog", name="Deactivate customer?")
    expect(
        dialog.get_by_text(f"deactivate {plural(impact['sitesDeactivated'], 'site')}")
    ).to_be_visible()
    expect(
        dialog.get_by_text(f"cancel {plural(impact['contractsCancelled'], 'contract')}")
    ).to_be_visible()
    expect(
        dialog.get_by_text(f"cancel {plural(impact['workOrdersCancelled'], 'open work order')}")
    ).to_be_visible()
    dialog.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("Customer deactivated")).to_be_visible()
    expect(page.get_by_role("button", name="Reactivate")).to_be_visible()
    assert api.customer(busy["id"])["status"] == "INACTIVE"


def test_archive_hides_from_the_list_but_search_finds_it(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    name = unique("Quiet Archive")
    customer = api.create_customer(name)
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_text("Archived", exact=True)).to_be_visible()
    page.goto("/customers?sort=%22NAME%22&size=100")
    expect(page.get_by_role("link", name=name)).to_have_count(0)
    page.get_by_role("textbox", name="Search").fill(name)
    row = page.locator("tbody tr", has=page.get_by_role("link", name=name))
    expect(row).to_contain_text("Archived")


def test_export_selected_rows_to_csv(page: Page) -> None:
    sign_in(page, *MANAGER)
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    names = [rows.nth(i).get_by_role("link").inner_text() for i in range(2)]
    for name in names:
        page.get_by_role("checkbox", name=f"Select {name}").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export selected (2) to CSV").click()
    content = download_info.value.path().read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(content)))
    assert table[0][:4] == ["customer_number", "name", "kind", "segment"], "the import's columns"
    assert [row[1] for row in table[1:]] == names


def test_controls_follow_the_role(browser: Browser, server: Server) -> None:
    rep_api = Api(server.url, *REP)
    own = rep_api.create_customer(unique("Rep Owned"))
    manager_api = Api(server.url, *MANAGER)
    others = manager_api.create_customer(unique("Not the rep's"))
    for who, customer, can_edit, can_add in (
        (REP, own, True, True),
        (REP, others, False, True),
        (SUPPORT, own, False, False),
    ):
        context = browser.new_context(base_url=server.url)
        page = context.new_page()
        sign_in(page, *who)
        expect(page.get_by_role("button", name="Add customer")).to_have_count(1 if can_add else 0)
        open_customer(page, customer["id"])
        expect(page.get_by_role("button", name="Edit")).to_have_count(1 if can_edit else 0)
        expect(page.get_by_role("button", name="Delete")).to_have_count(0)
        page.screenshot(path=ARTIFACTS / f"role_{who[0].split('@')[0]}_{can_edit}.png")
        context.close()


def test_an_edit_in_one_browser_shows_in_another_without_reload(
    browser: Browser, server: Server
) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Watched"))
    watcher_context = browser.new_context(base_url=server.url)
    watcher = watcher_context.new_page()
    try:
        sign_in(watcher, *REP)
        open_customer(watcher, customer["id"])
        watcher.wait_for_timeout(500)
        api.run(
            """mutation($id: ID!, $v: Int!) {
                updateCustomer(input: { id: $id, expectedVersion: $v, name: "Renamed Live" }) {
                  userErrors { message } } }""",
            id=customer["id"],
            v=customer["version"],
        )
        expect(
            watcher.get_by_role("heading", name="Renamed Live", exact=True, level=1)
        ).to_be_visible()
    finally:
        watcher.screenshot(path=ARTIFACTS / "live_update.png", full_page=True)
        watcher_context.close()


def test_sort_by_total_revenue(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    top = api.run(
        """{ customers(first: 1, orderBy: { field: TOTAL_REVENUE, direction: DESC }) {
            edges { node { name } } } }"""
    )["customers"]["edges"][0]["node"]["name"]
    sign_in(page, *MANAGER)
    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Total revenue").click()
    page.get_by_role("combobox", name="Order").click()
    page.get_by_role("option", name="Descending").click()
    page.wait_for_url(
        re.compile("sort=.*TOTAL_REVENUE.*dir=.*DESC|dir=.*DESC.*sort=.*TOTAL_REVENUE")
    )
    expect(page.locator("tbody tr").first.get_by_role("link")).to_have_text(top)


def test_contacts_and_sites_are_edited_in_place(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Nested Edits"), email="hello@nested.example")
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])

    page.get_by_role("button", name="Add contact").click()
    dialog = page.get_by_role("dialog", name="Add contact")
    dialog.get_by_label("Name").fill("Grace Primary")
    dialog.get_by_label("Email").fill("not-an-email")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("is not an email address")).to_be_visible()
    dialog.get_by_label("Email").fill("grace@nested.example")
    dialog.get_by_label("Primary contact").check()
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("tab", name="Contacts (1)")).to_be_visible()
    row = page.locator("tbody tr", has_text="Grace Primary")
    expect(row).to_contain_text("Primary")
    row.get_by_role("button", name="Edit").click()
    page.get_by_role("dialog").get_by_label("Title").fill("CTO")
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(page.locator("tbody tr", has_text="Grace Primary")).to_contain_text("CTO")

    page.get_by_role("tab", name=re.compile("^Sites")).click()
    page.get_by_role("button", name="Add site").click()
    site_dialog = page.get_by_role("dialog", name="Add site")
    site_dialog.get_by_label("Site name").fill("North Depot")
    site_dialog.get_by_label("City").fill("Oslo")
    site_dialog.get_by_label("Country").fill("NO")
    site_dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("tab", name="Sites (1)")).to_be_visible()
    site = api.run(
        "query($id: ID!) { customer(id: $id) { sites { edges { node { contactName email } } } } }",
        id=customer["id"],
    )["customer"]["sites"]["edges"][0]["node"]
    assert site == {"contactName": "Grace Primary", "email": "hello@nested.example"}
    page.locator("tbody tr", has_text="North Depot").get_by_role("button", name="Remove").click()
    page.get_by_role("dialog", name="Remove site North Depot?").get_by_role(
        "button", name="Remove site"
    ).click()
    expect(page.get_by_role("tab", name="Sites (0)")).to_be_visible()


def test_an_order_added_in_place_updates_the_customer_value(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Revenue Watch"), currency="USD")
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    expect(page.get_by_text("$0.00").first).to_be_visible()
    page.get_by_role("tab", name=re.compile("^Orders")).click()
    page.get_by_role("button", name="Add order").click()
    dialog = page.get_by_role("dialog", name="Add order")
    dialog.get_by_label("Number").fill(f"ORD-{uuid.uuid4().hex[:6]}")
    dialog.get_by_label("Ordered on").fill("2026-03-01")
    dialog.get_by_label("Total").fill("-5")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_label("Total")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("Total").fill("1234.50")
    dialog.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Fulfilled").click()
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("tab", name="Orders (1)")).to_be_visible()
    expect(page.get_by_text("$1,234.50").first).to_be_visible()


def test_tasks_of_a_work_order_are_edited_in_place(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Field Work"))
    site = api.run(
        """mutation($id: ID!) { createSite(input: { customerId: $id, name: "Yard" }) {
            site { id } userErrors { message } } }""",
        id=customer["id"],
    )["createSite"]["site"]
    api.run(
        """mutation($id: ID!, $site: ID!) {
            createWorkOrder(input: { customerId: $id, siteId: $site, title: "Fix gate" }) {
              workOrder { id } userErrors { message } } }""",
        id=customer["id"],
        site=site["id"],
    )
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    page.get_by_role("tab", name=re.compile("^Work orders")).click()
    page.get_by_role("button", name="0 tasks").click()
    tasks = page.get_by_role("dialog", name=re.compile("^Tasks of"))
    tasks.get_by_role("button", name="Add task").click()
    form = page.get_by_role("dialog", name="Add task")
    form.get_by_label("Title").fill("Order hinges")
    form.get_by_role("button", name="Save").click()
    expect(tasks.get_by_role("cell", name="Order hinges", exact=True)).to_be_visible()
    tasks.get_by_role("row", name=re.compile("Order hinges")).get_by_role(
        "button", name="Remove"
    ).click()
    page.get_by_role("dialog", name="Remove task Order hinges?").get_by_role(
        "button", name="Remove task"
    ).click()
    expect(tasks.get_by_text("No tasks yet.")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="0 tasks")).to_be_visible()


def test_the_list_shows_each_customers_sites_and_assets(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    name = unique("Sited Customer")
    customer = api.create_customer(name)
    for site in ("Head office", "North depot", "South depot", "Yard"):
        api.run(
            """mutation($input: CreateSiteInput!) { createSite(input: $input) {
                site { id } userErrors { message } } }""",
            input={"customerId": customer["id"], "name": site},
        )
    sign_in(page, *MANAGER)
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("checkbox", name="Sites").check()
    page.get_by_role("checkbox", name="Assets").check()
    page.keyboard.press("Escape")
    page.get_by_role("textbox", name="Search").fill(name)
    row = page.get_by_role("row", name=re.compile(name))
    expect(row).to_contain_text("Head office, North depot, South depot +1 more")
    expect(row).to_contain_text("0 on site, 0 owned")
