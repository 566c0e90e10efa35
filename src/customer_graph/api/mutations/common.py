"""What every mutation shares: userErrors, global ids in input, and the transaction."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.events import CustomerChange
from customer_graph.api.naming import graphql_path
from customer_graph.domain.errors import DomainError, ErrorCode
from customer_graph.domain.validation import ValidationFailed

T = TypeVar("T")
log = logging.getLogger(__name__)

strawberry.enum(ErrorCode, name="UserErrorCode", description="Why a change was refused.")


@strawberry.type(description="Why a change was refused, tied to the input field at fault.")
class UserError:
    field: str | None = strawberry.field(
        description="Path of the input field, such as `billingAddress.country`; null for the "
        "whole input."
    )
    code: ErrorCode
    message: str

    @classmethod
    def of(cls, error: DomainError) -> UserError:
        return cls(field=graphql_path(error.field), code=error.code, message=error.message)


class InputError(DomainError):
    """An input value the API itself could not turn into what the domain expects."""


def database_id(global_id: relay.GlobalID | None, type_name: str, field: str) -> int | None:
    if global_id is None:
        return None
    if global_id.type_name != type_name or not global_id.node_id.isdigit():
        raise InputError(ErrorCode.INVALID, f"Expected the id of a {type_name}.", field)
    return int(global_id.node_id)


def given_fields(data: Any) -> dict[str, Any]:
    """The fields of an input object that the client set (null included), as plain data."""
    given: dict[str, Any] = {}
    for item in dataclasses.fields(data):
        value = getattr(data, item.name)
        if value is strawberry.UNSET:
            continue
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = given_fields(value)
        given[item.name] = value
    return given


async def run_change(
    info: Info,
    work: Callable[[AsyncSession], Awaitable[T]],
    announce: Callable[[T], Sequence[CustomerChange]],
) -> T | list[UserError]:
    """Run ``work`` in one transaction: all of it is written, or nothing is.

    Refusals become userErrors; a constraint the database caught that the rules did not
    becomes one too, never a server error. Changes are announced to subscribers only
    once they are committed.
    """
    context = info.context
    try:
        async with context.sessionmaker() as session, session.begin():
            result = await work(session)
            changes = announce(result)
            await context.broker.stage(session, changes)
    except ValidationFailed as failed:
        return [UserError.of(error) for error in failed.errors]
    except DomainError as error:
        return [UserError.of(error)]
    except IntegrityError as error:
        log.warning("a write broke a database constraint: %s", error.orig)
        return [
            UserError(
                field=None,
                code=ErrorCode.INVALID,
                message="The change conflicts with data stored meanwhile; reload and try again.",
            )
        ]
    context.forget_loaded()
    await context.broker.committed(changes)
    return result
