"""Global ids to database keys: only the form this API hands out, and only keys a row can have.

A global id is base64 of ``Type:key`` with the key in plain ASCII digits. Forms Python's
``int`` would also read (`` 1``, full-width digits, ``1_0``, ``-1``, ``01``) are refused, so
one record has one id. A key beyond the integer columns' range names no record: it is not
found, rather than sent to a database that would refuse it.
"""

from __future__ import annotations

import re

from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

MAX_KEY = 2**31 - 1
"""Keys are ``integer`` columns: 32 bits on PostgreSQL. SQLite's are wider, but its keys
count up from 1 as well, so both databases answer alike."""

_DIGITS = re.compile(r"0|[1-9][0-9]*", re.ASCII)


class MalformedId(ValueError):
    """Not an id this API hands out."""


def record_key(node_id: str) -> int | None:
    """The key of a global id's ``Type:key`` part; None when no record can have it."""
    if _DIGITS.fullmatch(node_id) is None:
        raise MalformedId(node_id)
    if len(node_id) > len(str(MAX_KEY)):
        return None
    key = int(node_id)
    return key if 0 < key <= MAX_KEY else None


def decode(text: str) -> relay.GlobalID:
    try:
        return relay.GlobalID.from_id(text)
    except GlobalIDValueError:
        raise MalformedId(text) from None


def key_of(global_id: relay.GlobalID, type_name: str) -> int | None:
    """The key of a ``type_name`` record; None when no record can have it."""
    if global_id.type_name != type_name:
        raise MalformedId(str(global_id))
    return record_key(global_id.node_id)
