"""The forms a person fills in all day: every field editable, destructive actions asked
first, errors on the fields they concern, and the site form prefilled from its customer."""

from __future__ import annotations

import base64
import re
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.api import Api
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.test_app import MANAGER, open_customer, unique
from tests.servers import Server

CUSTOMER = """query($id: ID!) { customer(id: $id) {
  name kind segment description notes vatId taxId sharedFolderUrl paymentTerms currency
  createdOn contactTitle owner { name } manager { name }
  address { street1 city country }
  contracts { edges { node { number value { amount } } } }
  sites { edges { node { name contactName email phone address { city } } } }
} }"""


def pick(
    page: Page, dialog: Locator, label: str, option: str, search: str = "", hidden: str = ""
) -> None:
    """Choose ``option`` in the select labelled ``label``, typing ``search`` first; the
    option ``hidden`` must not be offered then."""
    field = dialog.get_by_role("combobox", name=label, exact=True)
    field.click()
    if search:
        field.fill(search)
    choice = page.get_by_role("option", name=option, exact=True)
    expect(choice).to_be_visible()
    if hidden:
        expect(page.get_by_role("option", name=hidden, exact=True)).to_have_count(0)
    choice.click()


def field(scope: Locator | Page, label: str) -> Locator:
    """The text box whose accessible name is ``label`` (a required one's asterisk aside)."""
    return scope.get_by_role("textbox", name=label, exact=True)


def no_raw_errors(page: Page) -> None:
    body = page.locator("body")
    expect(body).not_to_contain_text("[GraphQL]")
    expect(body).not_to_contain_text("[Network]")
    expect(body).not_to_contain_text("GlobalID")
    expect(body).not_to_contain_text("Variable '$")


def test_every_field_of_a_customer_is_edited_after_creation(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Everything Editable"))
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    page.get_by_role("button", name="Edit", exact=True).click()
    dialog = page.get_by_role("dialog", name=re.compile("^Edit Everything Editable"))

    pick(page, dialog, "Type", "Individual")
    pick(page, dialog, "Segment", "Enterprise")
    pick(page, dialog, "Owner", "Quinn Okafor", search="oka", hidden="Riley Carter")
    pick(page, dialog, "Account manager", "Jordan Blake", search="blake")
    field(dialog, "Description").fill("Runs the harbour cranes.")
    field(dialog, "Contact title").fill("Harbour master")
    field(dialog, "Street line 1").fill("1 Quay Road")
    field(dialog, "City").fill("Bergen")
    field(dialog, "Country").fill("NO")
    pick(page, dialog, "Payment terms", "Net 60 days")
    page.screenshot(path=ARTIFACTS / "edit_customer_every_field.png", full_page=True)
    field(dialog, "Currency").fill("NOK")
    field(dialog, "VAT ID").fill("NO999888777")
    field(dialog, "Tax ID").fill("TX-42")
    field(dialog, "Shared folder").fill("https://files.example.com/harbour")
    field(dialog, "Date created").fill("2023-04-05")
    field(dialog, "Notes").fill("Call before noon.")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("owner Quinn Okafor · manager Jordan Blake")).to_be_visible()
    expect(page.get_by_text("Runs the harbour cranes.")).to_be_visible()

    saved = api.run(CUSTOMER, id=customer["id"])["customer"]
    assert {key: saved[key] for key in saved if key not in ("contracts", "sites")} == {
        "name": customer["name"],
        "kind": "INDIVIDUAL",
        "segment": "ENTERPRISE",
        "description": "Runs the harbour cranes.",
        "notes": "Call before noon.",
        "vatId": "NO999888777",
        "taxId": "TX-42",
        "sharedFolderUrl": "https://files.example.com/harbour",
        "paymentTerms": "NET_60",
        "currency": "NOK",
        "createdOn": "2023-04-05",
        "contactTitle": "Harbour master",
        "owner": {"name": "Quinn Okafor"},
        "manager": {"name": "Jordan Blake"},
        "address": {"street1": "1 Quay Road", "city": "Bergen", "country": "NO"},
    }

    # The add form has the same fields: a description can be given from the start.
    page.goto("/customers")
    page.get_by_role("button", name="Add customer").click()
    adding = page.get_by_role("dialog", name="Add customer")
    name = unique("Described")
    field(adding, "Name").fill(name)
    field(adding, "Description").fill("Sells sails.")
    adding.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text("Sells sails.")).to_be_visible()


def create(api: Api, mutation: str, **input: Any) -> dict[str, Any]:
    field = mutation[len("create") :]
    field = field[0].lower() + field[1:]
    data = api.run(
        f"""mutation($input: {mutation[0].upper()}{mutation[1:]}Input!) {{
            {mutation}(input: $input) {{ {field} {{ id }} userErrors {{ message }} }} }}""",
        input=input,
    )[mutation]
    assert data["userErrors"] == [], data
    record: dict[str, Any] = data[field]
    return record


def remove_asking_first(page: Page, scope: Locator, noun: str, label: str, says: str) -> None:
    """Remove one row: the dialog names it and says what happens; Cancel keeps it, then
    the confirmed removal is done and said."""
    button = scope.get_by_role("button", name=f"Remove {noun} {label}", exact=True)
    expect(scope.get_by_role("button", name=f"Edit {noun} {label}", exact=True)).to_be_visible()
    button.click()
    dialog = page.get_by_role("dialog", name=f"Remove {noun} {label}?")
    expect(dialog).to_contain_text(says)
    page.screenshot(path=ARTIFACTS / f"remove_{noun.replace(' ', '_')}_asks_first.png")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(button).to_be_visible()
    button.click()
    page.get_by_role("dialog", name=f"Remove {noun} {label}?").get_by_role(
        "button", name=f"Remove {noun}"
    ).click()
    expect(page.get_by_text(f"{label} was removed.")).to_be_visible()
    expect(button).to_have_count(0)


def test_removing_and_deleting_ask_first_then_say_what_was_done(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Careful Removals"))
    cid = customer["id"]
    create(api, "createContact", customerId=cid, name="Jane Doe")
    site = create(api, "createSite", customerId=cid, name="Yard")
    create(api, "createSite", customerId=cid, name="Spare Lot")
    create(
        api,
        "createContract",
        customerId=cid,
        number="K-77",
        startDate="2026-01-01",
        value={"amount": "100"},
    )
    order = create(api, "createWorkOrder", customerId=cid, siteId=site["id"], title="Fix gate")
    create(api, "createTask", workOrderId=order["id"], title="Order hinges")
    number = api.run(
        "query($id: ID!) { node(id: $id) { ... on WorkOrder { number } } }", id=order["id"]
    )["node"]["number"]

    sign_in(page, *MANAGER)
    open_customer(page, cid)
    tab = page.get_by_role("tabpanel")
    remove_asking_first(page, tab, "contact", "Jane Doe", "removed for good")
    expect(page.get_by_role("tab", name="Contacts (0)")).to_be_visible()

    page.get_by_role("tab", name=re.compile("^Sites")).click()
    remove_asking_first(
        page, tab, "site", "Spare Lot", "work orders or leases refer to cannot be removed"
    )
    page.get_by_role("tab", name=re.compile("^Contracts")).click()
    remove_asking_first(page, tab, "contract", "K-77", "removed for good")

    page.get_by_role("tab", name=re.compile("^Work orders")).click()
    page.get_by_role("button", name=re.compile(r"^1 tasks?$")).click()
    tasks = page.get_by_role("dialog", name=re.compile("^Tasks of"))
    remove_asking_first(page, tasks, "task", "Order hinges", "removed for good")
    expect(tasks.get_by_text("No tasks yet.")).to_be_visible()
    page.keyboard.press("Escape")
    remove_asking_first(page, tab, "work order", number, "Its tasks are removed with it.")

    # A site still used cannot go: the dialog says why, in words.
    page.get_by_role("tab", name=re.compile("^Sites")).click()
    create(api, "createWorkOrder", customerId=cid, siteId=site["id"], title="Paint")
    page.get_by_role("button", name="Remove site Yard", exact=True).click()
    blocked = page.get_by_role("dialog", name="Remove site Yard?")
    blocked.get_by_role("button", name="Remove site").click()
    expect(blocked.get_by_role("alert")).to_contain_text("cannot be removed")
    blocked.get_by_role("button", name="Cancel").click()

    empty = api.create_customer(unique("Short Lived"))
    open_customer(page, empty["id"])
    page.get_by_role("button", name="Delete", exact=True).click()
    confirm = page.get_by_role("dialog", name=f"Delete {empty['name']}?")
    expect(confirm).to_contain_text("cannot be undone")
    confirm.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("heading", name=empty["name"], level=1)).to_be_visible()
    page.get_by_role("button", name="Delete", exact=True).click()
    confirm.get_by_role("button", name="Delete customer").click()
    page.wait_for_url(re.compile(r"/customers(\?.*)?$"))
    expect(
        page.get_by_text(f"{empty['name']} ({empty['customerNumber']}) was deleted.")
    ).to_be_visible()


def test_errors_show_on_their_fields_and_amounts_read_in_the_locale(
    browser: Browser, page: Page, server: Server
) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Careful Contracts"))
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    page.get_by_role("tab", name=re.compile("^Contracts")).click()
    page.get_by_role("button", name="Add contract").click()
    dialog = page.get_by_role("dialog", name="Add contract")
    dialog.get_by_role("button", name="Save").click()
    for label, message in (
        ("Number", "Number is required."),
        ("Start date", "Start date is required."),
        ("Value", "Value is required."),
    ):
        expect(field(dialog, label)).to_have_attribute("aria-invalid", "true")
        expect(dialog.get_by_text(message)).to_be_visible()
    no_raw_errors(page)
    page.screenshot(path=ARTIFACTS / "contract_form_errors.png", full_page=True)

    field(dialog, "Number").fill("C-12500")
    field(dialog, "Start date").fill("2026-03-01")
    field(dialog, "End date").fill("2026-02-01")
    field(dialog, "Value").fill("12,5,00")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("Enter an amount such as 12,500.50.")).to_be_visible()
    field(dialog, "Value").fill("12,500")
    dialog.get_by_role("button", name="Save").click()
    # The server's answer shows on the field it names.
    expect(field(dialog, "End date")).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_text("End date cannot be before start date.")).to_be_visible()
    field(dialog, "End date").fill("")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="$12,500.00")).to_be_visible()
    no_raw_errors(page)

    german = browser.new_context(base_url=server.url, locale="de-DE")
    try:
        other = german.new_page()
        sign_in(other, *MANAGER)
        open_customer(other, customer["id"])
        other.get_by_role("tab", name=re.compile("^Contracts")).click()
        other.get_by_role("button", name="Add contract").click()
        form = other.get_by_role("dialog", name="Add contract")
        field(form, "Number").fill("C-DE")
        field(form, "Start date").fill("2026-03-01")
        field(form, "Value").fill("12.500,50")
        form.get_by_role("button", name="Save").click()
        expect(form).to_be_hidden()
        other.get_by_role("button", name="Edit contract C-DE").click()
        expect(field(other.get_by_role("dialog"), "Value")).to_have_value("12.500,50")
        other.screenshot(path=ARTIFACTS / "contract_amount_de.png", full_page=True)
    finally:
        german.close()
    contracts = api.run(CUSTOMER, id=customer["id"])["customer"]["contracts"]["edges"]
    values = {edge["node"]["number"]: edge["node"]["value"]["amount"] for edge in contracts}
    assert values == {"C-12500": "12500.00", "C-DE": "12500.50"}


def test_bad_addresses_say_not_found_with_a_way_back(page: Page, server: Server) -> None:
    sign_in(page, *MANAGER)
    missing = base64.b64encode(b"Customer:987654321").decode()
    for address in ("/customers/not-an-id", f"/customers/{missing}"):
        page.goto(address)
        expect(page.get_by_role("heading", name="Customer not found", level=1)).to_be_visible()
        no_raw_errors(page)
    page.screenshot(path=ARTIFACTS / "customer_not_found.png", full_page=True)
    page.get_by_role("link", name="Back to customers").click()
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()

    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "page_not_found.png", full_page=True)
    page.get_by_role("link", name="Back to customers").click()
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()


def test_the_site_form_shows_the_customers_contact_details(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(
        unique("Prefilled Sites"),
        email="hello@prefilled.example",
        phone="+47 22 33 44 55",
        address={"street1": "2 Dock Street", "city": "Oslo", "country": "NO"},
    )
    create(api, "createContact", customerId=customer["id"], name="Ada Early")
    create(api, "createContact", customerId=customer["id"], name="Pat Primary", isPrimary=True)
    sign_in(page, *MANAGER)
    open_customer(page, customer["id"])
    page.get_by_role("tab", name=re.compile("^Sites")).click()
    page.get_by_role("button", name="Add site").click()
    dialog = page.get_by_role("dialog", name="Add site")
    expect(field(dialog, "Contact name")).to_have_value("Pat Primary")
    expect(field(dialog, "Email")).to_have_value("hello@prefilled.example")
    expect(field(dialog, "Phone")).to_have_value("+47 22 33 44 55")
    expect(field(dialog, "Street line 1")).to_have_value("2 Dock Street")
    expect(field(dialog, "City")).to_have_value("Oslo")
    field(dialog, "Site name").fill("East Depot")
    field(dialog, "Email").fill("depot@prefilled.example")
    field(dialog, "Phone").fill("")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("tab", name="Sites (1)")).to_be_visible()
    site = api.run(CUSTOMER, id=customer["id"])["customer"]["sites"]["edges"][0]["node"]
    assert site == {
        "name": "East Depot",
        "contactName": "Pat Primary",
        "email": "depot@prefilled.example",
        "phone": None,
        "address": {"city": "Oslo"},
    }
    page.get_by_role("button", name="Edit site East Depot").click()
    editing = page.get_by_role("dialog", name="Edit site East Depot")
    expect(field(editing, "Email")).to_have_value("depot@prefilled.example")
    expect(field(editing, "Phone")).to_have_value("")


def test_the_customer_form_fits_a_phone(browser: Browser, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    customer = api.create_customer(unique("Pocket Edit"))
    phone = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    try:
        page = phone.new_page()
        sign_in(page, *MANAGER)
        page.goto(f"/customers/{customer['id']}")
        expect(page.get_by_role("heading", name=customer["name"], level=1)).to_be_visible()
        page.get_by_role("button", name="Edit", exact=True).click()
        dialog = page.get_by_role("dialog", name=re.compile("^Edit Pocket Edit"))
        box = dialog.bounding_box()
        assert box is not None
        assert box["width"] <= 390
        # Fields side by side on a wide screen stack on a phone, each the full width.
        for label in ("Type", "Owner", "City"):
            control = dialog.get_by_role("combobox", name=label, exact=True)
            if not control.count():
                control = field(dialog, label)
            width = control.bounding_box()
            assert width is not None
            assert width["width"] > 300, label
        page.screenshot(path=ARTIFACTS / "edit_customer_390.png")
    finally:
        phone.close()
