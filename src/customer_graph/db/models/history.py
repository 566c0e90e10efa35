"""The append-only record of who changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from customer_graph.db.base import Base, JSONDocument, UTCDateTime, enum_column
from customer_graph.db.enums import HistoryAction


class HistoryEvent(Base):
    """One change to a customer or to something of the customer.

    ``customer_id`` is deliberately not a foreign key: history outlives a deleted customer
    and must never count as something that references it.
    """

    __tablename__ = "history_events"
    __table_args__ = (Index("ix_history_events_customer_id_id", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    customer_id: Mapped[int] = mapped_column(Integer)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[HistoryAction] = mapped_column(enum_column(HistoryAction))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
