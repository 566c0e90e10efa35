"""Formats a value must have before it is stored."""

from __future__ import annotations

import re

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(value: str) -> bool:
    return len(value) <= 254 and EMAIL.match(value) is not None


def normalized_email(value: str) -> str:
    return value.strip().lower()
