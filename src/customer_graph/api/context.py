"""What every resolver gets as ``info.context``: made fresh for each request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from strawberry.types import Info as StrawberryInfo

from customer_graph.api.loaders import Loaders
from customer_graph.db.change_feed import Broker
from customer_graph.db.engine import make_sessionmaker
from customer_graph.domain.permissions import Actor
from customer_graph.settings import Settings


@dataclass
class Context:
    engine: AsyncEngine
    settings: Settings
    actor: Actor
    csrf_verified: bool = True
    """False for a browser session whose request lacks the CSRF header: no mutations then."""
    today: date = field(default_factory=date.today)
    broker: Broker = field(default_factory=Broker)
    request: Any = None
    response: Any = None
    answered_compiled: bool = False
    """Set when the compiled read path answered the operation (``api/compiled/executor.py``)."""
    json_passthrough: bool = False
    """Whoever encodes the result embeds compiled JSON text as it is (``orjson.Fragment``),
    without parsing it first: the HTTP view does; a caller reading ``result.data`` does not."""
    loaders: Loaders = field(init=False)
    sessionmaker: async_sessionmaker[AsyncSession] = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.engine, self.today)
        self.sessionmaker = make_sessionmaker(self.engine)

    def forget_loaded(self) -> None:
        """Drop what loaders cached: after a change, or per event of a subscription."""
        self.loaders = Loaders(self.engine, self.today)


Info = StrawberryInfo[Context, None]
