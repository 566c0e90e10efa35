"""The permission rules for every role and token scope."""

from __future__ import annotations

import pytest

from customer_graph.db.enums import Role
from customer_graph.domain.errors import DomainError, Forbidden
from customer_graph.domain.permissions import Actor, Permission
from customer_graph.domain.tokens import parse_scopes

P = Permission
EXPECTED = {
    Role.ADMIN: set(Permission),
    Role.SALES_MANAGER: {
        P.VIEW_CUSTOMERS,
        P.CREATE_CUSTOMERS,
        P.EDIT_CUSTOMERS,
        P.EDIT_ASSIGNED_CUSTOMERS,
        P.DELETE_CUSTOMERS,
        P.DELETE_RECORDS,
        P.VIEW_STAFF_DETAILS,
    },
    Role.SALES_REP: {
        P.VIEW_CUSTOMERS,
        P.CREATE_CUSTOMERS,
        P.EDIT_ASSIGNED_CUSTOMERS,
        P.DELETE_RECORDS,
    },
    Role.SUPPORT: {P.VIEW_CUSTOMERS},
}


@pytest.mark.parametrize("role", list(Role))
def test_role_permissions(role: Role) -> None:
    actor = Actor.for_user(1, "someone", role)
    assert {p for p in Permission if actor.can(p)} == EXPECTED[role]


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (Role.ADMIN, True, True),
        (Role.SALES_MANAGER, True, True),
        (Role.SALES_REP, True, False),
        (Role.SUPPORT, False, False),
    ],
)
def test_who_edits_which_customer(role: Role, own: bool, other: bool) -> None:
    actor = Actor.for_user(7, "someone", role)
    assert actor.can_edit_customer(owner_id=7, manager_id=99) is own
    assert actor.can_edit_customer(owner_id=99, manager_id=7) is own
    assert actor.can_edit_customer(owner_id=98, manager_id=99) is other


def test_a_rep_is_refused_with_a_reason() -> None:
    rep = Actor.for_user(7, "rep", Role.SALES_REP)
    with pytest.raises(Forbidden, match="only customers you own or manage"):
        rep.require_edit_customer(owner_id=1, manager_id=2)
    with pytest.raises(Forbidden, match="archive them instead"):
        rep.require(P.DELETE_CUSTOMERS)


WRITE = {P.CREATE_CUSTOMERS, P.EDIT_CUSTOMERS, P.EDIT_ASSIGNED_CUSTOMERS}


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        ({"read"}, {P.VIEW_CUSTOMERS}),
        ({"write"}, WRITE),
        ({"read", "write"}, {P.VIEW_CUSTOMERS, *WRITE}),
        ({"write", "delete"}, {*WRITE, P.DELETE_RECORDS, P.DELETE_CUSTOMERS}),
    ],
)
def test_token_scopes(scopes: set[str], expected: set[Permission]) -> None:
    actor = Actor.for_token(3, "partner", frozenset(scopes))
    assert {p for p in Permission if actor.can(p)} == expected
    assert actor.can_remove_records(1, 2) is ("delete" in scopes), "removing needs delete"
    assert not actor.can(P.MANAGE_TOKENS)
    assert not actor.sees_staff_details(1), "no scope shows staff emails and roles"


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        (Role.ADMIN, True, True),
        (Role.SALES_MANAGER, True, True),
        (Role.SALES_REP, True, False),
        (Role.SUPPORT, False, False),
    ],
)
def test_who_removes_a_customers_records(role: Role, own: bool, other: bool) -> None:
    """People remove records wherever they may edit the customer: reps on their own ones."""
    actor = Actor.for_user(7, "someone", role)
    assert actor.can_remove_records(owner_id=7, manager_id=99) is own
    assert actor.can_remove_records(owner_id=98, manager_id=99) is other


def test_a_write_token_is_refused_removal_with_a_reason() -> None:
    writer = Actor.for_token(3, "partner", frozenset({"read", "write"}))
    writer.require_edit_customer(owner_id=1, manager_id=2)
    with pytest.raises(Forbidden, match="needs the delete scope"):
        writer.require_remove_records(owner_id=1, manager_id=2)


@pytest.mark.parametrize(
    ("role", "sees_others"),
    [
        (Role.ADMIN, True),
        (Role.SALES_MANAGER, True),
        (Role.SALES_REP, False),
        (Role.SUPPORT, False),
    ],
)
def test_who_sees_staff_emails_and_roles(role: Role, sees_others: bool) -> None:
    actor = Actor.for_user(7, "someone", role)
    assert actor.sees_staff_details(7), "everyone sees their own"
    assert actor.sees_staff_details(8) is sees_others


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("delete", "The delete scope is given only with write."),
        ("read,delete", "The delete scope is given only with write."),
        ("read,admin", "Give one or more of the scopes delete, read, write."),
        (" , ", "Give one or more of the scopes delete, read, write."),
    ],
)
def test_scopes_a_token_cannot_have(text: str, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_scopes(text)
    assert refused.value.message == message


def test_delete_is_given_with_write() -> None:
    assert parse_scopes("read, write,delete") == {"read", "write", "delete"}
