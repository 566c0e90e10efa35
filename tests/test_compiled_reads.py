"""The compiled read path answers what the resolvers answer, byte for byte (issue 8).

Hypothesis draws selections from the schema itself (fields, aliases, fragments,
``@include``/``@skip``, nested connections with page sizes), filters, orderings and
pages; every drawn operation runs through both paths on both databases. On PostgreSQL the
compiled path must really answer it; SQLite is served by the resolvers.
"""

from __future__ import annotations

import base64
import itertools
from typing import Any

import orjson
import pytest
from graphql import (
    GraphQLField,
    GraphQLObjectType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from customer_graph.api.compiled.compiler import Compiler
from customer_graph.api.readmodel import ENTITIES
from customer_graph.api.schema import schema
from customer_graph.api.strawberry_internals import graphql_core_schema, strawberry_field_of
from customer_graph.db.enums import CustomerKind, CustomerSegment, CustomerStatus, Role
from customer_graph.db.seed import TAGS, seed_demo
from customer_graph.domain.customer_list import ArchivedFilter, CustomerOrderField, OrderDirection
from customer_graph.domain.permissions import Actor
from customer_graph.domain.tokens import TOKEN_MEMORY, create_token, uses_recorded
from tests.graphql_client import (
    ADMIN,
    TODAY,
    check_prepared,
    count_statements,
    global_id,
    run,
)
from tests.web_client import TEST_SETTINGS, app_client

CUSTOMERS = 12
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
async def seeded(engine: AsyncEngine) -> AsyncEngine:
    await seed_demo(engine, customers=CUSTOMERS, seed=11, today=TODAY)
    return engine


SEARCHES = ["", "a", "e", "Co", "1", "%", "_", " n ", "Site", "status", "zz"]
"""What drawn nested connections search for: common letters, digits, LIKE's wildcards,
a kind of record and a field name (history), and nothing at all."""


def worked_out_in_python(object_type: GraphQLObjectType, field: GraphQLField) -> bool:
    """A value the resolvers alone answer (``test_new_site_values_are_the_resolvers``)."""
    entity = ENTITIES.get(object_type.name)
    definition = strawberry_field_of(field)
    return (
        entity is not None and definition is not None and definition.python_name in entity.computed
    )


class Selections:
    """Draws GraphQL selections of a type from the schema, interactively."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.aliases = itertools.count()

    def response_key(self, name: str) -> str:
        if self.draw(st.booleans()) and self.draw(st.booleans()):
            return f"a{next(self.aliases)}: {name}"
        return name

    def page_arguments(self) -> str:
        size = self.draw(st.integers(min_value=0, max_value=4))
        search = ""
        if self.draw(st.booleans()):
            text = self.draw(st.sampled_from(SEARCHES))
            search = f", search: {orjson.dumps(text).decode()}"
        return f"({self.draw(st.sampled_from(['first', 'last']))}: {size}{search})"

    def object(self, object_type: GraphQLObjectType, depth: int) -> str:
        names = sorted(
            name
            for name, field in object_type.fields.items()
            if not any(is_non_null_type(arg.type) for arg in field.args.values())
            and not worked_out_in_python(object_type, field)
        )
        chosen = self.draw(st.lists(st.sampled_from(names), min_size=1, max_size=7, unique=True))
        parts: list[str] = []
        for name in chosen:
            field = object_type.fields[name]
            named = get_named_type(field.type)
            if is_leaf_type(named):
                parts.append(self.response_key(name))
            elif depth > 0 and isinstance(named, GraphQLObjectType):
                if named.name.endswith("Connection"):
                    inner = self.connection(named, depth - 1)
                    parts.append(f"{self.response_key(name)}{self.page_arguments()} {{ {inner} }}")
                else:
                    parts.append(f"{self.response_key(name)} {{ {self.object(named, depth - 1)} }}")
        if not parts or self.draw(st.booleans()):
            parts.append("__typename")
        return self.decorate(object_type, parts)

    def decorate(self, object_type: GraphQLObjectType, parts: list[str]) -> str:
        """Wrap some of the fields in an inline fragment or a conditional directive."""
        how = self.draw(st.sampled_from(["plain", "fragment", "include", "skip"]))
        if how == "plain" or len(parts) < 2:
            return " ".join(parts)
        head, tail = parts[:1], " ".join(parts[1:])
        if how == "fragment":
            return " ".join([*head, f"... on {object_type.name} {{ {tail} }}"])
        shown = self.draw(st.booleans())
        condition = f"@{how}(if: {'true' if shown else 'false'})"
        return " ".join([*head, f"... {condition} {{ {tail} }}"])

    def connection(self, connection_type: GraphQLObjectType, depth: int) -> str:
        edge_type = get_named_type(connection_type.fields["edges"].type)
        assert isinstance(edge_type, GraphQLObjectType)
        node_type = get_named_type(edge_type.fields["node"].type)
        assert isinstance(node_type, GraphQLObjectType)
        parts = []
        if self.draw(st.booleans()):
            parts.append("totalCount")
        if self.draw(st.booleans()):
            fields = ["hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"]
            chosen = self.draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
            parts.append(f"pageInfo {{ {' '.join(chosen)} }}")
        if not parts or self.draw(st.booleans()):
            parts.append(f"edges {{ cursor node {{ {self.object(node_type, depth)} }} }}")
        if self.draw(st.booleans()) and self.draw(st.booleans()):
            parts.append(f"a{next(self.aliases)}: edges {{ __typename node {{ id }} }}")
        return " ".join(parts)


def customer_filters() -> st.SearchStrategy[dict[str, Any]]:
    def names(members: Any) -> st.SearchStrategy[list[str]]:
        return st.lists(st.sampled_from([m.value for m in members]), max_size=2, unique=True)

    return st.fixed_dictionaries(
        {},
        optional={
            "search": st.sampled_from(["", "a", "Co", "Inc", "zz", "%", "_", " e "]),
            "kinds": names(CustomerKind),
            "segments": names(CustomerSegment),
            "statuses": names(CustomerStatus),
            "tags": st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
            "archived": st.sampled_from([m.value for m in ArchivedFilter]),
            "ownerIds": st.lists(
                st.integers(min_value=1, max_value=4).map(lambda i: global_id("User", i)),
                max_size=2,
            ),
        },
    )


def orderings() -> st.SearchStrategy[dict[str, str] | None]:
    return st.none() | st.fixed_dictionaries(
        {
            "field": st.sampled_from([m.value for m in CustomerOrderField]),
            "direction": st.sampled_from([m.value for m in OrderDirection]),
        }
    )


async def same_answer(
    engine: AsyncEngine, query: str, variables: dict[str, Any], actor: Actor = ADMIN
) -> Any:
    """Run through the three paths: the same JSON, and on PostgreSQL compiled and prepared
    for real."""
    resolved, _ = await run(engine, query, variables, compiled=False, actor=actor)
    compiled, context = await run(engine, query, variables, compiled=True, actor=actor)
    assert resolved.errors is None, (query, [e.formatted for e in resolved.errors])
    assert compiled.errors is None, (query, [e.formatted for e in compiled.errors])
    assert orjson.dumps(compiled.data) == orjson.dumps(resolved.data), query
    assert context.answered_compiled == (engine.dialect.name == "postgresql"), query
    await check_prepared(
        engine,
        query,
        variables,
        actor=actor,
        today=TODAY,
        expected=resolved,
        compiled=context.answered_compiled,
    )
    return resolved.data


CUSTOMER_TYPE = graphql_core_schema(schema).get_type("Customer")
assert isinstance(CUSTOMER_TYPE, GraphQLObjectType)
CONNECTION_TYPE = graphql_core_schema(schema).get_type("CustomerConnection")
assert isinstance(CONNECTION_TYPE, GraphQLObjectType)


@st.composite
def drawn_lists(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    assert isinstance(CONNECTION_TYPE, GraphQLObjectType)
    inner = Selections(draw).connection(CONNECTION_TYPE, depth=3)
    query = f"""
      query Drawn($first: Int, $filter: CustomerFilter, $orderBy: CustomerOrder) {{
        customers(first: $first, filter: $filter, orderBy: $orderBy) {{ {inner} }}
      }}
    """
    variables = {
        "first": draw(st.integers(min_value=0, max_value=CUSTOMERS + 2)),
        "filter": draw(customer_filters()),
        "orderBy": draw(orderings()),
    }
    return query, variables


ACTORS = (
    ADMIN,
    Actor.for_user(2, "Sue Support", Role.SUPPORT),
    Actor.for_user(3, "Riley Carter", Role.SALES_REP),
    Actor.for_token(7, "BI nightly", frozenset({"read", "write"})),
)


@st.composite
def drawn_records(draw: st.DrawFn) -> tuple[str, dict[str, Any], Actor]:
    assert isinstance(CUSTOMER_TYPE, GraphQLObjectType)
    customer = Selections(draw).object(CUSTOMER_TYPE, depth=3)
    viewer = draw(
        st.lists(
            st.sampled_from(["name", "role", "isIntegration", "permissions", "__typename"]),
            min_size=1,
            unique=True,
        )
    )
    other = draw(st.sampled_from(["Site", "Contact", "Project", "Asset", "User"]))
    query = f"""
      query Drawn($id: ID!, $other: ID!, $number: String!, $users: Int!) {{
        customer(id: $id) {{ {customer} }}
        node(id: $other) {{ __typename ... on {other} {{ id }} }}
        nodes(ids: [$id, $other]) {{ id ... on Customer {{ name }} }}
        customerByNumber(customerNumber: $number) {{ name }}
        viewer {{ {" ".join(viewer)} }}
        users(last: $users) {{
          totalCount pageInfo {{ hasPreviousPage startCursor }} edges {{ cursor node {{ name }} }}
        }}
      }}
    """
    variables = {
        "users": draw(st.integers(min_value=0, max_value=5)),
        "id": global_id("Customer", draw(st.integers(min_value=1, max_value=CUSTOMERS + 1))),
        "other": global_id(other, draw(st.integers(min_value=1, max_value=30))),
        "number": draw(st.sampled_from(["C-00001", " C-00002 ", "nope"])),
    }
    return query, variables, draw(st.sampled_from(ACTORS))


@EXAMPLES
@given(drawn=drawn_lists())
async def test_drawn_lists_answer_the_same(
    seeded: AsyncEngine, drawn: tuple[str, dict[str, Any]]
) -> None:
    await same_answer(seeded, *drawn)


@EXAMPLES
@given(drawn=drawn_records())
async def test_drawn_records_answer_the_same(
    seeded: AsyncEngine, drawn: tuple[str, dict[str, Any], Actor]
) -> None:
    await same_answer(seeded, *drawn)


@pytest.mark.parametrize("key", ["0", "99999999999999999999", "2147483648"])
async def test_an_id_no_record_can_have_is_null_on_every_path(
    seeded: AsyncEngine, key: str
) -> None:
    """The compiler answers null itself, as the resolvers do, in one statement."""
    impossible = base64.b64encode(f"Customer:{key}".encode()).decode()
    query = """
      query($id: ID!) {
        customer(id: $id) { name }
        node(id: $id) { id }
        nodes(ids: [$id]) { id }
        customers(first: 1) { totalCount }
      }
    """
    data = await same_answer(seeded, query, {"id": impossible})
    assert data["customer"] is None
    assert data["node"] is None
    assert data["nodes"] == [None]
    assert data["customers"]["totalCount"] == CUSTOMERS
    if seeded.dialect.name == "postgresql":
        with count_statements(seeded) as counter:
            _, context = await run(seeded, query, {"id": impossible})
        assert context.answered_compiled
        assert counter.count == 1


ROOT_ERRORS = {
    "malformed id": (
        "query($id: ID!) { customer(id: $id) { name } viewer { name } }",
        {"id": "not an id"},
    ),
    "another kind's id": (
        "query($id: ID!) { viewer { name } customer(id: $id) { name } }",
        {"id": base64.b64encode(b"Site:1").decode()},
    ),
    "first and last": ("{ customers(first: 1, last: 1) { totalCount } viewer { name } }", {}),
    "a cursor in the text": ('{ customers(first: 1, after: "nope") { totalCount } }', {}),
    "a filter's id": (
        "query($f: CustomerFilter) { viewer { name } customers(filter: $f) { totalCount } }",
        {"f": {"ownerIds": ["nope"]}},
    ),
    "users": ("{ users(first: 1, last: 1) { totalCount } customers { totalCount } }", {}),
    "a nested field's": (
        "query($id: ID!) { customers(first: 2) { edges { node { owner { id } "
        'contacts(first: 1, after: "nope") { totalCount } } } } customer(id: $id) { name } }',
        {"id": "nope"},
    ),
    "two at once": (
        "query($id: ID!) { customer(id: $id) { name } users(first: 1, last: 2) { totalCount } }",
        {"id": "nope"},
    ),
}


@pytest.mark.parametrize("case", ROOT_ERRORS, ids=list(ROOT_ERRORS))
async def test_a_root_fields_refused_arguments_are_answered_by_the_compiled_path(
    seeded: AsyncEngine, case: str
) -> None:
    """The resolvers' error, its path and locations, and the data beside it: on
    PostgreSQL from the plan, without running the resolvers."""
    query, variables = ROOT_ERRORS[case]
    resolved, _ = await run(seeded, query, variables, compiled=False)
    compiled, context = await run(seeded, query, variables, compiled=True)
    assert resolved.errors, case
    assert [e.formatted for e in compiled.errors or []] == [e.formatted for e in resolved.errors]
    assert {e.extensions["code"] for e in resolved.errors} == {"BAD_USER_INPUT"}
    assert orjson.dumps(compiled.data) == orjson.dumps(resolved.data)
    nested = case == "a nested field's"  # the resolvers answer it, with its path
    assert context.answered_compiled == (seeded.dialect.name == "postgresql" and not nested)
    await check_prepared(
        seeded, query, variables, actor=ADMIN, today=TODAY, expected=resolved, compiled=True
    )


@pytest.mark.backends("postgresql")
async def test_the_viewer_alone_needs_no_statement(seeded: AsyncEngine) -> None:
    query = "{ viewer { name role isIntegration permissions } }"
    with count_statements(seeded) as counter:
        data = await same_answer(seeded, query, {}, ACTORS[-1])
    assert counter.count == 0
    assert data == {
        "viewer": {
            "name": "BI nightly",
            "role": None,
            "isIntegration": True,
            "permissions": [
                "CREATE_CUSTOMERS",
                "EDIT_ASSIGNED_CUSTOMERS",
                "EDIT_CUSTOMERS",
                "VIEW_CUSTOMERS",
            ],
        }
    }


NEW_SITES = """
query NewSites($id: ID!) {
  customers(first: 12, filter: { archived: INCLUDE }) { edges { node {
    name tags newSite { contactName email phone address { city country } }
  } } }
  customer(id: $id) {
    newSite { contactName }
    sites(first: 2) { edges { node { name customer { newSite { address { street1 } } } } } }
  }
}
"""


async def test_new_site_values_are_the_resolvers(seeded: AsyncEngine) -> None:
    """Worked out in Python, they leave the whole operation to the resolvers, wherever they
    are selected: the answer is the same with the compiled path on or off."""
    variables = {"id": global_id("Customer", 1)}
    resolved, _ = await run(seeded, NEW_SITES, variables, compiled=False)
    answered, context = await run(seeded, NEW_SITES, variables, compiled=True)
    assert resolved.errors is None
    assert answered.errors is None
    assert not context.answered_compiled
    assert orjson.dumps(answered.data) == orjson.dumps(resolved.data)
    assert answered.data is not None
    customers = [edge["node"] for edge in answered.data["customers"]["edges"]]
    assert len(customers) == CUSTOMERS
    assert any(customer["newSite"]["contactName"] for customer in customers)


PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String, $orderBy: CustomerOrder) {
  customers(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy,
            filter: { archived: INCLUDE }) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name contacts(first: 2) { edges { cursor } pageInfo { endCursor } } } }
  }
}
"""


@EXAMPLES
@given(size=st.integers(min_value=1, max_value=5), order_by=orderings(), backwards=st.booleans())
async def test_paging_through_answers_the_same(
    seeded: AsyncEngine, size: int, order_by: Any, backwards: bool
) -> None:
    """Cursors the compiled path writes take the resolvers to the same next page."""
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(CUSTOMERS):
        if backwards:
            variables = {"last": size, "before": cursor, "orderBy": order_by}
        else:
            variables = {"first": size, "after": cursor, "orderBy": order_by}
        page = (await same_answer(seeded, PAGE, variables))["customers"]
        names = [edge["node"]["name"] for edge in page["edges"]]
        seen.extend(reversed(names) if backwards else names)
        more = page["pageInfo"]["hasPreviousPage" if backwards else "hasNextPage"]
        if not more:
            break
        cursor = page["pageInfo"]["startCursor" if backwards else "endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]


@pytest.mark.backends("postgresql")
async def test_refused_permission_is_the_resolvers_error(seeded: AsyncEngine) -> None:
    nobody = Actor(name="Nobody", permissions=frozenset())
    query = "{ customers(first: 2) { totalCount } }"
    with count_statements(seeded) as counter:
        result, context = await run(seeded, query, actor=nobody)
    assert not context.answered_compiled
    assert counter.count == 0
    assert result.errors is not None
    assert result.errors[0].message == "You are not allowed to view customers."


NESTED_PAGE = """
query Nested($id: ID!, $after: String) {
  customer(id: $id) {
    %s(first: 1, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
    }
  }
}
"""


@pytest.mark.parametrize("relation", ["tickets", "contacts", "projects", "history", "assets"])
async def test_nested_cursors_lead_to_the_same_pages(seeded: AsyncEngine, relation: str) -> None:
    """Cursors over every kind of sort key (timestamps, dates, booleans, text, ids)."""
    query = NESTED_PAGE % relation
    for key in range(1, 4):
        variables: dict[str, Any] = {"id": global_id("Customer", key), "after": None}
        seen: list[str] = []
        while True:
            connection = (await same_answer(seeded, query, variables))["customer"][relation]
            seen.extend(edge["node"]["id"] for edge in connection["edges"])
            if not connection["pageInfo"]["hasNextPage"]:
                break
            variables["after"] = connection["pageInfo"]["endCursor"]
        assert len(seen) == len(set(seen)) == connection["totalCount"]


SEARCHED_PAGE = """
query Searched($id: ID!, $after: String, $before: String, $search: String) {
  customer(id: $id) {
    %s(first: 2, after: $after, before: $before, search: $search) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
    }
  }
}
"""

CUSTOMER_RELATIONS = [
    "contacts",
    "sites",
    "projects",
    "assets",
    "ownedAssets",
    "contracts",
    "workOrders",
    "leases",
    "opportunities",
    "orders",
    "invoices",
    "tickets",
    "priceSchedules",
    "history",
]


@pytest.mark.parametrize("relation", CUSTOMER_RELATIONS)
async def test_searched_pages_answer_the_same(seeded: AsyncEngine, relation: str) -> None:
    """A search inside each of a customer's lists: the same pages and counts on both paths,
    every page of the search reached by its cursors, and no more than the whole list."""
    query = SEARCHED_PAGE % relation
    for key in range(1, 4):
        for search in ("e", "1", "%"):
            variables: dict[str, Any] = {"id": global_id("Customer", key), "search": search}
            whole = (await same_answer(seeded, query, {**variables, "search": None}))["customer"]
            seen: list[str] = []
            while True:
                connection = (await same_answer(seeded, query, variables))["customer"][relation]
                seen.extend(edge["node"]["id"] for edge in connection["edges"])
                if not connection["pageInfo"]["hasNextPage"]:
                    break
                variables["after"] = connection["pageInfo"]["endCursor"]
            assert len(seen) == len(set(seen)) == connection["totalCount"]
            assert connection["totalCount"] <= whole[relation]["totalCount"]


@pytest.mark.backends("postgresql")
async def test_over_http_the_compiled_json_is_the_resolvers(
    seeded: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The view passes the database's JSON through unparsed; a client reads the same data."""
    monkeypatch.setattr(TOKEN_MEMORY, "seconds", 3600.0)
    async with AsyncSession(seeded) as session:
        secret = (await create_token(session, name="bi", scopes=frozenset({"read"}))).secret
        await session.commit()
    body = {"query": PAGE, "variables": {"first": 3}}
    answers, statements = [], []
    for compiled in (True, False):
        settings = TEST_SETTINGS.model_copy(update={"compiled_reads": compiled})
        async with app_client(seeded, settings, Authorization=f"Bearer {secret}") as client:
            await client.post("/graphql", json={"query": "{ viewer { name } }"})
            await uses_recorded()
            with count_statements(seeded) as counter:
                response = await client.post("/graphql", json=body)
        statements.append(counter.count)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        answers.append(orjson.loads(response.content))
    assert answers[0] == answers[1]
    assert len(answers[0]["data"]["customers"]["edges"]) == 3
    assert statements[0] == 1, "the compiled path answered over HTTP"
    assert statements[1] > 1


VIEWER_DEPENDENT = """
{ customers(first: 12, filter: { archived: INCLUDE }) { edges { node {
    viewerCanEdit viewerCanDelete owner { id } manager { id }
    history(first: 3) { edges { node { changes { field label before after __typename } } } }
} } } }
"""


@pytest.mark.parametrize("actor", ACTORS, ids=lambda actor: actor.name)
async def test_what_the_viewer_may_do_and_history_changes_are_compiled(
    seeded: AsyncEngine, actor: Actor
) -> None:
    data = await same_answer(seeded, VIEWER_DEPENDENT, {}, actor)
    nodes = [edge["node"] for edge in data["customers"]["edges"]]
    fields = {
        (c["field"], c["label"])
        for n in nodes
        for e in n["history"]["edges"]
        for c in e["node"]["changes"]
    }
    assert ("customerNumber", "Customer number") in fields
    assert ("kind", "Type") in fields
    if actor.role is Role.SALES_REP:
        mine = global_id("User", actor.user_id or 0)
        editable = [n["owner"]["id"] == mine or n["manager"]["id"] == mine for n in nodes]
        assert [n["viewerCanEdit"] for n in nodes] == editable
        assert True in editable
        assert False in editable


CURSOR_PAGE = """
query NextPage($after: String, $size: Int) {
  customers(first: $size, after: $after, filter: { archived: INCLUDE }) {
    pageInfo { hasNextPage endCursor }
    edges { node { name sites(first: 1) { edges { node { name } } } } }
  }
}
"""


@pytest.mark.backends("postgresql")
async def test_next_pages_run_on_the_first_pages_plan(
    seeded: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cursor variable is bound when the statement runs: paging does not compile again,
    and a bad cursor still gets the resolvers' error, without spoiling the plan."""
    compiled: list[str] = []
    root_field = Compiler.root_field

    def counting(self: Compiler, field: Any, details: Any) -> Any:
        compiled.append(str(field))
        return root_field(self, field, details)

    monkeypatch.setattr(Compiler, "root_field", counting)
    query = CURSOR_PAGE.replace("query NextPage", f"query NextPage{id(compiled)}")
    names: list[str] = []
    cursor = None
    while True:
        page = (await same_answer(seeded, query, {"after": cursor, "size": 5}))["customers"]
        names += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        cursor = page["pageInfo"]["endCursor"]
    assert len(names) == CUSTOMERS
    assert len(compiled) == 2, "one plan for the first page, one for every page after it"

    bad, context = await run(seeded, query, {"after": "bm9wZQ", "size": 5})
    assert not context.answered_compiled
    assert bad.errors is not None
    assert "is not valid" in bad.errors[0].message
    again = await same_answer(seeded, query, {"after": cursor, "size": 5})
    assert again["customers"]["edges"]
    assert len(compiled) == 2, "the plan refused the bad cursor and still serves good ones"


STAFF = """
query Staff($user: ID!) {
  users(first: 20) { edges { node { id name email role } } }
  customers(first: 12, filter: { archived: INCLUDE }) { edges { node {
    owner { id name email role } manager { id email }
    history(first: 5) { edges { node { actor { id email role } } } }
  } } }
  node(id: $user) { ... on User { id email role } }
}
"""


def users_in(value: Any) -> list[dict[str, Any]]:
    """Every user object in an answer (those with an email field)."""
    if isinstance(value, list):
        return [user for item in value for user in users_in(item)]
    if not isinstance(value, dict):
        return []
    found = [value] if "email" in value else []
    return found + [user for item in value.values() for user in users_in(item)]


@pytest.mark.parametrize(
    "actor",
    [*ACTORS, Actor.for_user(2, "Dana Whitfield", Role.SALES_MANAGER)],
    ids=lambda actor: actor.name,
)
async def test_staff_emails_and_roles_go_to_managers_and_to_the_user_alone(
    seeded: AsyncEngine, actor: Actor
) -> None:
    """Names for everyone who may read; emails and roles for administrators, sales
    managers and the user themselves; for no token. Both paths, every place a user shows."""
    data = await same_answer(seeded, STAFF, {"user": global_id("User", 3)}, actor)
    users = users_in(data)
    sees_all = actor.role in (Role.ADMIN, Role.SALES_MANAGER)
    mine = global_id("User", actor.user_id) if actor.user_id is not None else None
    seeded_self = {mine} if actor.user_id in (2, 3) else set()
    assert {user["id"] for user in users} >= {global_id("User", 3), *seeded_self}
    assert any(user["id"] != mine for user in users)
    for user in users:
        shown = sees_all or user["id"] == mine
        assert (user["email"] is not None) is shown, (actor.name, user)
        if "role" in user:
            assert (user["role"] is not None) is shown, (actor.name, user)
    assert all(edge["node"]["name"] for edge in data["users"]["edges"])
