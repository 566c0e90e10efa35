"""A signed-in HTTP client of the server under test, to find and prepare data."""

from __future__ import annotations

from typing import Any

import httpx


class Api:
    def __init__(self, base_url: str, email: str, password: str) -> None:
        self.client = httpx.Client(base_url=base_url)
        response = self.client.post("/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        body = response.json()
        self.csrf = body["csrfToken"]
        self.user_id: str = body["user"]["id"]

    def run(self, query: str, **variables: Any) -> Any:
        response = self.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"X-CSRF-Token": self.csrf},
        )
        body = response.json()
        assert not body.get("errors"), body
        return body["data"]

    def create_customer(self, name: str, **fields: Any) -> dict[str, Any]:
        data = self.run(
            """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
                customer { id name customerNumber version } userErrors { message } } }""",
            input={"name": name, **fields},
        )
        customer: dict[str, Any] = data["createCustomer"]["customer"]
        return customer

    def customer(self, customer_id: str) -> dict[str, Any]:
        data = self.run(
            "query($id: ID!) { customer(id: $id) { id name version status isArchived } }",
            id=customer_id,
        )
        found: dict[str, Any] = data["customer"]
        return found
