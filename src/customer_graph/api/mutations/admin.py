"""Users and API tokens, managed by administrators."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import strawberry

from customer_graph.api.context import Info
from customer_graph.api.mutations.common import (
    InputId,
    Saved,
    UserError,
    database_id,
    run_mutation,
)
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.people import User
from customer_graph.db.engine import Transaction
from customer_graph.db.enums import Role
from customer_graph.domain.permissions import Actor
from customer_graph.domain.sessions import end_user_sessions_as
from customer_graph.domain.tokens import IssuedToken, create_token_as, revoke_token_as
from customer_graph.domain.users import create_user_as


@strawberry.enum(
    description="What a token may do: view customers (read), create and edit them (write), "
    "remove their records and delete customers nothing refers to (delete, given with write). "
    "No scope shows staff emails and roles."
)
class TokenScope(enum.Enum):
    READ = "read"
    WRITE = "write"
    DELETE = "delete"


@strawberry.input
class CreateUserInput:
    email: str
    name: str
    role: Role
    password: str = strawberry.field(description="At least 10 characters; stored as a hash.")


@strawberry.type
class CreateUserPayload:
    user: User | None = payload_read("The new user.")
    user_errors: list[UserError]


@strawberry.input
class CreateApiTokenInput:
    name: str = strawberry.field(description="The integration the token is for.")
    scopes: list[TokenScope]
    default_owner_id: InputId | None = strawberry.field(
        default=None,
        description="An active user who owns and manages the customers the token creates "
        "without naming an owner and a manager (in createCustomer and in imported rows). "
        "Without one, the token must name both.",
    )


@strawberry.type
class CreateApiTokenPayload:
    name: str | None
    scopes: list[TokenScope] | None
    secret: str | None = strawberry.field(
        description="The token itself, shown this once: only its hash is stored."
    )
    user_errors: list[UserError]


@strawberry.input
class RevokeApiTokenInput:
    name: str


@strawberry.type
class RevokeApiTokenPayload:
    revoked_token_name: str | None
    user_errors: list[UserError]


@strawberry.input
class EndUserSessionsInput:
    user_id: InputId


@strawberry.type
class EndUserSessionsPayload:
    user: User | None = payload_read("The user whose sessions ended.")
    ended_session_count: int | None = strawberry.field(
        description="How many sessions were live; each browser must sign in again."
    )
    user_errors: list[UserError]


@strawberry.type
class AdminMutations:
    @strawberry.mutation(description="Add a person who signs in (administrators only).")
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserPayload:
        async def command(session: Transaction, actor: Actor) -> Saved:
            user_id = await create_user_as(
                session,
                actor,
                email=input.email,
                name=input.name,
                role=input.role,
                password=input.password,
            )
            return Saved(user_id)

        outcome = await run_mutation(info, command, "User")
        return CreateUserPayload(user=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Issue an API token (administrators only).")
    async def create_api_token(
        self, info: Info, input: CreateApiTokenInput
    ) -> CreateApiTokenPayload:
        async def command(session: Transaction, actor: Actor) -> IssuedToken:
            return await create_token_as(
                session,
                actor,
                name=input.name,
                scopes=frozenset(scope.value for scope in input.scopes),
                default_owner_id=database_id(input.default_owner_id, "User", "defaultOwnerId"),
            )

        outcome = await run_mutation(info, command)
        issued = outcome.result
        return CreateApiTokenPayload(
            name=issued.name if issued else None,
            scopes=sorted((TokenScope(s) for s in issued.scopes), key=lambda s: s.value)
            if issued
            else None,
            secret=issued.secret if issued else None,
            user_errors=outcome.user_errors,
        )

    @strawberry.mutation(description="Revoke an API token (administrators only).")
    async def revoke_api_token(
        self, info: Info, input: RevokeApiTokenInput
    ) -> RevokeApiTokenPayload:
        async def command(session: Transaction, actor: Actor) -> str:
            await revoke_token_as(session, actor, input.name)
            return input.name

        outcome = await run_mutation(info, command)
        return RevokeApiTokenPayload(
            revoked_token_name=outcome.result, user_errors=outcome.user_errors
        )

    @strawberry.mutation(
        description="Sign a user out everywhere: end all their sessions, at once on every "
        "server; their open live connections close within seconds (administrators only)."
    )
    async def end_user_sessions(
        self, info: Info, input: EndUserSessionsInput
    ) -> EndUserSessionsPayload:
        async def command(session: Transaction, actor: Actor) -> SessionsEnded:
            user_id = database_id(input.user_id, "User", "userId")
            assert user_id is not None
            return SessionsEnded(user_id, await end_user_sessions_as(session, actor, user_id))

        outcome = await run_mutation(info, command, "User")
        ended = outcome.result
        return EndUserSessionsPayload(
            user=outcome.record,
            ended_session_count=ended.count if ended else None,
            user_errors=outcome.user_errors,
        )


@dataclass(frozen=True)
class SessionsEnded:
    record_id: int
    """The user's."""
    count: int
