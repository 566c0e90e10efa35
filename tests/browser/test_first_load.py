"""Fast on a slow link: the first load of the customer list, in a fresh browser on a
1.6 Mbps, 150 ms link (bench/first_load.py measures it the same way over more rounds),
crosses at most 300 KB, its files compressed, and shows the first rows within 4 s."""

from __future__ import annotations

from bench.first_load import TARGET_BYTES, TARGET_SECONDS, Link, first_load
from playwright.sync_api import Browser

from tests.browser.conftest import Server


def test_the_first_load_is_small_compressed_and_quick(browser: Browser, server: Server) -> None:
    first_load(browser, server.url, None)
    loads = [first_load(browser, server.url, Link()) for _ in range(3)]
    assets = {url: coding for url, coding in loads[0].encodings.items() if "/assets/" in url}
    assert assets
    assert {url for url, coding in assets.items() if coding != "br"} == set()
    assert max(load.bytes for load in loads) <= TARGET_BYTES
    # The median over more rounds is the benchmark's; here the best of three, since the
    # test machine runs other work at the same time.
    assert min(load.seconds for load in loads) <= TARGET_SECONDS, [load.seconds for load in loads]
