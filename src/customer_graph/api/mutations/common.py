"""What every mutation shares: userErrors, global ids in input, and ``run_mutation``."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast, overload

import strawberry
from graphql.execution.values import VariableValues
from sqlalchemy.exc import IntegrityError
from strawberry import relay
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

from customer_graph.api.context import Info
from customer_graph.api.ids import MalformedId, decode, key_of
from customer_graph.api.input_limits import MAX_REPORTED, InputLimits, argument_problems
from customer_graph.api.loaders import Loaders
from customer_graph.api.naming import graphql_path
from customer_graph.api.node import node_from
from customer_graph.api.readmodel import ENTITIES
from customer_graph.api.strawberry_internals import raw_info
from customer_graph.db.constraints import taken_column
from customer_graph.db.engine import Transaction
from customer_graph.domain.errors import DomainError, ErrorCode, taken
from customer_graph.domain.permissions import Actor
from customer_graph.domain.record_writes import HandBack
from customer_graph.domain.unit_of_work import ConnectionLost, unit_of_work
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


InputId = strawberry.ID
"""A global id in a mutation's input, decoded by ``database_id``: a malformed one is an
INVALID userError of its field, where ``relay.GlobalID`` would fail the whole request."""


def database_id(global_id: str | None, type_name: str, field: str) -> int | None:
    if global_id is None:
        return None
    try:
        key = key_of(decode(global_id), type_name)
    except MalformedId:
        raise InputError(ErrorCode.INVALID, f"Expected the id of a {type_name}.", field) from None
    if key is None:
        raise InputError(ErrorCode.NOT_FOUND, f"No {type_name} has that id.", field)
    return key


class InputProblemsAsUserErrors(FieldExtension):
    """A mutation whose input breaks a limit of ``api.input_limits`` changes nothing and
    answers its payload with a userError (INVALID) for each field at fault.

    Schema-wide: ``api.schema`` gives it to every mutation; each payload must have
    ``user_errors`` and nothing else that is required.
    """

    payload: type
    others: list[str]

    def apply(self, field: StrawberryField) -> None:
        payload = field.type
        if not dataclasses.is_dataclass(payload) or not isinstance(payload, type):
            raise TypeError(f"{field.python_name} does not answer a payload type")
        names = [item.name for item in dataclasses.fields(payload)]
        if "user_errors" not in names:
            raise TypeError(f"{payload.__name__} has no user_errors")
        self.payload = payload
        self.others = [name for name in names if name != "user_errors"]

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        raw = raw_info(info)
        given: Any = raw.variable_values  # Strawberry passes graphql-core's coerced dict
        variables = (
            given if isinstance(given, VariableValues) else VariableValues({}, coerced=given)
        )
        problems = argument_problems(
            raw.parent_type.fields[raw.field_name],
            raw.field_nodes[0],
            variables,
            InputLimits.of(info.context.settings),
            named=False,
        )
        if not problems:
            return await next_(source, info, **kwargs)
        errors = [
            UserError(
                field=".".join(part for part in problem.path if isinstance(part, str)) or None,
                code=ErrorCode.INVALID,
                message=problem.message,
            )
            for problem in problems[:MAX_REPORTED]
        ]
        return self.payload(**dict.fromkeys(self.others), user_errors=errors)


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


Command = Callable[[Transaction, Actor], Awaitable[T]]
"""A change to make, in the unit of work's session, as the actor."""


class Recorded(Protocol):
    """A command's result that names the record it wrote."""

    @property
    def record_id(self) -> int: ...


R = TypeVar("R", bound=Recorded)


@dataclass(frozen=True)
class Saved:
    """The result of a command that wrote one record and nothing more to say."""

    record_id: int


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a mutation came to: the command's result and the record as written, read back
    in the same transaction; or the userErrors that say why nothing was written."""

    result: T | None = None
    record: Any = None
    entity: str | None = None
    user_errors: list[UserError] = field(default_factory=list)

    @property
    def record_global_id(self) -> relay.GlobalID | None:
        """The global id of the record written (or removed); None when refused."""
        if self.result is None or self.entity is None:
            return None
        return relay.GlobalID(self.entity, str(cast(Recorded, self.result).record_id))


def hand_back_for(info: Info, entity: str) -> HandBack | None:
    """What a write of ``entity`` can answer for its payload itself (``HandBack``); None
    when the payload reads more than the record's own row, and on SQLite. There a read
    costs no round trip, and its RETURNING computed ``archived_at IS NOT NULL`` as true for
    a new customer's NULL (SQLite 3.40)."""
    columns = ENTITIES[entity].own_row_columns
    if columns is None or info.context.engine.dialect.name != "postgresql":
        return None
    return HandBack(columns)


async def _run_once(
    info: Info,
    command: Command[Any],
    entity: str | None,
    read_back: bool,
    hand_back: HandBack | None,
) -> tuple[Any, Any]:
    context = info.context
    async with unit_of_work(context.engine, context.broker) as connection:
        result = await command(connection, context.actor)
        record = None
        if entity is not None and read_back:
            loaders = Loaders(context.engine, context.today, connection)
            record_id = cast(Recorded, result).record_id
            if hand_back is not None and hand_back.row is not None:
                loaders.node(entity).prime(record_id, hand_back.row)
            record = await node_from(loaders, entity, record_id)
    return result, record


@overload
async def run_mutation(
    info: Info,
    command: Command[R],
    entity: str,
    *,
    read_back: bool = True,
    hand_back: HandBack | None = None,
) -> Outcome[R]: ...


@overload
async def run_mutation(info: Info, command: Command[T]) -> Outcome[T]: ...


async def run_mutation(
    info: Info,
    command: Command[Any],
    entity: str | None = None,
    *,
    read_back: bool = True,
    hand_back: HandBack | None = None,
) -> Outcome[Any]:
    """Run ``command`` in one unit of work: all of it is written, or nothing is, and the
    customers it changed are announced once it is committed (``unit_of_work``).

    With ``entity``, the result names a record of it (``Recorded``): unless ``read_back``
    is off (a removal), the record is read back inside the same transaction, as the
    payload shows it. A command given ``hand_back`` (``hand_back_for``) has its write
    return the row, which is then not read again.

    Refusals become userErrors; a constraint the database caught that the rules did not
    becomes one too, never a server error: a unique value taken meanwhile is its field's
    DUPLICATE. A connection that broke before the commit (``ConnectionLost``: nothing was
    written) is replaced and the command runs once more; if that breaks too, the error
    says the database is unavailable.
    """
    context = info.context
    try:
        try:
            result, record = await _run_once(info, command, entity, read_back, hand_back)
        except ConnectionLost:
            log.warning("a change lost its database connection before commit; running it again")
            result, record = await _run_once(info, command, entity, read_back, hand_back)
    except ConnectionLost as lost:
        raise (lost.__cause__ or lost) from None
    except REFUSALS as refusal:
        return Outcome(user_errors=refused(refusal))
    context.forget_loaded()
    return Outcome(result, record, entity)


REFUSALS = (ValidationFailed, DomainError, IntegrityError)
"""What a command raises when it refused the change: nothing was written."""


def refused(refusal: Exception) -> list[UserError]:
    """The userErrors of a refusal (one of ``REFUSALS``): the domain's refusals as they
    are; a unique value a concurrent writer took after the check its field's DUPLICATE, any
    other constraint the rules did not foresee an INVALID."""
    if isinstance(refusal, ValidationFailed):
        return [UserError.of(error) for error in refusal.errors]
    if isinstance(refusal, DomainError):
        return [UserError.of(refusal)]
    assert isinstance(refusal, IntegrityError)
    column = taken_column(refusal)
    if column is not None:
        return [UserError.of(taken(column))]
    log.warning("a write broke a database constraint: %s", refusal.orig)
    message = "The change conflicts with data stored meanwhile; reload and try again."
    return [UserError(field=None, code=ErrorCode.INVALID, message=message)]
