"""Formats a value must have before it is stored, and the error list a write collects."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import pycountry

from customer_graph.domain.errors import DomainError, ErrorCode

_EMAIL_CHARACTER = r"[^@\s\x00-\x1f\x7f\ud800-\udfff]"
EMAIL = re.compile(rf"^{_EMAIL_CHARACTER}+@{_EMAIL_CHARACTER}+\.{_EMAIL_CHARACTER}+$")
"""Something@somewhere.tld, without spaces, control characters or lone surrogates."""
PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")
NUL = "\x00"
"""No stored text may hold it: PostgreSQL refuses it."""


def is_email(value: str) -> bool:
    return len(value) <= 254 and EMAIL.match(value) is not None


def normalized_email(value: str) -> str:
    return value.strip().lower()


def is_phone(value: str) -> bool:
    """Digits with the usual separators and an optional leading +; at least five digits."""
    return PHONE.match(value) is not None and sum(c.isdigit() for c in value) >= 5


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def is_country_code(value: str) -> bool:
    return len(value) == 2 and pycountry.countries.get(alpha_2=value) is not None


def is_currency_code(value: str) -> bool:
    return len(value) == 3 and pycountry.currencies.get(alpha_3=value) is not None


class ValidationFailed(Exception):
    """Several things wrong with one input, reported together."""

    def __init__(self, errors: Iterable[DomainError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(error.message for error in self.errors))


class Checker:
    """Collects field errors of one input, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def fail(self, code: ErrorCode, field: str, message: str) -> None:
        self.errors.append(DomainError(code, message, field))

    def text(
        self, field: str, value: str | None, *, max_length: int, required: bool = False
    ) -> str | None:
        """Trimmed text; empty becomes None, which a required field refuses."""
        cleaned = value.strip() if value is not None else None
        if not cleaned:
            if required:
                self.fail(ErrorCode.REQUIRED, field, f"{label(field)} is required.")
            return None
        if len(cleaned) > max_length:
            self.fail(
                ErrorCode.INVALID, field, f"{label(field)} is longer than {max_length} characters."
            )
        elif NUL in cleaned:
            self.fail(ErrorCode.INVALID, field, f"{label(field)} contains a NUL character.")
        return cleaned

    def email(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=254)
        if cleaned is not None and not is_email(cleaned):
            self.fail(ErrorCode.INVALID, field, f"{cleaned!r} is not an email address.")
        return cleaned

    def phone(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=40)
        if cleaned is not None and not is_phone(cleaned):
            self.fail(ErrorCode.INVALID, field, f"{cleaned!r} is not a phone number.")
        return cleaned

    def url(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=2000)
        if cleaned is not None and not is_web_url(cleaned):
            self.fail(ErrorCode.INVALID, field, f"{cleaned!r} is not an http(s) link.")
        return cleaned

    def country(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=2)
        if cleaned is None:
            return None
        cleaned = cleaned.upper()
        if not is_country_code(cleaned):
            self.fail(ErrorCode.INVALID, field, f"{cleaned!r} is not an ISO 3166 country code.")
        return cleaned

    def currency(self, field: str, value: str | None) -> str | None:
        cleaned = self.text(field, value, max_length=3, required=True)
        if cleaned is None:
            return None
        cleaned = cleaned.upper()
        if not is_currency_code(cleaned):
            self.fail(ErrorCode.INVALID, field, f"{cleaned!r} is not an ISO 4217 currency code.")
        return cleaned

    def raise_if_failed(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def label(field: str) -> str:
    """A field without words of its own, in words: the last part of its path
    (``billing_address.postal_code`` is "Postal code")."""
    return field.rsplit(".", 1)[-1].replace("_", " ").capitalize()
