"""Importing a CSV file in the app: progress, the exact report, the refused rows, a retry."""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, sign_in

MANAGER = ("manager@example.com", "manager-demo-pass")


def write_csv(path: Path, *rows: tuple[str, ...]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def test_a_bad_row_keeps_the_file_out_until_corrected(page: Page, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    good, bad = f"Imported Good {tag}", f"Imported Bad {tag}"
    source = write_csv(
        tmp_path / "customers.csv",
        ("name", "email", "contacts"),
        (good, f"office@{tag}.example", '[{"name": "Ann Lee", "is_primary": true}]'),
        (bad, "not-an-email", ""),
    )
    sign_in(page, *MANAGER)
    page.get_by_role("link", name="Import CSV").click()
    page.wait_for_url("**/import")
    with page.expect_download() as template:
        page.get_by_role("link", name="Download the template").click()
    assert template.value.path().read_text().startswith("customer_number,name,")

    page.locator("input[type=file]").set_input_files(str(source))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Nothing was imported")).to_be_visible()
    rejected = page.get_by_test_id("rejected-rows")
    expect(rejected.get_by_role("row")).to_have_count(2)
    expect(rejected.get_by_role("row").nth(1)).to_contain_text(
        "3" + bad + "email'not-an-email' is not an email address."
    )
    page.screenshot(path=str(ARTIFACTS / "import_report.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download refused rows").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows == [
        ["name", "email", "contacts", "errors"],
        [bad, "not-an-email", "", "email: 'not-an-email' is not an email address."],
    ]

    page.goto(f"/customers?q={tag}")
    expect(page.get_by_test_id("list-range")).to_have_text("No customers")

    page.goto("/import")
    page.locator("input[type=file]").set_input_files(str(source))
    page.get_by_label("Keep the good rows when some are refused").check()
    page.get_by_role("button", name="Import").click()
    expect(
        page.get_by_text("2 rows: 1 created, 0 updated, 0 unchanged, 1 refused.")
    ).to_be_visible()
    page.get_by_role("link", name="Back to customers").click()
    page.get_by_role("textbox", name="Search").fill(good)
    page.get_by_role("link", name=good).click()
    page.get_by_role("tab", name=re.compile("^Contacts")).click()
    expect(page.get_by_text("Ann Lee")).to_be_visible()
