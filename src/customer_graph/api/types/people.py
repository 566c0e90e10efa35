from __future__ import annotations

from typing import ClassVar

import strawberry
from strawberry import relay

from customer_graph.api.node import RowNode
from customer_graph.api.readmodel import USER, Entity
from customer_graph.db.enums import Role


@strawberry.type(description="A person who signs in: owner or manager of customers.")
class User(RowNode, relay.Node):
    ENTITY: ClassVar[Entity] = USER

    id: relay.NodeID[int]
    name: str
    email: str
    role: Role
