"""GraphiQL at /graphql works without the internet: it is built into the served files, runs
under the app's Content-Security-Policy (the page fixture fails on any refusal), and sends
the session's CSRF token as the app does, so a signed-in person can run changes too."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlsplit

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import Server, sign_in
from tests.browser.test_app import MANAGER, unique


def test_graphiql_runs_offline_with_the_sessions_csrf_token(page: Page, server: Server) -> None:
    outside: list[str] = []
    local = urlsplit(server.url).netloc

    def only_this_server(route: Route) -> None:
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    page.context.route("**/*", only_this_server)
    sign_in(page, *MANAGER)
    csrf = page.evaluate("fetch('/auth/me').then((response) => response.json())")["csrfToken"]

    page.goto("/graphql")
    expect(page).to_have_title(re.compile("GraphiQL"))
    run = page.get_by_role("button", name=re.compile("^Execute query"))
    editor = page.locator(".graphiql-query-editor")
    # The welcome query runs as the signed-in person.
    expect(editor).to_contain_text("viewer")
    run.click()
    response = page.locator(".graphiql-response")
    expect(response).to_contain_text("Dana Whitfield")

    name = unique("Made In GraphiQL")
    mutation = (
        f'mutation {{ createCustomer(input: {{ name: "{name}" }}) '
        "{ customer { name } userErrors { message } } }"
    )
    page.goto(f"/graphql#query={quote(mutation)}")
    page.reload()
    expect(editor).to_contain_text("createCustomer")
    with page.expect_request(
        lambda request: (
            request.url.endswith("/graphql")
            and request.method == "POST"
            and "createCustomer" in (request.post_data or "")
        )
    ) as sent:
        run.click()
    assert sent.value.headers.get("x-csrf-token") == csrf
    assert "createCustomer" in json.loads(sent.value.post_data or "{}")["query"]
    expect(response).to_contain_text(name)
    expect(response).not_to_contain_text("CSRF")

    assert outside == [], f"GraphiQL asked another site: {outside}"
