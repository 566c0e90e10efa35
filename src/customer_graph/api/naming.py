"""Domain names as GraphQL clients know them."""

from __future__ import annotations

from strawberry.utils.str_converters import to_camel_case


def graphql_path(field: str | None) -> str | None:
    """``billing_address.postal_code`` as the client names it: ``billingAddress.postalCode``."""
    if field is None:
        return None
    return ".".join(to_camel_case(part) for part in field.split("."))
