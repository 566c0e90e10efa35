"""The permission rules of seeds 000 and 003, for every role and token scope."""

from __future__ import annotations

import pytest

from customer_graph.db.enums import Role
from customer_graph.domain.errors import Forbidden
from customer_graph.domain.permissions import Actor, Permission

P = Permission
EXPECTED = {
    Role.ADMIN: set(Permission),
    Role.SALES_MANAGER: {
        P.VIEW_CUSTOMERS,
        P.CREATE_CUSTOMERS,
        P.EDIT_CUSTOMERS,
        P.EDIT_ASSIGNED_CUSTOMERS,
        P.DELETE_CUSTOMERS,
    },
    Role.SALES_REP: {P.VIEW_CUSTOMERS, P.CREATE_CUSTOMERS, P.EDIT_ASSIGNED_CUSTOMERS},
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


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        ({"read"}, {P.VIEW_CUSTOMERS}),
        ({"write"}, {P.CREATE_CUSTOMERS, P.EDIT_CUSTOMERS, P.EDIT_ASSIGNED_CUSTOMERS}),
        (
            {"read", "write"},
            {P.VIEW_CUSTOMERS, P.CREATE_CUSTOMERS, P.EDIT_CUSTOMERS, P.EDIT_ASSIGNED_CUSTOMERS},
        ),
    ],
)
def test_token_scopes(scopes: set[str], expected: set[Permission]) -> None:
    actor = Actor.for_token(3, "partner", frozenset(scopes))
    assert {p for p in Permission if actor.can(p)} == expected
    assert not actor.can(P.DELETE_CUSTOMERS), "deleting stays with people"
    assert not actor.can(P.MANAGE_TOKENS)
