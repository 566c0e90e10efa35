"""The customer list people use all day, on 1,100 demo customers: a selection that holds
across pages and searches and exports what it says (and imports back unchanged), readable
status and columns that fit, a chooser of columns kept per user, the range with thousands
separators and the first and last pages, a header that stays in view, Back that leaves
the list, every tag with its count, and cards with a filter drawer on a phone."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Download, Page, expect

from tests.browser.api import Api
from tests.browser.conftest import ARTIFACTS, Server, run_server, sign_in

MANAGER = ("manager@example.com", "manager-demo-pass")
REP = ("rep@example.com", "rep-demo-pass")

FIRST_PAGE = """query($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $last: Int) {
  customers(first: $first, last: $last, filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { node { id name customerNumber status tags openOpportunityCount
                   address { city } } }
  }
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This file's own server: enough customers for thousands and many pages."""
    with run_server(
        tmp_path_factory.mktemp("customer_list"), CUSTOMER_GRAPH_DEMO_CUSTOMERS="1100"
    ) as running:
        yield running


def customers(api: Api, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = api.run(FIRST_PAGE, **{"first": 25, **variables})["customers"]
    return found


def every_customer_number(api: Api, **variables: Any) -> tuple[list[str], int]:
    """The customer numbers of every page of a list, and its total."""
    numbers: list[str] = []
    after = None
    while True:
        page = api.run(
            """query($filter: CustomerFilter, $orderBy: CustomerOrder, $after: String) {
                customers(first: 100, after: $after, filter: $filter, orderBy: $orderBy) {
                  totalCount pageInfo { hasNextPage endCursor }
                  edges { node { customerNumber } } } }""",
            after=after,
            **variables,
        )["customers"]
        numbers += [edge["node"]["customerNumber"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return numbers, page["totalCount"]
        after = page["pageInfo"]["endCursor"]


def csv_rows(download: Download) -> list[dict[str, str]]:
    text = download.path().read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def template_header(api: Api) -> list[str]:
    template = api.client.get("/import/customers-template.csv").text
    return next(csv.reader(io.StringIO(template)))


def import_report(api: Api, path: Path) -> dict[str, Any]:
    """The report of importing ``path`` through ``POST /import/customers.csv``."""
    response = api.client.post(
        "/import/customers.csv",
        content=path.read_bytes(),
        headers={"Content-Type": "text/csv", "X-CSRF-Token": api.csrf},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    lines = [json.loads(line) for line in response.text.splitlines()]
    report: dict[str, Any] = next(line["report"] for line in lines if "report" in line)
    return report


def range_text(first: int, last: int, total: int) -> str:
    return f"{first:,}\u2013{last:,} of {total:,}"


def wait_for_list(page: Page) -> None:
    expect(page.locator("tbody tr a").first).to_be_visible()


# Item 5: the selection can be trusted, and its export imports back unchanged.


def test_a_selection_holds_across_pages_and_searches_and_imports_back_unchanged(
    page: Page, server: Server, tmp_path: Path
) -> None:
    api = Api(server.url, *MANAGER)
    first_page = [edge["node"] for edge in customers(api)["edges"]]
    sign_in(page, *MANAGER)
    wait_for_list(page)
    page.get_by_role("checkbox", name="Select all on this page").check()
    bar = page.get_by_test_id("selection-bar")
    expect(bar).to_contain_text("25 selected")

    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_test_id("list-range")).to_have_text(re.compile("^26\u201350 of "))
    second = page.locator("tbody tr").first.get_by_role("link").inner_text()
    page.get_by_role("checkbox", name=f"Select {second}").check()
    expect(bar).to_contain_text("26 selected")

    wanted = customers(api, first=None, last=1)["edges"][0]["node"]
    page.get_by_role("textbox", name="Search").fill(wanted["name"])
    page.get_by_role("checkbox", name=f"Select {wanted['name']}").check()
    expect(bar).to_contain_text("27 selected")
    page.get_by_role("textbox", name="Search").fill(first_page[0]["name"])
    expect(page.get_by_role("link", name=first_page[0]["name"])).to_be_visible()
    expect(bar).to_contain_text("27 selected")
    page.screenshot(path=str(ARTIFACTS / "customer_list_selection.png"))

    with page.expect_download() as download:
        page.get_by_role("button", name="Export selected (27) to CSV").click()
    path = tmp_path / "selected.csv"
    download.value.save_as(path)
    rows = csv_rows(download.value)
    assert list(rows[0]) == template_header(api), "the import's columns, the template's"
    exported = {row["customer_number"] for row in rows}
    assert len(rows) == 27
    assert {row["customerNumber"] for row in first_page} | {wanted["customerNumber"]} < exported

    page.goto("/import")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(
        page.get_by_text("27 rows: 0 created, 0 updated, 27 unchanged, 0 refused.")
    ).to_be_visible(timeout=60_000)

    page.get_by_role("link", name="Back to customers").click()
    expect(page.get_by_test_id("selection-bar")).to_have_count(0)


def test_all_matching_are_exported_with_the_lists_filter_and_import_back_unchanged(
    page: Page, server: Server, tmp_path: Path
) -> None:
    api = Api(server.url, *MANAGER)
    numbers, total = every_customer_number(
        api,
        filter={"statuses": ["INACTIVE"]},
        orderBy={"field": "CUSTOMER_NUMBER", "direction": "DESC"},
    )
    assert total > 25
    sign_in(page, *MANAGER)
    page.goto("/customers?status=INACTIVE&sort=CUSTOMER_NUMBER&dir=DESC")
    expect(page.get_by_test_id("list-range")).to_have_text(range_text(1, 25, total))
    page.get_by_role("checkbox", name="Select all on this page").check()
    page.get_by_role("button", name=f"Select all {total} matching").click()
    expect(page.get_by_test_id("selection-bar")).to_contain_text(f"All {total} matching selected")

    with page.expect_download() as download:
        page.get_by_role("link", name=f"Export all {total} to CSV").click()
    rows = csv_rows(download.value)
    assert [row["customer_number"] for row in rows] == numbers, "every match, in order"
    assert list(rows[0]) == template_header(api)
    path = tmp_path / "matching.csv"
    download.value.save_as(path)
    report = import_report(api, path)
    assert (report["rows"], report["unchanged"], report["rejected"]) == (total, total, 0)

    page.get_by_role("button", name="Clear selection").click()
    expect(page.get_by_test_id("selection-bar")).to_have_count(0)


# Item 6: status can be read, the columns fit, the viewer chooses them, the range reads
# with thousands separators and the header stays in view.


@pytest.mark.parametrize("width", [1280, 1440, 1920])
def test_badges_are_whole_and_the_default_columns_fit(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, *MANAGER)
    page.goto("/customers?archived=INCLUDE&size=100")
    wait_for_list(page)
    table = page.locator("table")
    expect(table.get_by_text("Archived", exact=True).first).to_be_visible()
    right, screen = table.evaluate(
        "t => [t.getBoundingClientRect().right, document.documentElement.clientWidth]"
    )
    assert right <= screen, f"the table is wider than the screen at {width} px: {right}"
    badges = table.locator("tbody .mantine-Badge-root").evaluate_all(
        """badges => badges.map(badge => {
            const label = badge.querySelector('.mantine-Badge-label');
            return [label.textContent, label.scrollWidth <= label.clientWidth,
                    badge.scrollWidth <= badge.clientWidth];
        })"""
    )
    assert {text for text, *_ in badges} == {"Active", "Inactive", "Archived"}
    cut = [text for text, label_fits, badge_fits in badges if not (label_fits and badge_fits)]
    assert cut == [], f"badges cut at {width} px"
    if width == 1280:
        page.goto("/customers")
        wait_for_list(page)
        page.screenshot(path=str(ARTIFACTS / "customer_list_1280.png"))


def test_chosen_columns_are_kept_for_each_user(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    top = customers(api, first=1)["edges"][0]["node"]
    sign_in(page, *MANAGER)
    wait_for_list(page)
    headers = page.locator("thead th")
    expect(headers.filter(has_text="Total revenue")).to_have_count(1)
    expect(headers.filter(has_text="Open opportunities")).to_have_count(0)
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("checkbox", name="Open opportunities").check()
    page.get_by_role("checkbox", name="Tags").uncheck()
    page.keyboard.press("Escape")
    expect(headers.filter(has_text="Open opportunities")).to_have_count(1)
    expect(headers.filter(has_text="Tags")).to_have_count(0)
    index = [text.strip() for text in headers.all_inner_texts()].index("Open opportunities")
    first_row = page.locator("tbody tr").first
    expect(first_row.locator("td").nth(index)).to_have_text(str(top["openOpportunityCount"]))

    page.reload()
    expect(headers.filter(has_text="Open opportunities")).to_have_count(1)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, *REP)
    wait_for_list(page)
    expect(headers.filter(has_text="Tags")).to_have_count(1)
    expect(headers.filter(has_text="Open opportunities")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, *MANAGER)
    expect(headers.filter(has_text="Open opportunities")).to_have_count(1)
    expect(headers.filter(has_text="Tags")).to_have_count(0)


def test_the_range_reads_with_thousands_and_goes_to_the_first_and_last_pages(
    page: Page, server: Server
) -> None:
    api = Api(server.url, *MANAGER)
    first = customers(api)
    total = first["totalCount"]
    assert total >= 1000
    last = customers(api, first=None, last=25)["edges"]
    sign_in(page, *MANAGER)
    listed = page.get_by_test_id("list-range")
    names = page.locator("tbody tr td:nth-child(2) a")
    expect(listed).to_have_text(range_text(1, 25, total))
    page.get_by_role("button", name="Next page").click()
    expect(listed).to_have_text(range_text(26, 50, total))
    page.get_by_role("button", name="Last page").click()
    expect(listed).to_have_text(range_text(total - 24, total, total))
    expect(names.last).to_have_text(last[-1]["node"]["name"])
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    page.get_by_role("button", name="Previous page").click()
    expect(listed).to_have_text(range_text(total - 49, total - 25, total))
    page.get_by_role("button", name="First page").click()
    expect(listed).to_have_text(range_text(1, 25, total))
    expect(names.first).to_have_text(first["edges"][0]["node"]["name"])
    expect(page.get_by_role("button", name="Previous page")).to_be_disabled()


def test_the_header_stays_in_view_while_rows_scroll(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, *MANAGER)
    page.goto("/customers?size=100")
    wait_for_list(page)
    header = page.locator("thead")
    first_row = page.locator("tbody tr").first
    before = first_row.bounding_box()
    assert before is not None
    page.mouse.move(640, before["y"] + 5)
    for _ in range(6):
        page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    after = first_row.bounding_box()
    box = header.bounding_box()
    assert after is not None
    assert box is not None
    assert after["y"] < before["y"] - 1000, "the rows scrolled"
    assert 0 <= box["y"] < 800 - box["height"], f"the header left the screen: {box}"
    expect(header.get_by_role("button", name="Name")).to_be_in_viewport()


# Item 7: Back leaves the list; typing adds no history.


def test_back_after_a_search_leaves_the_list(page: Page) -> None:
    sign_in(page, *MANAGER)
    page.goto("/import")
    page.get_by_role("link", name="Back to customers").click()
    wait_for_list(page)
    entries = page.evaluate("history.length")
    page.get_by_role("textbox", name="Search").press_sequentially("Blue", delay=120)
    page.wait_for_url(re.compile(r"[?&]q=Blue"))
    page.wait_for_timeout(500)
    assert page.evaluate("history.length") == entries, "typing made history entries"

    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Active", exact=True).click()
    page.wait_for_url(re.compile("status=ACTIVE"))
    page.go_back()
    page.wait_for_url(re.compile(r"/customers\?q=Blue$"))
    expect(page.get_by_role("textbox", name="Search")).to_have_value("Blue")
    page.go_back()
    page.wait_for_url(re.compile("/import$"))
    page.wait_for_timeout(800)
    assert page.url.endswith("/import"), "Back came back to the list"


# Item 8: every tag is offered, with its count, searched as the user types.


def test_the_tag_filter_offers_every_tag_with_its_count(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    tags = api.run("""{ customerTags(first: 100) { edges { node { name customerCount } } } }""")[
        "customerTags"
    ]["edges"]
    counts = {edge["node"]["name"]: edge["node"]["customerCount"] for edge in tags}
    assert "Churn risk" in counts
    assert len(counts) > 5
    sign_in(page, *MANAGER)
    wait_for_list(page)
    page.get_by_role("combobox", name="Tags").press_sequentially("chu", delay=80)
    option = page.get_by_role("option", name=re.compile("^Churn risk"))
    expect(option).to_have_count(1)
    expect(option).to_contain_text(f"{counts['Churn risk']:,}")
    expect(page.get_by_role("option")).to_have_count(1)
    option.click()
    page.wait_for_url(re.compile("tags=.*Churn"))
    expect(page.get_by_test_id("list-range")).to_have_text(
        range_text(1, min(25, counts["Churn risk"]), counts["Churn risk"])
    )
    for tags_cell in page.locator("tbody tr").all():
        expect(tags_cell).to_contain_text("Churn risk")


# Item 14 (the list half): a phone shows cards, and the filters wait in a drawer.


def test_a_phone_shows_cards_and_filters_in_a_drawer(page: Page, server: Server) -> None:
    api = Api(server.url, *MANAGER)
    first = customers(api, first=1)["edges"][0]["node"]
    inactive = customers(api, first=1, filter={"statuses": ["INACTIVE"]})
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, *MANAGER)
    card = page.get_by_test_id("customer-card").first
    expect(card).to_be_visible()
    box = card.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] < 844 / 2, "the first card is up top"
    for text in (first["name"], first["customerNumber"], "Active", first["address"]["city"]):
        expect(card).to_contain_text(text)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "customer_list_390.png"))

    page.get_by_role("button", name="Filters").click()
    drawer = page.get_by_role("dialog", name="Filters")
    drawer.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="Inactive").click()
    page.screenshot(path=str(ARTIFACTS / "customer_list_390_filters.png"))
    drawer.get_by_role("button", name=f"Show {inactive['totalCount']:,} customers").click()
    expect(page.get_by_role("button", name="Filters (1)")).to_be_visible()
    expect(card).to_contain_text(inactive["edges"][0]["node"]["name"])
    expect(page.get_by_test_id("list-range")).to_have_text(
        range_text(1, 25, inactive["totalCount"])
    )
