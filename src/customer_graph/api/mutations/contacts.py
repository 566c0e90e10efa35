"""Contacts of a customer: the people there, one of them the primary."""

from __future__ import annotations

import strawberry
from strawberry import relay

from customer_graph.api.context import Info
from customer_graph.api.mutations import crud
from customer_graph.api.mutations.common import InputId, UserError
from customer_graph.api.mutations.crud import UNSET
from customer_graph.api.permissions import payload_read
from customer_graph.api.types.field_service import Contact
from customer_graph.domain.contacts import CONTACTS


@strawberry.input(description="Fields of a contact; omit a field to leave it as it is.")
class ContactAttributes:
    title: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    is_primary: bool | None = strawberry.field(
        default=UNSET,
        description="True makes this the customer's one primary contact, in place of another.",
    )


@crud.creates(CONTACTS)
@strawberry.input(description="A new person at a customer.")
class CreateContactInput(ContactAttributes):
    customer_id: InputId
    name: str


@crud.updates(CONTACTS)
@strawberry.input
class UpdateContactInput(ContactAttributes):
    id: InputId
    name: str | None = UNSET


@strawberry.input
class RemoveContactInput:
    id: InputId


@strawberry.type
class ContactPayload:
    contact: Contact | None = payload_read()
    user_errors: list[UserError]


@strawberry.type
class RemoveContactPayload:
    removed_contact_id: relay.GlobalID | None
    user_errors: list[UserError]


@strawberry.type
class ContactMutations:
    @strawberry.mutation(description="Add a person at a customer.")
    async def create_contact(self, info: Info, input: CreateContactInput) -> ContactPayload:
        outcome = await crud.write(info, input)
        return ContactPayload(contact=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Change the fields given of a contact.")
    async def update_contact(self, info: Info, input: UpdateContactInput) -> ContactPayload:
        outcome = await crud.write(info, input)
        return ContactPayload(contact=outcome.record, user_errors=outcome.user_errors)

    @strawberry.mutation(description="Remove a contact from its customer.")
    async def remove_contact(self, info: Info, input: RemoveContactInput) -> RemoveContactPayload:
        outcome = await crud.remove(info, CONTACTS, input)
        return RemoveContactPayload(
            removed_contact_id=outcome.record_global_id, user_errors=outcome.user_errors
        )
