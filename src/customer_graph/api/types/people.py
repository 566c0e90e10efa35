from __future__ import annotations

from typing import ClassVar, cast

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.node import RowNode, load_node
from customer_graph.api.read_rules import viewer_values
from customer_graph.api.readmodel import USER, Entity
from customer_graph.db.enums import Role
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.roles import roles_described

strawberry.enum(
    Permission,
    description="What a viewer may do: view, create, edit or delete customers, and manage "
    "users and tokens.",
)

strawberry.enum(
    Role,
    description=f"What a person who signs in may do. {roles_described()} "
    "The command line takes either name.",
)

STAFF_DETAIL = (
    "; null unless the viewer is this user, an administrator or a sales manager "
    "(never for an integration's token)."
)


@strawberry.type(
    description="A person who signs in: owner or manager of customers. Whoever may view "
    "customers sees users' names; their emails and roles only administrators, sales managers "
    "and the user themselves."
)
class User(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = USER

    id: relay.NodeID[int]
    name: str
    stored_email: strawberry.Private[str]
    stored_role: strawberry.Private[Role]

    @strawberry.field(description=f"Their sign-in email{STAFF_DETAIL}")
    def email(self, info: Info) -> str | None:
        return self.stored_email if info.context.actor.sees_staff_details(self.id) else None

    @strawberry.field(description=f"What they may do{STAFF_DETAIL}")
    def role(self, info: Info) -> Role | None:
        return self.stored_role if info.context.actor.sees_staff_details(self.id) else None


@strawberry.type(description="Who is asking: a signed-in person, or an integration's token.")
class Viewer:
    name: str
    role: Role | None = strawberry.field(description="Null for an integration.")
    is_integration: bool
    permissions: list[Permission]
    user_id: strawberry.Private[int | None]
    default_owner_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, actor: Actor) -> Viewer:
        return cls(**viewer_values(actor))

    @strawberry.field(description="The signed-in user; null for an integration.")
    async def user(self, info: Info) -> User | None:
        return cast("User | None", await load_node(info, "User", self.user_id))

    @strawberry.field(
        description="Who owns and manages the customers the viewer creates without naming "
        "an owner and a manager: a signed-in person themselves, an integration its token's "
        "default owner. Null when the viewer must name them."
    )
    async def default_owner(self, info: Info) -> User | None:
        return cast("User | None", await load_node(info, "User", self.default_owner_id))
