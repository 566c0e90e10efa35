"""A customer's contacts: zero or one of them is the primary."""

from __future__ import annotations

from sqlalchemy import select, update

from customer_graph.db.enums import HistoryAction
from customer_graph.db.models import Contact
from customer_graph.domain import history
from customer_graph.domain.drafts import Draft
from customer_graph.domain.history import Event
from customer_graph.domain.parts import Part
from customer_graph.domain.record_writes import Kind

CONTACT = Kind(
    Contact,
    "Contact",
    "contact",
    ("name", "title", "email", "phone", "is_primary"),
    field_labels={"is_primary": "Primary contact"},
)


async def _clean(draft: Draft) -> None:
    draft.text("name", 200, required=True)
    draft.text("title", 100)
    draft.email("email")
    draft.phone("phone")
    draft.value("is_primary", required=True, default=False)


PRIMARY_REPLACED = {"field": "is_primary", "before": True, "after": False}
"""The history of a former primary contact, replaced by another."""


def makes_primary(draft: Draft) -> bool:
    """Whether the contact becomes the primary one, replacing the customer's former one."""
    return draft.changes("is_primary") and bool(draft.values["is_primary"])


async def unset_other_primaries(draft: Draft) -> None:
    """A contact made primary replaces the customer's former primary, in the same write."""
    if not makes_primary(draft):
        return
    customer_id = draft.customer["id"]
    former = list(
        await draft.session.scalars(
            select(Contact.id).where(Contact.customer_id == customer_id, Contact.is_primary)
        )
    )
    if not former:
        return
    await draft.session.execute(
        update(Contact).where(Contact.id.in_(former)).values(is_primary=False)
    )
    await history.record(
        draft.session,
        draft.actor,
        [
            Event(customer_id, "Contact", i, HistoryAction.UPDATED, [PRIMARY_REPLACED])
            for i in former
        ],
    )


CONTACTS = Part(CONTACT, _clean, before_write=unset_other_primaries)
